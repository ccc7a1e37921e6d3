package dev.netc.runtime.reference;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Shape;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import java.util.stream.IntStream;

/**
 * The reference definitions of LeNet-5's two operations that modern frameworks lack, in the style of {@link
 * Kernels}: textbook loop nests over batched NCHW {@code double[]} tensors, accumulating in double.
 */
final class LeNetKernels {
  private LeNetKernels() {}

  private static int at(Shape s, int n, int c, int y, int x) {
    return ((n * s.channels() + c) * s.height() + y) * s.width() + x;
  }

  /**
   * A convolution with a connection table: filter {@code f} sums over the input maps of its row only. Weight
   * {@code [connections, kh, kw]} in {@link dev.netc.graph.ConnectionTable#maps()} order, bias {@code [F]} or
   * null; then the activation epilogue. Equal to {@code conv2d} with a dense weight that is zero outside the
   * table.
   */
  static double[] tableConv(double[] in, int batch, Shape is, TableConv t, double[] weight, double[] bias,
      Shape os) {
    Conv c = t.conv();
    int[] maps = t.table().maps();
    int[] first = t.table().first();
    int taps = c.kernelH() * c.kernelW();
    double[] out = new double[batch * os.size()];
    Activation act = c.activation();
    IntStream.range(0, batch * c.filters()).parallel().forEach(nf -> {
      int n = nf / c.filters();
      int f = nf % c.filters();
      for (int oy = 0; oy < os.height(); oy++) {
        for (int ox = 0; ox < os.width(); ox++) {
          double sum = bias == null ? 0 : bias[f];
          for (int k = first[f]; k < first[f + 1]; k++) { // the filter's connections
            for (int ky = 0; ky < c.kernelH(); ky++) {
              int iy = oy * c.strideH() - c.padH() + ky;
              if (iy < 0 || iy >= is.height()) continue; // zero padding contributes nothing
              for (int kx = 0; kx < c.kernelW(); kx++) {
                int ix = ox * c.strideW() - c.padW() + kx;
                if (ix < 0 || ix >= is.width()) continue;
                sum += (double) weight[k * taps + ky * c.kernelW() + kx] * in[at(is, n, maps[k], iy, ix)];
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
   * Trainable subsampling: {@code activation(coefficient[c] * window sum + bias[c])}, no padding. Weight and
   * bias {@code [C]}, bias possibly null.
   */
  static double[] subsample(double[] in, int batch, Shape is, Subsample s, double[] weight, double[] bias,
      Shape os) {
    double[] out = new double[batch * os.size()];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < is.channels(); c++) {
        for (int oy = 0; oy < os.height(); oy++) {
          for (int ox = 0; ox < os.width(); ox++) {
            double sum = 0;
            for (int y = oy * s.strideH(); y < oy * s.strideH() + s.windowH(); y++) {
              for (int x = ox * s.strideW(); x < ox * s.strideW() + s.windowW(); x++) sum += in[at(is, n, c, y, x)];
            }
            double v = weight[c] * sum + (bias == null ? 0 : bias[c]);
            out[at(os, n, c, oy, ox)] = s.activation().apply(v);
          }
        }
      }
    }
    return out;
  }
}
