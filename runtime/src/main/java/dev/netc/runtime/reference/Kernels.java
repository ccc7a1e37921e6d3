package dev.netc.runtime.reference;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Lrn;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The reference definition of every operation, one static method each, over batched NCHW tensors held as
 * {@code double[]} ({@code batch * shape.size()} values). Written for obviousness, not speed: each method
 * is the textbook loop nest with PyTorch's semantics, accumulating in double. Only convolution and dense
 * layers, which hold nearly all the work, run in parallel, over (image, output channel) pairs.
 *
 * <p>Package-private so tests can check a single operation (for example {@link #concat}, which a one-input
 * graph cannot reach) without building a graph.
 */
final class Kernels {
  private Kernels() {}

  /** Index of element (n, c, y, x) in an NCHW tensor of shape {@code s}. */
  private static int at(Shape s, int n, int c, int y, int x) {
    return ((n * s.channels() + c) * s.height() + y) * s.width() + x;
  }

  /**
   * Cross-correlation with zero padding, strides and groups, as {@code torch.nn.functional.conv2d}, then
   * the activation epilogue. Weight is {@code [F, C/groups, kh, kw]}, bias {@code [F]} or null.
   */
  static double[] conv(double[] in, int batch, Shape is, Conv c, double[] weight, double[] bias, Shape os) {
    double[] out = new double[batch * os.size()];
    int inPerGroup = is.channels() / c.groups();
    int outPerGroup = c.filters() / c.groups();
    Activation act = c.activation();
    IntStream.range(0, batch * c.filters()).parallel().forEach(nf -> {
      int n = nf / c.filters();
      int f = nf % c.filters();
      int firstIn = (f / outPerGroup) * inPerGroup; // the group's first input channel
      for (int oy = 0; oy < os.height(); oy++) {
        for (int ox = 0; ox < os.width(); ox++) {
          double sum = bias == null ? 0 : bias[f];
          for (int ci = 0; ci < inPerGroup; ci++) {
            for (int ky = 0; ky < c.kernelH(); ky++) {
              int iy = oy * c.strideH() - c.padH() + ky;
              if (iy < 0 || iy >= is.height()) continue; // zero padding contributes nothing
              int wRow = ((f * inPerGroup + ci) * c.kernelH() + ky) * c.kernelW();
              int inRow = at(is, n, firstIn + ci, iy, 0);
              for (int kx = 0; kx < c.kernelW(); kx++) {
                int ix = ox * c.strideW() - c.padW() + kx;
                if (ix < 0 || ix >= is.width()) continue;
                sum += weight[wRow + kx] * in[inRow + ix];
              }
            }
          }
          out[at(os, n, f, oy, ox)] = act.apply(sum);
        }
      }
    });
    return out;
  }

  /**
   * A fully connected layer over each image's NCHW-flattened features ({@code torch.flatten(x, 1)}), weight
   * {@code [units, features]}, then the activation epilogue, then (if asked) a softmax over the units.
   */
  static double[] dense(double[] in, int batch, int features, int units, double[] weight, double[] bias,
      Activation act, boolean softmax) {
    double[] out = new double[batch * units];
    IntStream.range(0, batch * units).parallel().forEach(nu -> {
      int n = nu / units;
      int u = nu % units;
      double sum = bias == null ? 0 : bias[u];
      for (int i = 0; i < features; i++) sum += weight[u * features + i] * in[n * features + i];
      out[nu] = act.apply(sum);
    });
    return softmax ? softmax(out, batch, Shape.vector(units)) : out;
  }

  /** Applies {@code act} to every element. */
  static double[] activation(double[] in, Activation act) {
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) out[i] = act.apply(in[i]);
    return out;
  }

  /**
   * Local response normalisation across channels: {@code b[i] = a[i] / (k + coefficient * sum a[j]^2)^beta}
   * over {@code j = max(0, i - size/2) .. min(C-1, i + size/2)}; {@link Lrn#coefficient()} settles whether
   * alpha was given per window (PyTorch) or per element (the paper).
   */
  static double[] lrn(double[] in, int batch, Shape s, Lrn l) {
    double[] out = new double[in.length];
    int half = l.size() / 2;
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < s.channels(); c++) {
        int lo = Math.max(0, c - half);
        int hi = Math.min(s.channels() - 1, c + half);
        for (int y = 0; y < s.height(); y++) {
          for (int x = 0; x < s.width(); x++) {
            double sum = 0;
            for (int j = lo; j <= hi; j++) {
              double a = in[at(s, n, j, y, x)];
              sum += a * a;
            }
            int i = at(s, n, c, y, x);
            out[i] = in[i] / Math.pow(l.k() + l.coefficient() * sum, l.beta());
          }
        }
      }
    }
    return out;
  }

  /**
   * Max or average pooling with PyTorch's rules ({@code max_pool2d}, {@code avg_pool2d}). A window starts at
   * {@code o * stride - pad}. Max ignores padding (it is -infinity) and propagates NaN. Average divides by
   * the window clipped to the padded input ({@code in + pad} on the far side, which only ceil mode reaches)
   * when {@code countIncludePad}, else by the number of real input cells in the window.
   */
  static double[] pool(double[] in, int batch, Shape is, Pool p, Shape os) {
    double[] out = new double[batch * os.size()];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < is.channels(); c++) {
        for (int oy = 0; oy < os.height(); oy++) {
          for (int ox = 0; ox < os.width(); ox++) {
            int y0 = oy * p.strideH() - p.padH();
            int x0 = ox * p.strideW() - p.padW();
            // PyTorch's avg_pool2d: the divisor with padding is taken before clipping to the real input.
            int y1 = Math.min(y0 + p.windowH(), is.height() + p.padH());
            int x1 = Math.min(x0 + p.windowW(), is.width() + p.padW());
            int paddedCount = (y1 - y0) * (x1 - x0);
            y0 = Math.max(y0, 0);
            x0 = Math.max(x0, 0);
            y1 = Math.min(y1, is.height());
            x1 = Math.min(x1, is.width());
            double acc = p.kind() == Pool.Kind.MAX ? Double.NEGATIVE_INFINITY : 0;
            for (int y = y0; y < y1; y++) {
              for (int x = x0; x < x1; x++) {
                double v = in[at(is, n, c, y, x)];
                if (p.kind() == Pool.Kind.AVG) acc += v;
                else if (v > acc || Double.isNaN(v)) acc = v; // once NaN, acc stays NaN, as in PyTorch
              }
            }
            if (p.kind() == Pool.Kind.AVG) {
              int realCount = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
              // PyTorch writes 0 for a window with no real cell; the shape rules make that unreachable here.
              acc = realCount == 0 ? 0 : acc / (p.countIncludePad() ? paddedCount : realCount);
            }
            out[at(os, n, c, oy, ox)] = acc;
          }
        }
      }
    }
    return out;
  }

  /** The mean of each channel's plane. */
  static double[] globalAvgPool(double[] in, int batch, Shape s) {
    double[] out = new double[batch * s.channels()];
    for (int nc = 0; nc < out.length; nc++) {
      double sum = 0;
      for (int i = 0; i < s.plane(); i++) sum += in[nc * s.plane() + i];
      out[nc] = sum / s.plane();
    }
    return out;
  }

  /**
   * {@code AdaptiveAvgPool2d}: output cell {@code i} averages input rows {@code floor(i*H/outH)} to
   * {@code ceil((i+1)*H/outH) - 1}, and likewise for columns.
   */
  static double[] adaptiveAvgPool(double[] in, int batch, Shape is, Shape os) {
    double[] out = new double[batch * os.size()];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < is.channels(); c++) {
        for (int oy = 0; oy < os.height(); oy++) {
          int y0 = oy * is.height() / os.height();
          int y1 = ceilDiv((oy + 1) * is.height(), os.height());
          for (int ox = 0; ox < os.width(); ox++) {
            int x0 = ox * is.width() / os.width();
            int x1 = ceilDiv((ox + 1) * is.width(), os.width());
            double sum = 0;
            for (int y = y0; y < y1; y++) {
              for (int x = x0; x < x1; x++) sum += in[at(is, n, c, y, x)];
            }
            out[at(os, n, c, oy, ox)] = sum / ((y1 - y0) * (x1 - x0));
          }
        }
      }
    }
    return out;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Softmax across channels at each spatial position, the maximum subtracted first so exp cannot overflow. */
  static double[] softmax(double[] in, int batch, Shape s) {
    double[] out = new double[in.length];
    for (int n = 0; n < batch; n++) {
      for (int y = 0; y < s.height(); y++) {
        for (int x = 0; x < s.width(); x++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < s.channels(); c++) max = Math.max(max, in[at(s, n, c, y, x)]);
          double sum = 0;
          for (int c = 0; c < s.channels(); c++) {
            int i = at(s, n, c, y, x);
            out[i] = Math.exp(in[i] - max);
            sum += out[i];
          }
          for (int c = 0; c < s.channels(); c++) out[at(s, n, c, y, x)] /= sum;
        }
      }
    }
    return out;
  }

  /** Inference batch normalisation: {@code gamma * (x - mean) / sqrt(var + eps) + beta} per channel. */
  static double[] batchNorm(double[] in, int batch, Shape s, double eps, double[] gamma, double[] beta,
      double[] mean, double[] var) {
    double[] out = new double[in.length];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < s.channels(); c++) {
        double scale = gamma[c] / Math.sqrt(var[c] + eps);
        for (int i = 0; i < s.plane(); i++) {
          int idx = (n * s.channels() + c) * s.plane() + i;
          out[idx] = (in[idx] - mean[c]) * scale + beta[c];
        }
      }
    }
    return out;
  }

  /** Concatenation along channels, in input order; every input has the same height and width. */
  static double[] concat(List<double[]> ins, int batch, List<Shape> shapes) {
    int total = 0;
    for (Shape s : shapes) total += s.size();
    double[] out = new double[batch * total];
    int pos = 0;
    for (int n = 0; n < batch; n++) {
      for (int k = 0; k < ins.size(); k++) {
        int size = shapes.get(k).size(); // one image of input k is contiguous in NCHW
        System.arraycopy(ins.get(k), n * size, out, pos, size);
        pos += size;
      }
    }
    return out;
  }

  /** Element-wise sum of inputs of one shape. */
  static double[] add(List<double[]> ins) {
    double[] out = new double[ins.get(0).length];
    for (double[] in : ins) {
      for (int i = 0; i < out.length; i++) out[i] += in[i];
    }
    return out;
  }
}
