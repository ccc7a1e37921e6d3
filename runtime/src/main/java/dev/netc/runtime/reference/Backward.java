package dev.netc.runtime.reference;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Lrn;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;

/**
 * The derivatives of each operation, as plain loops in double precision, in the layouts of the reference
 * interpreter (NCHW, PyTorch's weight layouts). Each method takes the gradient of the loss with respect to the
 * operation's output and accumulates ({@code +=}) into the gradients of its inputs and weights, so a tensor
 * read by several nodes collects all their contributions.
 */
final class Backward {
  private Backward() {}

  private static int at(Shape s, int n, int c, int y, int x) {
    return ((n * s.channels() + c) * s.height() + y) * s.width() + x;
  }

  /** Through an activation, given its input {@code x} and output {@code y}: {@code dx += dy * act'(x)}. */
  static void activation(Activation a, double[] x, double[] y, double[] dy, double[] dx) {
    for (int i = 0; i < dx.length; i++) dx[i] += dy[i] * derivative(a, x[i], y[i]);
  }

  /** {@code act'(x)}, using the output {@code y = act(x)} where that is cheaper. */
  static double derivative(Activation a, double x, double y) {
    return switch (a.kind()) {
      case IDENTITY -> 1;
      case RELU -> x > 0 ? 1 : 0;
      case LEAKY_RELU -> x > 0 ? 1 : a.alpha();
      case ELU -> x > 0 ? 1 : a.alpha() * Math.exp(x);
      case SELU -> Activation.SELU_SCALE * (x > 0 ? 1 : Activation.SELU_ALPHA * Math.exp(x));
      case TANH -> 1 - y * y;
      case SIGMOID -> y * (1 - y);
    };
  }

  /** Convolution (before its activation epilogue): gradients of input, weight and bias. */
  static void conv(double[] in, int batch, Shape is, Conv c, double[] weight, Shape os, double[] dOut, double[] dIn,
      double[] dWeight, double[] dBias) {
    int inPerGroup = is.channels() / c.groups();
    int outPerGroup = c.filters() / c.groups();
    for (int n = 0; n < batch; n++) {
      for (int f = 0; f < c.filters(); f++) {
        int firstIn = (f / outPerGroup) * inPerGroup;
        for (int oy = 0; oy < os.height(); oy++) {
          for (int ox = 0; ox < os.width(); ox++) {
            double g = dOut[at(os, n, f, oy, ox)];
            if (g == 0) continue;
            if (dBias != null) dBias[f] += g;
            for (int ci = 0; ci < inPerGroup; ci++) {
              for (int ky = 0; ky < c.kernelH(); ky++) {
                int iy = oy * c.strideH() - c.padH() + ky;
                if (iy < 0 || iy >= is.height()) continue;
                int wRow = ((f * inPerGroup + ci) * c.kernelH() + ky) * c.kernelW();
                int inRow = at(is, n, firstIn + ci, iy, 0);
                for (int kx = 0; kx < c.kernelW(); kx++) {
                  int ix = ox * c.strideW() - c.padW() + kx;
                  if (ix < 0 || ix >= is.width()) continue;
                  dWeight[wRow + kx] += g * in[inRow + ix];
                  dIn[inRow + ix] += g * weight[wRow + kx];
                }
              }
            }
          }
        }
      }
    }
  }

  /** Dense layer (before its epilogue): weight {@code [units, features]}. */
  static void dense(double[] in, int batch, int features, int units, double[] weight, double[] dOut, double[] dIn,
      double[] dWeight, double[] dBias) {
    for (int n = 0; n < batch; n++) {
      for (int u = 0; u < units; u++) {
        double g = dOut[n * units + u];
        if (g == 0) continue;
        if (dBias != null) dBias[u] += g;
        int row = u * features;
        int x = n * features;
        for (int i = 0; i < features; i++) {
          dWeight[row + i] += g * in[x + i];
          dIn[x + i] += g * weight[row + i];
        }
      }
    }
  }

  /**
   * Softmax across channels at each position, given its output {@code y}: {@code dx = y * (dy - sum(dy * y))}.
   */
  static void softmax(double[] y, int batch, Shape s, double[] dy, double[] dx) {
    for (int n = 0; n < batch; n++) {
      for (int p = 0; p < s.plane(); p++) {
        double dot = 0;
        for (int c = 0; c < s.channels(); c++) {
          int i = (n * s.channels() + c) * s.plane() + p;
          dot += dy[i] * y[i];
        }
        for (int c = 0; c < s.channels(); c++) {
          int i = (n * s.channels() + c) * s.plane() + p;
          dx[i] += y[i] * (dy[i] - dot);
        }
      }
    }
  }

