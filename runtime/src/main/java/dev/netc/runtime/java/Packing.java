package dev.netc.runtime.java;

import dev.netc.graph.FoldedBatchNorm;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import java.util.List;

/**
 * Weight layouts the generated kernels want, computed once while a model loads (the OpenCL backend uses the same
 * methods before uploading, so both backends run on identical numbers).
 */
public final class Packing {
  private Packing() {}

  /**
   * A dense layer's {@code [units][features]} weights as {@code features} rows of {@code units}: the kernel
   * then streams rows and updates a contiguous slice of outputs per input feature (a vectorisable loop).
   */
  public static float[][] transpose(float[] w, int units, int features) {
    float[][] t = new float[features][units];
    for (int o = 0; o < units; o++) {
      int row = o * features;
      for (int k = 0; k < features; k++) t[k][o] = w[row + k];
    }
    return t;
  }

  /** Filters per block of {@link #filterBlocks}: the filters {@link VectorConv} keeps in registers at once. */
  public static final int FILTER_BLOCK = 4;

  /**
   * A convolution's {@code [groups * filtersPerGroup][taps]} weights in blocks of {@link #FILTER_BLOCK} filters of
   * one group: block {@code b} of group {@code g} holds, for every tap {@code t}, the block's filters' weights side
   * by side at {@code ((g * blocks + b) * taps + t) * FILTER_BLOCK + i} (zero where the group has no filter {@code b
   * * FILTER_BLOCK + i}), with {@code blocks = ceil(filtersPerGroup / FILTER_BLOCK)}. A tap's weights for the
   * register tile are then consecutive.
   */
  public static float[] filterBlocks(float[] w, int groups, int filtersPerGroup, int taps) {
    return filterBlocks(w, groups, filtersPerGroup, taps, FILTER_BLOCK);
  }

  /** As {@link #filterBlocks(float[], int, int, int)} with blocks of {@code block} filters ({@link LaneConv}: 16). */
  public static float[] filterBlocks(float[] w, int groups, int filtersPerGroup, int taps, int block) {
    int blocks = (filtersPerGroup + block - 1) / block;
    float[] packed = new float[groups * blocks * taps * block];
    for (int g = 0; g < groups; g++) {
      for (int f = 0; f < filtersPerGroup; f++) {
        int from = (g * filtersPerGroup + f) * taps;
        int to = ((g * blocks + f / block) * taps) * block + f % block;
        for (int t = 0; t < taps; t++) packed[to + t * block] = w[from + t];
      }
    }
    return packed;
  }

  /**
   * For {@link LaneConv}: the offset of each output position's receptive-field corner in padded input planes of
   * {@code rowStride} columns, {@code oy * strideH * rowStride + ox * strideW} in row-major output order, then
   * {@code LaneConv.POSITIONS - 1} offsets 0, so that a register tile starting at any position reads inside the
   * table (the extra positions' sums are computed and ignored).
   */
  public static int[] outputPositions(int outH, int outW, int strideH, int strideW, int rowStride) {
    int[] pos = new int[outH * outW + LaneConv.POSITIONS - 1];
    for (int oy = 0, p = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) pos[p++] = oy * strideH * rowStride + ox * strideW;
    }
    return pos;
  }

  /**
   * The offset of every tap of a stride-1 convolution from its output's wide position (see {@link VectorConv}),
   * in the weights' order (channel, then ky, then kx): {@code c * plane + ky * rowStride + kx}. {@link VectorConv}
   * runs one flat loop over this table instead of three nested loops over (c, ky, kx), because JDK 17's C2 keeps
   * vectors in registers across one loop's iterations but boxes them across nested loops (allocating on every
   * multiply-add; measured 50x slower).
   */
  public static int[] convTaps(int channels, int plane, int rowStride, int kernelH, int kernelW) {
    int[] taps = new int[channels * kernelH * kernelW];
    int k = 0;
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < kernelH; ky++) {
        for (int kx = 0; kx < kernelW; kx++) taps[k++] = c * plane + ky * rowStride + kx;
      }
    }
    return taps;
  }

  /**
   * The tap table for {@link VectorConv#sums} over a matrix of {@code channels} rows, {@code stride} floats apart
   * ({@link Winograd}'s transformed inputs): row {@code c} at {@code c * stride}.
   */
  public static int[] channelTaps(int channels, int stride) {
    int[] taps = new int[channels];
    for (int c = 0; c < channels; c++) taps[c] = c * stride;
    return taps;
  }

  /** Batch norm as {@code y = x * scale + shift}: {@code scale = gamma / sqrt(var + eps)}, in double. */
  public static float[] batchNormScale(float[] gamma, float[] var, double eps) {
    float[] s = new float[gamma.length];
    for (int c = 0; c < s.length; c++) s[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
    return s;
  }

  /** The matching shift: {@code beta - mean * scale}. */
  public static float[] batchNormShift(float[] beta, float[] mean, float[] gamma, float[] var, double eps) {
    float[] t = new float[beta.length];
    for (int c = 0; c < t.length; c++) t[c] = (float) (beta[c] - mean[c] * (gamma[c] / Math.sqrt(var[c] + eps)));
    return t;
  }

  /** A layer's weights and bias with a batch norm folded in; the bias exists even when the layer had none. */
  public record Folded(float[] weight, float[] bias) {}

  /**
   * Reads a convolution's or dense layer's weights (first dimension: output channels), its bias when {@code
   * bias} is not null, and the four tensors of the batch norm after it, all under their own names (so a missing
   * or misshapen tensor is reported as the user named it), and folds the batch norm in, in double: per output
   * channel {@code s = gamma / sqrt(var + eps)}, {@code w' = w * s}, {@code b' = (b - mean) * s + beta}.
   */
  public static Folded foldBatchNorm(Weights weights, WeightSpec weight, WeightSpec bias, String normPrefix,
      double eps) {
    int channels = weight.dims()[0];
    List<WeightSpec> norm = new FoldedBatchNorm(normPrefix, eps).weights(channels);
    float[] w = weights.get(weight);
    float[] b = bias == null ? null : weights.get(bias);
    float[] gamma = weights.get(norm.get(0));
    float[] beta = weights.get(norm.get(1));
    float[] mean = weights.get(norm.get(2));
    float[] var = weights.get(norm.get(3));
    int per = w.length / channels;
    float[] fw = new float[w.length];
    float[] fb = new float[channels];
    for (int c = 0; c < channels; c++) {
      double scale = gamma[c] / Math.sqrt((double) var[c] + eps);
      for (int i = c * per; i < (c + 1) * per; i++) fw[i] = (float) (w[i] * scale);
      fb[c] = (float) (((b == null ? 0.0 : b[c]) - mean[c]) * scale + beta[c]);
    }
    return new Folded(fw, fb);
  }
}
