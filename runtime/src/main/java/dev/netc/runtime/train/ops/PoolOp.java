package dev.netc.runtime.train.ops;

import dev.netc.graph.Pool;
import dev.netc.runtime.java.Parallel;

/**
 * Max or average pooling (overlapping windows, padding, ceil mode) with PyTorch's semantics, forward and
 * backward. Max pooling remembers, per output, the input cell that won (the first maximum in the window, as
 * PyTorch does), and its backward pass sends the gradient there; average pooling spreads it over the window
 * with the forward divisor. One task per (image, channel) plane: planes never share cells, so no locking.
 */
public final class PoolOp {
  private final Parallel parallel;
  private final Pool pool;
  private final int channels, height, width, outH, outW;
  private int[] winners = new int[0];

  private float[] in, out, dOut, dIn;
  private final Parallel.Task forwardPlane = this::forwardPlane;
  private final Parallel.Task backwardPlane = this::backwardPlane;

  public PoolOp(Parallel parallel, Pool pool, int channels, int height, int width, int outH, int outW) {
    this.parallel = parallel;
    this.pool = pool;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.outH = outH;
    this.outW = outW;
  }

  public void forward(int batch, float[] in, float[] out) {
    if (pool.kind() == Pool.Kind.MAX && winners.length < batch * channels * outH * outW) {
      winners = new int[batch * channels * outH * outW];
    }
    this.in = in;
    this.out = out;
    parallel.run(batch * channels, forwardPlane, (long) batch * channels * outH * outW * pool.windowH() * pool.windowW());
    this.in = this.out = null;
  }

  private void forwardPlane(int plane, int worker) {
    int src = plane * height * width;
    int dst = plane * outH * outW;
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        Window w = window(oy, ox);
        int o = dst + oy * outW + ox;
        if (pool.kind() == Pool.Kind.MAX) {
          int best = -1;
          float max = Float.NEGATIVE_INFINITY;
          for (int y = w.y0; y < w.y1; y++) {
            for (int x = w.x0; x < w.x1; x++) {
              int i = src + y * width + x;
              if (best < 0 || in[i] > max || in[i] != in[i]) {
                best = i;
                max = in[i];
                if (max != max) break; // NaN wins and stays, as in PyTorch
              }
            }
          }
          winners[o] = best;
          out[o] = best < 0 ? 0f : in[best];
        } else {
          float sum = 0f;
          for (int y = w.y0; y < w.y1; y++) {
            for (int x = w.x0; x < w.x1; x++) sum += in[src + y * width + x];
          }
          out[o] = w.divisor == 0 ? 0f : sum / w.divisor;
        }
      }
    }
  }

  /** Accumulates the input gradient; for max pooling, uses the winners of the last {@link #forward}. */
  public void backward(int batch, float[] in, float[] dOut, float[] dIn) {
    this.in = in;
    this.dOut = dOut;
    this.dIn = dIn;
    parallel.run(batch * channels, backwardPlane, (long) batch * channels * outH * outW * pool.windowH() * pool.windowW());
    this.in = this.dOut = this.dIn = null;
  }

  private void backwardPlane(int plane, int worker) {
    int src = plane * height * width;
    int dst = plane * outH * outW;
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        int o = dst + oy * outW + ox;
        float g = dOut[o];
        if (pool.kind() == Pool.Kind.MAX) {
          if (winners[o] >= 0) dIn[winners[o]] += g;
        } else {
          Window w = window(oy, ox);
          if (w.divisor == 0) continue;
          float share = g / w.divisor;
          for (int y = w.y0; y < w.y1; y++) {
            for (int x = w.x0; x < w.x1; x++) dIn[src + y * width + x] += share;
          }
        }
      }
    }
  }

  /** The window of output (oy, ox) clipped to the input, and average pooling's divisor (PyTorch's rules). */
  private record Window(int y0, int y1, int x0, int x1, int divisor) {}

  private Window window(int oy, int ox) {
    int y0 = oy * pool.strideH() - pool.padH();
    int x0 = ox * pool.strideW() - pool.padW();
    int y1 = Math.min(y0 + pool.windowH(), height + pool.padH());
    int x1 = Math.min(x0 + pool.windowW(), width + pool.padW());
    int padded = (y1 - y0) * (x1 - x0);
    y0 = Math.max(y0, 0);
    x0 = Math.max(x0, 0);
    y1 = Math.min(y1, height);
    x1 = Math.min(x1, width);
    int real = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
    return new Window(y0, y1, x0, x1, real == 0 ? 0 : pool.countIncludePad() ? padded : real);
  }
}