  /**
   * Local response normalisation {@code b_i = a_i D_i^-beta}, {@code D_i = k + coef sum_{j in N(i)} a_j^2}:
   * {@code da_m = db_m D_m^-beta - 2 coef beta a_m sum_{i: m in N(i)} db_i a_i D_i^(-beta-1)} (the window
   * relation is symmetric).
   */
  static void lrn(double[] a, int batch, Shape s, Lrn l, double[] db, double[] da) {
    int half = l.size() / 2;
    double coef = l.coefficient();
    int channels = s.channels();
    double[] d = new double[channels];
    double[] t = new double[channels]; // db_i a_i D_i^(-beta-1)
    for (int n = 0; n < batch; n++) {
      for (int y = 0; y < s.height(); y++) {
        for (int x = 0; x < s.width(); x++) {
          for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int j = Math.max(0, c - half); j <= Math.min(channels - 1, c + half); j++) {
              double v = a[at(s, n, j, y, x)];
              sum += v * v;
            }
            d[c] = l.k() + coef * sum;
            int i = at(s, n, c, y, x);
            t[c] = db[i] * a[i] * Math.pow(d[c], -l.beta() - 1);
          }
          for (int m = 0; m < channels; m++) {
            double sum = 0;
            for (int i = Math.max(0, m - half); i <= Math.min(channels - 1, m + half); i++) sum += t[i];
            int im = at(s, n, m, y, x);
            da[im] += db[im] * Math.pow(d[m], -l.beta()) - 2 * coef * l.beta() * a[im] * sum;
          }
        }
      }
    }
  }

  /**
   * Max pooling sends each output's gradient to the first input cell holding the window's maximum (as
   * PyTorch does); average pooling spreads it evenly over the window's cells with the forward divisor.
   */
  static void pool(double[] in, int batch, Shape is, Pool p, Shape os, double[] dOut, double[] dIn) {
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < is.channels(); c++) {
        for (int oy = 0; oy < os.height(); oy++) {
          for (int ox = 0; ox < os.width(); ox++) {
            int y0 = oy * p.strideH() - p.padH();
            int x0 = ox * p.strideW() - p.padW();
            int y1 = Math.min(y0 + p.windowH(), is.height() + p.padH());
            int x1 = Math.min(x0 + p.windowW(), is.width() + p.padW());
            int paddedCount = (y1 - y0) * (x1 - x0);
            y0 = Math.max(y0, 0);
            x0 = Math.max(x0, 0);
            y1 = Math.min(y1, is.height());
            x1 = Math.min(x1, is.width());
            double g = dOut[at(os, n, c, oy, ox)];
            if (p.kind() == Pool.Kind.MAX) {
              int best = -1;
              double max = Double.NEGATIVE_INFINITY;
              for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                  int i = at(is, n, c, y, x);
                  if (best < 0 || in[i] > max) {
                    best = i;
                    max = in[i];
                  }
                }
              }
              if (best >= 0) dIn[best] += g;
            } else {
              int realCount = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
              if (realCount == 0) continue;
              double share = g / (p.countIncludePad() ? paddedCount : realCount);
              for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) dIn[at(is, n, c, y, x)] += share;
              }
            }
          }
        }
      }
    }
  }

  /** Adaptive average pooling (global average pooling is the 1 x 1 case): each cell's share of each window. */
  static void adaptiveAvgPool(int batch, Shape is, Shape os, double[] dOut, double[] dIn) {
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < is.channels(); c++) {
        for (int oy = 0; oy < os.height(); oy++) {
          int y0 = oy * is.height() / os.height();
          int y1 = ((oy + 1) * is.height() + os.height() - 1) / os.height();
          for (int ox = 0; ox < os.width(); ox++) {
            int x0 = ox * is.width() / os.width();
            int x1 = ((ox + 1) * is.width() + os.width() - 1) / os.width();
            double share = dOut[at(os, n, c, oy, ox)] / ((y1 - y0) * (x1 - x0));
            for (int y = y0; y < y1; y++) {
              for (int x = x0; x < x1; x++) dIn[at(is, n, c, y, x)] += share;
            }
          }
        }
      }
    }
  }

  /**
   * Batch normalisation in training mode, {@code y = gamma * xhat + beta} with {@code xhat = (x - mean) /
   * sqrt(var + eps)} over the batch's (N, H, W) of each channel (biased variance):
   * {@code dx = gamma / sqrt(var + eps) * (dy - mean(dy) - xhat * mean(dy * xhat))}.
   */
  static void batchNorm(double[] xhat, int batch, Shape s, double[] gamma, double[] invStd, double[] dy, double[] dx,
      double[] dGamma, double[] dBeta) {
    int m = batch * s.plane();
    for (int c = 0; c < s.channels(); c++) {
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int n = 0; n < batch; n++) {
        int base = (n * s.channels() + c) * s.plane();
        for (int p = 0; p < s.plane(); p++) {
          sumDy += dy[base + p];
          sumDyXhat += dy[base + p] * xhat[base + p];
        }
      }
      dGamma[c] += sumDyXhat;
      dBeta[c] += sumDy;
      double k = gamma[c] * invStd[c];
      for (int n = 0; n < batch; n++) {
        int base = (n * s.channels() + c) * s.plane();
        for (int p = 0; p < s.plane(); p++) {
          dx[base + p] += k * (dy[base + p] - sumDy / m - xhat[base + p] * sumDyXhat / m);
        }
      }
    }
  }
}
