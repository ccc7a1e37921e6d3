package dev.netc.runtime.train.ops;

import dev.netc.graph.Activation;
import dev.netc.runtime.java.Micro;
import dev.netc.runtime.java.Parallel;
import java.util.Arrays;

/**
 * A convolution (groups, strides, zero padding) with an optional fused activation, forward and backward, as
 * im2col and three matrix products per image and group: {@code out = W col}, {@code dW += dOut colT},
 * {@code dcol = W^T dOut} followed by col2im. Images run in parallel. The backward pass splits the batch into
 * a fixed number of contiguous parts ({@link #PARTS}, whatever the thread count), each summing its images' weight
 * gradient in image order into its own buffer, and adds the parts in order at the end: the gradient is the same
 * bit for bit whichever thread ran which part and however many threads there are (up to {@code PARTS}), which
 * makes training runs reproducible and resumable.
 */
public final class ConvOp {
  /** Parts of a batch in the backward pass, each with its own weight-gradient buffer. */
  static final int PARTS = 4;

  private final Parallel parallel;
  private final int channels, height, width;
  private final int filters, kernelH, kernelW, strideH, strideW, padH, padW, groups;
  private final int outH, outW;
  private final Activation activation;
  /** Per group: input channels, filters, reduction length (channel x ky x kx), output positions. */
  private final int groupChannels, groupFilters, reduction, positions;

  /** Per-worker rows starting at index 0 (what C2 vectorises), shared with same-shaped layers. */
  private final Scratch scratch;
  private static final int COL = 0, COL_T = 1, ACC = 2, D_PRE = 3, D_WEIGHT = 4, D_BIAS = 5;

  // the arguments of the pass in flight (Parallel tasks take no arguments)
  private float[] in, weight, bias, out, dOut, dIn;
  private final Parallel.Task forwardImage = this::forwardImage;
  private final Parallel.Task backwardPart = this::backwardPart;
  private int batch;

  public ConvOp(Parallel parallel, Scratch scratch, int channels, int height, int width, int filters, int kernelH, int kernelW,
      int strideH, int strideW, int padH, int padW, int groups, int outH, int outW, Activation activation) {
    this.parallel = parallel;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.filters = filters;
    this.kernelH = kernelH;
    this.kernelW = kernelW;
    this.strideH = strideH;
    this.strideW = strideW;
    this.padH = padH;
    this.padW = padW;
    this.groups = groups;
    this.outH = outH;
    this.outW = outW;
    this.activation = activation;
    this.groupChannels = channels / groups;
    this.groupFilters = filters / groups;
    this.reduction = groupChannels * kernelH * kernelW;
    this.positions = outH * outW;
    this.scratch = scratch;
  }

  /** Multiply-adds per image, for work estimates. */
  public long macs() {
    return (long) filters * reduction * positions;
  }

  /** {@code out = act(conv(in, weight) + bias)} for {@code batch} images; {@code bias} may be null. */
  public void forward(int batch, float[] in, float[] weight, float[] bias, float[] out) {
    this.in = in;
    this.weight = weight;
    this.bias = bias;
    this.out = out;
    parallel.run(batch, forwardImage, macs() * batch);
    this.in = this.weight = this.bias = this.out = null;
  }

  private void forwardImage(int n, int worker) {
    float[][] col = scratch.rows(COL, worker, reduction, positions);
    float[] acc = scratch.rows(ACC, worker, 1, positions)[0];
    for (int g = 0; g < groups; g++) {
      im2col(in, n, g, col);
      for (int fi = 0; fi < groupFilters; fi++) {
        int f = g * groupFilters + fi;
        Arrays.fill(acc, bias == null ? 0f : bias[f]);
        int wb = f * reduction;
        int r = 0;
        for (; r + 4 <= reduction; r += 4) {
          Micro.fma4(acc, col[r], col[r + 1], col[r + 2], col[r + 3],
              weight[wb + r], weight[wb + r + 1], weight[wb + r + 2], weight[wb + r + 3], 0, positions);
        }
        for (; r < reduction; r++) Micro.fma1(acc, col[r], weight[wb + r], 0, positions);
        int o = (n * filters + f) * positions;
        Activations.applyInto(activation, acc, out, o, positions);
      }
    }
  }

  /**
   * The backward pass given the forward output {@code out} (after the activation) and its gradient {@code dOut}:
   * accumulates into {@code dWeight}, {@code dBias} (may be null) and {@code dIn} (null when the input needs no
   * gradient, e.g. the network's input).
   */
  public void backward(int batch, float[] in, float[] weight, float[] out, float[] dOut, float[] dIn,
      float[] dWeight, float[] dBias) {
    this.in = in;
    this.weight = weight;
    this.out = out;
    this.dOut = dOut;
    this.dIn = dIn;
    this.batch = batch;
    int parts = Math.min(PARTS, batch);
    for (int p = 0; p < parts; p++) {
      for (float[] row : scratch.rows(D_WEIGHT, p, filters, reduction)) Arrays.fill(row, 0f);
      Arrays.fill(scratch.rows(D_BIAS, p, 1, filters)[0], 0f);
    }
    parallel.run(parts, backwardPart, 3 * macs() * batch);
    // the parts' sums, in part order
    for (int p = 0; p < parts; p++) {
      float[][] partial = scratch.rows(D_WEIGHT, p, filters, reduction);
      float[] partialBias = scratch.rows(D_BIAS, p, 1, filters)[0];
      for (int f = 0; f < filters; f++) {
        float[] row = partial[f];
        int base = f * reduction;
        for (int r = 0; r < reduction; r++) dWeight[base + r] += row[r];
        if (dBias != null) dBias[f] += partialBias[f];
      }
    }
    this.in = this.weight = this.out = this.dOut = this.dIn = null;
  }

