package dev.netc.runtime.train.ops;

import dev.netc.graph.Pool;
import dev.netc.runtime.java.Parallel;

/**
 * Max or average pooling (overlapping windows, padding, ceil mode) with PyTorch's semantics, forward and
 * backward. Max pooling remembers, per output, the input cell that won (the first maximum in the window, as
 * PyTorch does, found again in the backward pass by comparing with the output), and its backward pass sends the
 * gradient there; average pooling spreads it over the window
 * with the forward divisor. One task per (image, channel) plane: planes never share cells, so no locking.
 */
public final class PoolOp {
  private final Parallel parallel;
  private final Pool pool;
  private final int channels, height, width, outH, outW;

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
    int[][] rows = windows(outH, pool.windowH(), pool.strideH(), pool.padH(), height);
    int[][] columns = windows(outW, pool.windowW(), pool.strideW(), pool.padW(), width);
    this.y0 = rows[0];
    this.y1 = rows[1];
    this.paddedH = rows[2];
    this.x0 = columns[0];
    this.x1 = columns[1];
    this.paddedW = columns[2];
  }

  public void forward(int batch, float[] in, float[] out) {
    this.in = in;
    this.out = out;
    parallel.run(batch * channels, forwardPlane, (long) batch * channels * outH * outW * pool.windowH() * pool.windowW());
    this.in = this.out = null;
  }

  private void forwardPlane(int plane, int worker) {
    int src = plane * height * width;
    int dst = plane * outH * outW;
    boolean max = pool.kind() == Pool.Kind.MAX;
    for (int oy = 0; oy < outH; oy++) {
      int ys = y0[oy], ye = y1[oy];
      for (int ox = 0; ox < outW; ox++) {
        int xs = x0[ox], xe = x1[ox];
        int o = dst + oy * outW + ox;
        if (max) {
          // branch-free: which cell won is found again in the backward pass, only when needed
          float m = Float.NEGATIVE_INFINITY;
          for (int y = ys; y < ye; y++) {
            int row = src + y * width;
            for (int x = xs; x < xe; x++) m = Math.max(m, in[row + x]); // NaN propagates, as in PyTorch
          }
          out[o] = ys < ye && xs < xe ? m : 0f;
        } else {
          float sum = 0f;
          for (int y = ys; y < ye; y++) {
            int row = src + y * width;
            for (int x = xs; x < xe; x++) sum += in[row + x];
          }
          int divisor = divisor(oy, ox);
          out[o] = divisor == 0 ? 0f : sum / divisor;
        }
      }
    }
  }

  /**
   * Accumulates the input gradient, given the input and the output of the forward pass (max pooling finds each
   * window's winner again: the first cell equal to the output).
   */
  public void backward(int batch, float[] in, float[] out, float[] dOut, float[] dIn) {
    this.out = out;
    this.in = in;
    this.dOut = dOut;
    this.dIn = dIn;
    parallel.run(batch * channels, backwardPlane, (long) batch * channels * outH * outW * pool.windowH() * pool.windowW());
    this.in = this.out = this.dOut = this.dIn = null;
  }

  private void backwardPlane(int plane, int worker) {
    int src = plane * height * width;
    int dst = plane * outH * outW;
    boolean max = pool.kind() == Pool.Kind.MAX;
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        int o = dst + oy * outW + ox;
        float g = dOut[o];
        if (max) {
          int winner = winner(src, oy, ox, out[o]);
          if (winner >= 0) dIn[winner] += g;
          continue;
        }
        int divisor = divisor(oy, ox);
        if (divisor == 0) continue;
        float share = g / divisor;
        for (int y = y0[oy]; y < y1[oy]; y++) {
          int row = src + y * width;
          for (int x = x0[ox]; x < x1[ox]; x++) dIn[row + x] += share;
        }
      }
    }
  }

  /** The first cell of the window holding {@code max} (the first NaN when it is NaN), or -1 for none. */
  private int winner(int src, int oy, int ox, float max) {
    boolean nan = max != max;
    for (int y = y0[oy]; y < y1[oy]; y++) {
      int row = src + y * width;
      for (int x = x0[ox]; x < x1[ox]; x++) {
        float v = in[row + x];
        if (v == max || (nan && v != v)) return row + x;
      }
    }
    return -1;
  }

  /** Average pooling's divisor for output (oy, ox), by PyTorch's rule; 0 for a window with no input cell. */
  private int divisor(int oy, int ox) {
    int real = (y1[oy] - y0[oy]) * (x1[ox] - x0[ox]);
    if (real <= 0) return 0;
    return pool.countIncludePad() ? paddedH[oy] * paddedW[ox] : real;
  }

  /**
   * Each output row's and column's window, clipped to the input ({@code y0..y1}, {@code x0..x1}), and its extent
   * clipped only to the padded input (average pooling's divisor with {@code countIncludePad}).
   */
  private final int[] y0, y1, x0, x1, paddedH, paddedW;

  private static int[][] windows(int out, int window, int stride, int pad, int size) {
    int[][] w = new int[3][out];
    for (int o = 0; o < out; o++) {
      int start = o * stride - pad;
      int end = Math.min(start + window, size + pad);
      w[2][o] = end - start;
      w[0][o] = Math.max(start, 0);
      w[1][o] = Math.max(Math.min(end, size), w[0][o]);
    }
    return w;
  }
}
