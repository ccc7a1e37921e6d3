package dev.netc.runtime.train.ops;

import dev.netc.runtime.java.Parallel;

/**
 * Batch normalisation, {@code y = gamma (x - mean) / sqrt(var + eps) + beta}, with PyTorch's training semantics:
 * in training the batch's mean and biased variance over (N, H, W) normalise, and the running statistics move by
 * {@code momentum} towards the batch's mean and <em>unbiased</em> variance; in evaluation the running statistics
 * normalise. Backward (training mode): {@code dx = gamma / sqrt(var + eps) (dy - mean(dy) - xhat mean(dy xhat))}.
 * Sums are taken in double: a channel of a big batch holds many thousands of values.
 */
public final class BatchNormOp {
  /** PyTorch's default momentum. */
  public static final double MOMENTUM = 0.1;

  private final Parallel parallel;
  private final int channels, plane;
  private final double eps;
  private final float[] invStd;
  private float[] xhat = new float[0];

  private int batch;
  private boolean training;
  private float[] in, out, gamma, beta, runningMean, runningVar, dOut, dIn, dGamma, dBeta;
  private final Parallel.Task forwardChannel = this::forwardChannel;
  private final Parallel.Task backwardChannel = this::backwardChannel;

  public BatchNormOp(Parallel parallel, int channels, int height, int width, double eps) {
    this.parallel = parallel;
    this.channels = channels;
    this.plane = height * width;
    this.eps = eps;
    this.invStd = new float[channels];
  }

  public void forward(int batch, boolean training, float[] in, float[] gamma, float[] beta, float[] runningMean,
      float[] runningVar, float[] out) {
    if (xhat.length < batch * channels * plane) xhat = new float[batch * channels * plane];
    this.batch = batch;
    this.training = training;
    this.in = in;
    this.out = out;
    this.gamma = gamma;
    this.beta = beta;
    this.runningMean = runningMean;
    this.runningVar = runningVar;
    parallel.run(channels, forwardChannel, 3L * batch * channels * plane);
    this.in = this.out = this.gamma = this.beta = this.runningMean = this.runningVar = null;
  }

  private void forwardChannel(int c, int worker) {
    double mean, var;
    if (training) {
      double sum = 0;
      for (int n = 0; n < batch; n++) {
        int b = (n * channels + c) * plane;
        for (int p = 0; p < plane; p++) sum += in[b + p];
      }
      int m = batch * plane;
      mean = sum / m;
      double sq = 0;
      for (int n = 0; n < batch; n++) {
        int b = (n * channels + c) * plane;
        for (int p = 0; p < plane; p++) {
          double d = in[b + p] - mean;
          sq += d * d;
        }
      }
      var = sq / m;
      runningMean[c] = (float) ((1 - MOMENTUM) * runningMean[c] + MOMENTUM * mean);
      runningVar[c] = (float) ((1 - MOMENTUM) * runningVar[c] + MOMENTUM * (m > 1 ? sq / (m - 1) : var));
    } else {
      mean = runningMean[c];
      var = runningVar[c];
    }
    float inv = (float) (1 / Math.sqrt(var + eps));
    invStd[c] = inv;
    float fm = (float) mean;
    for (int n = 0; n < batch; n++) {
      int b = (n * channels + c) * plane;
      for (int p = 0; p < plane; p++) {
        float xh = (in[b + p] - fm) * inv;
        xhat[b + p] = xh;
        out[b + p] = gamma[c] * xh + beta[c];
      }
    }
  }

  /** Accumulates {@code dIn}, {@code dGamma} and {@code dBeta}, using what the last {@link #forward} kept. */
  public void backward(int batch, float[] gamma, float[] dOut, float[] dIn, float[] dGamma, float[] dBeta) {
    this.batch = batch;
    this.gamma = gamma;
    this.dOut = dOut;
    this.dIn = dIn;
    this.dGamma = dGamma;
    this.dBeta = dBeta;
    parallel.run(channels, backwardChannel, 4L * batch * channels * plane);
    this.gamma = this.dOut = this.dIn = this.dGamma = this.dBeta = null;
  }

  private void backwardChannel(int c, int worker) {
    double sumDy = 0, sumDyXhat = 0;
    for (int n = 0; n < batch; n++) {
      int b = (n * channels + c) * plane;
      for (int p = 0; p < plane; p++) {
        sumDy += dOut[b + p];
        sumDyXhat += (double) dOut[b + p] * xhat[b + p];
      }
    }
    dGamma[c] += (float) sumDyXhat;
    dBeta[c] += (float) sumDy;
    if (dIn == null) return;
    int m = batch * plane;
    float k = gamma[c] * invStd[c];
    if (!training) { // evaluation mode: an affine map per channel
      for (int n = 0; n < batch; n++) {
        int b = (n * channels + c) * plane;
        for (int p = 0; p < plane; p++) dIn[b + p] += k * dOut[b + p];
      }
      return;
    }
    float meanDy = (float) (sumDy / m), meanDyXhat = (float) (sumDyXhat / m);
    for (int n = 0; n < batch; n++) {
      int b = (n * channels + c) * plane;
      for (int p = 0; p < plane; p++) dIn[b + p] += k * (dOut[b + p] - meanDy - xhat[b + p] * meanDyXhat);
    }
  }
}