  /** Part {@code p} of the batch: a contiguous run of images, summed in order into part {@code p}'s buffers. */
  private void backwardPart(int p, int worker) {
    int parts = Math.min(PARTS, batch);
    int from = (int) ((long) batch * p / parts), to = (int) ((long) batch * (p + 1) / parts);
    float[][] dW = scratch.rows(D_WEIGHT, p, filters, reduction);
    float[] dB = scratch.rows(D_BIAS, p, 1, filters)[0];
    for (int n = from; n < to; n++) backwardImage(n, worker, dW, dB);
  }

  private void backwardImage(int n, int worker, float[][] dW, float[] dB) {
    float[][] col = scratch.rows(COL, worker, reduction, positions);
    float[][] colT = scratch.rows(COL_T, worker, positions, reduction);
    float[][] dPre = scratch.rows(D_PRE, worker, groupFilters, positions);
    for (int g = 0; g < groups; g++) {
      // the gradient before the activation, one row per filter of the group
      for (int fi = 0; fi < groupFilters; fi++) {
        int f = g * groupFilters + fi;
        int o = (n * filters + f) * positions;
        float[] row = dPre[fi];
        Activations.backwardInto(activation, out, dOut, o, row, positions);
        float sum = 0f;
        for (int j = 0; j < positions; j++) sum += row[j];
        dB[f] += sum;
      }
      // dW[f] += sum_j dPre[f][j] * colT[j]: rows of the reduction length, four positions per call
      im2colTransposed(in, n, g, colT);
      for (int fi = 0; fi < groupFilters; fi++) {
        float[] d = dPre[fi];
        float[] w = dW[g * groupFilters + fi];
        int j = 0;
        for (; j + 4 <= positions; j += 4) {
          Micro.fma4(w, colT[j], colT[j + 1], colT[j + 2], colT[j + 3], d[j], d[j + 1], d[j + 2], d[j + 3], 0,
              reduction);
        }
        for (; j < positions; j++) Micro.fma1(w, colT[j], d[j], 0, reduction);
      }
      if (dIn == null) continue;
      // dcol[r] = sum_f W[f][r] dPre[f], then scattered back onto the input (col2im)
      for (int r = 0; r < reduction; r++) {
        float[] dc = col[r];
        Arrays.fill(dc, 0f);
        int fi = 0;
        for (; fi + 4 <= groupFilters; fi += 4) {
          int f = g * groupFilters + fi;
          Micro.fma4(dc, dPre[fi], dPre[fi + 1], dPre[fi + 2], dPre[fi + 3], weight[f * reduction + r],
              weight[(f + 1) * reduction + r], weight[(f + 2) * reduction + r], weight[(f + 3) * reduction + r], 0,
              positions);
        }
        for (; fi < groupFilters; fi++) {
          Micro.fma1(dc, dPre[fi], weight[(g * groupFilters + fi) * reduction + r], 0, positions);
        }
      }
      col2im(col, n, g, dIn);
    }
  }

  /** {@code col[r][j]}: the input value that weight row {@code r} meets at output position {@code j}. */
  private void im2col(float[] in, int n, int g, float[][] col) {
    gather(in, n, g, col, false);
  }

  /** The same values laid out {@code colT[j][r]}. */
  private void im2colTransposed(float[] in, int n, int g, float[][] colT) {
    gather(in, n, g, colT, true);
  }

  /** Both layouts of im2col: the branch on {@code transposed} is loop-invariant, so C2 unswitches it. */
  private void gather(float[] in, int n, int g, float[][] into, boolean transposed) {
    int plane = height * width;
    for (int r = 0; r < reduction; r++) {
      int ci = r / (kernelH * kernelW), ky = r / kernelW % kernelH, kx = r % kernelW;
      int base = (n * channels + g * groupChannels + ci) * plane;
      float[] row = transposed ? null : into[r];
      int j = 0;
      for (int oy = 0; oy < outH; oy++) {
        int y = oy * strideH - padH + ky;
        boolean rowInside = y >= 0 && y < height;
        for (int ox = 0; ox < outW; ox++, j++) {
          int x = ox * strideW - padW + kx;
          float v = rowInside && x >= 0 && x < width ? in[base + y * width + x] : 0f;
          if (transposed) into[j][r] = v;
          else row[j] = v;
        }
      }
    }
  }

  /** Adds {@code dcol} back onto the input positions it came from (padding positions are dropped). */
  private void col2im(float[][] dcol, int n, int g, float[] dIn) {
    int plane = height * width;
    for (int r = 0; r < reduction; r++) {
      int ci = r / (kernelH * kernelW), ky = r / kernelW % kernelH, kx = r % kernelW;
      int base = (n * channels + g * groupChannels + ci) * plane;
      float[] row = dcol[r];
      int j = 0;
      for (int oy = 0; oy < outH; oy++) {
        int y = oy * strideH - padH + ky;
        if (y < 0 || y >= height) {
          j += outW;
          continue;
        }
        for (int ox = 0; ox < outW; ox++, j++) {
          int x = ox * strideW - padW + kx;
          if (x >= 0 && x < width) dIn[base + y * width + x] += row[j];
        }
      }
    }
  }
}
