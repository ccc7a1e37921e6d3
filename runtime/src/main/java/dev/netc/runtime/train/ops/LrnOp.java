package dev.netc.runtime.train.ops;

import dev.netc.graph.Lrn;
import dev.netc.runtime.java.Parallel;

/**
 * Local response normalisation across channels, {@code b_i = a_i D_i^-beta} with {@code D_i = k + coef sum_{j in
 * N(i)} a_j^2} (either convention: {@link Lrn#coefficient()} is alpha or alpha / n), forward and backward:
 * {@code da_m = db_m D_m^-beta - 2 coef beta a_m sum_{i: m in N(i)} db_i a_i D_i^(-beta-1)}.
 *
 * <p>Why it looks the way it does (measured on a small AlexNet, where LRN first took most of a training step):
 * window sums slide along the channels (add the channel entering, subtract the one leaving) instead of summing
 * {@code n} squares per value; the forward pass keeps {@code D} and {@code D^-beta} so the backward pass needs no
 * power at all ({@code D^(-beta-1) = D^-beta / D}); and AlexNet's beta of 0.75 is two square roots, not
 * {@code Math.pow}.
 */
public final class LrnOp {
  private static final int SUM = 0, TERMS = 1;

  private final Parallel parallel;
  private final Lrn lrn;
  private final int channels, plane;
  private final float coef, k, beta;
  private final Scratch scratch;
  private float[] denominators = new float[0];
  private float[] scales = new float[0]; // D^-beta

  private float[] in, out, dOut, dIn;
  private final Parallel.Task forwardImage = this::forwardImage;
  private final Parallel.Task backwardImage = this::backwardImage;

  public LrnOp(Parallel parallel, Scratch scratch, Lrn lrn, int channels, int height, int width) {
    this.parallel = parallel;
    this.scratch = scratch;
    this.lrn = lrn;
    this.channels = channels;
    this.plane = height * width;
    this.coef = (float) lrn.coefficient();
    this.k = (float) lrn.k();
    this.beta = (float) lrn.beta();
  }

  public void forward(int batch, float[] in, float[] out) {
    if (denominators.length < batch * channels * plane) {
      denominators = new float[batch * channels * plane];
      scales = new float[batch * channels * plane];
    }
    this.in = in;
    this.out = out;
    parallel.run(batch, forwardImage, 8L * batch * channels * plane);
    this.in = this.out = null;
  }

  private void forwardImage(int n, int worker) {
    int half = lrn.size() / 2;
    int base = n * channels * plane;
    float[] sum = scratch.rows(SUM, worker, 1, plane)[0];
    java.util.Arrays.fill(sum, 0f);
    for (int j = 0; j < Math.min(half, channels); j++) addSquares(sum, in, base + j * plane, 1f);
    for (int c = 0; c < channels; c++) {
      if (c + half < channels) addSquares(sum, in, base + (c + half) * plane, 1f);
      if (c - half - 1 >= 0) addSquares(sum, in, base + (c - half - 1) * plane, -1f);
      int row = base + c * plane;
      for (int p = 0; p < plane; p++) {
        float d = k + coef * Math.max(sum[p], 0f); // the running sum may dip below 0 by rounding
        float scale = powNegBeta(d);
        denominators[row + p] = d;
        scales[row + p] = scale;
        out[row + p] = in[row + p] * scale;
      }
    }
  }

  private void addSquares(float[] sum, float[] a, int offset, float sign) {
    for (int p = 0; p < plane; p++) {
      float v = a[offset + p];
      sum[p] += sign * v * v;
    }
  }

  /** {@code d^-beta}, without {@code Math.pow} for the betas networks use. */
  private float powNegBeta(float d) {
    if (beta == 0.75f) {
      float root = (float) Math.sqrt(d);
      return 1f / (root * (float) Math.sqrt(root));
    }
    if (beta == 0.5f) return 1f / (float) Math.sqrt(d);
    if (beta == 1f) return 1f / d;
    return (float) Math.pow(d, -lrn.beta());
  }

  /** Accumulates {@code dIn} from the input and what the last {@link #forward} kept. */
  public void backward(int batch, float[] in, float[] dOut, float[] dIn) {
    this.in = in;
    this.dOut = dOut;
    this.dIn = dIn;
    parallel.run(batch, backwardImage, 8L * batch * channels * plane);
    this.in = this.dOut = this.dIn = null;
  }

  private void backwardImage(int n, int worker) {
    int half = lrn.size() / 2;
    int base = n * channels * plane;
    // terms[c][p] = db a D^(-beta-1), then slid over the same windows as the forward sums
    float[][] terms = scratch.rows(TERMS, worker, channels, plane);
    for (int c = 0; c < channels; c++) {
      float[] t = terms[c];
      int row = base + c * plane;
      for (int p = 0; p < plane; p++) t[p] = dOut[row + p] * in[row + p] * scales[row + p] / denominators[row + p];
    }
    float[] sum = scratch.rows(SUM, worker, 1, plane)[0];
    java.util.Arrays.fill(sum, 0f);
    for (int j = 0; j < Math.min(half, channels); j++) add(sum, terms[j], 1f);
    float factor = 2 * coef * beta;
    for (int m = 0; m < channels; m++) {
      if (m + half < channels) add(sum, terms[m + half], 1f);
      if (m - half - 1 >= 0) add(sum, terms[m - half - 1], -1f);
      int row = base + m * plane;
      for (int p = 0; p < plane; p++) {
        dIn[row + p] += dOut[row + p] * scales[row + p] - factor * in[row + p] * sum[p];
      }
    }
  }

  private static void add(float[] sum, float[] x, float sign) {
    for (int p = 0; p < sum.length; p++) sum[p] += sign * x[p];
  }
}
