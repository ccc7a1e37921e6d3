package dev.netc.runtime.train.ops;

import dev.netc.graph.Lrn;
import dev.netc.runtime.java.Parallel;

/**
 * Local response normalisation across channels, {@code b_i = a_i D_i^-beta} with {@code D_i = k + coef sum_{j in
 * N(i)} a_j^2} (either convention: {@link Lrn#coefficient()} is alpha or alpha / n), forward and backward:
 * {@code da_m = db_m D_m^-beta - 2 coef beta a_m sum_{i: m in N(i)} db_i a_i D_i^(-beta-1)}. The forward pass
 * keeps {@code D} for the backward pass; powers are taken in double.
 */
public final class LrnOp {
  private final Parallel parallel;
  private final Lrn lrn;
  private final int channels, plane;
  private float[] denominators = new float[0];
  private final float[][] terms; // per worker [channels]

  private float[] in, out, dOut, dIn;
  private final Parallel.Task forwardImage = this::forwardImage;
  private final Parallel.Task backwardImage = this::backwardImage;

  public LrnOp(Parallel parallel, Lrn lrn, int channels, int height, int width) {
    this.parallel = parallel;
    this.lrn = lrn;
    this.channels = channels;
    this.plane = height * width;
    this.terms = new float[parallel.threads()][channels];
  }

  public void forward(int batch, float[] in, float[] out) {
    if (denominators.length < batch * channels * plane) denominators = new float[batch * channels * plane];
    this.in = in;
    this.out = out;
    parallel.run(batch, forwardImage, (long) batch * channels * plane * lrn.size());
    this.in = this.out = null;
  }

  private void forwardImage(int n, int worker) {
    int half = lrn.size() / 2;
    double coef = lrn.coefficient();
    int base = n * channels * plane;
    for (int c = 0; c < channels; c++) {
      int lo = Math.max(0, c - half), hi = Math.min(channels - 1, c + half);
      for (int p = 0; p < plane; p++) {
        double sum = 0;
        for (int j = lo; j <= hi; j++) {
          double a = in[base + j * plane + p];
          sum += a * a;
        }
        int i = base + c * plane + p;
        double d = lrn.k() + coef * sum;
        denominators[i] = (float) d;
        out[i] = (float) (in[i] * Math.pow(d, -lrn.beta()));
      }
    }
  }

  /** Accumulates {@code dIn} from the input and the denominators of the last {@link #forward}. */
  public void backward(int batch, float[] in, float[] dOut, float[] dIn) {
    this.in = in;
    this.dOut = dOut;
    this.dIn = dIn;
    parallel.run(batch, backwardImage, 2L * batch * channels * plane * lrn.size());
    this.in = this.dOut = this.dIn = null;
  }

  private void backwardImage(int n, int worker) {
    int half = lrn.size() / 2;
    double coef = lrn.coefficient();
    double beta = lrn.beta();
    float[] t = terms[worker];
    int base = n * channels * plane;
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < channels; c++) {
        int i = base + c * plane + p;
        t[c] = (float) (dOut[i] * in[i] * Math.pow(denominators[i], -beta - 1));
      }
      for (int m = 0; m < channels; m++) {
        double sum = 0;
        for (int i = Math.max(0, m - half); i <= Math.min(channels - 1, m + half); i++) sum += t[i];
        int im = base + m * plane + p;
        dIn[im] += (float) (dOut[im] * Math.pow(denominators[im], -beta) - 2 * coef * beta * in[im] * sum);
      }
    }
  }
}
