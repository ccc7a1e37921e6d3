package dev.netc.runtime.train.ops;

import dev.netc.graph.Activation;
import dev.netc.runtime.java.Micro;
import dev.netc.runtime.java.Parallel;
import java.util.Arrays;

/**
 * A fully connected layer with an optional fused activation, forward and backward, for a batch. The weight is
 * PyTorch's {@code [units, features]}; each pass copies it into row arrays (transposed for the forward product) so
 * that every inner loop is a vectorisable multiply-add over a whole row: {@code out[n] += x[n][i] W^T[i]},
 * {@code dW[u] += dPre[n][u] x[n]}, {@code dx[n] += dPre[n][u] W[u]}. The copies cost one pass over the weights
 * against a batch's worth of arithmetic on them.
 */
public final class DenseOp {
  /** Units per weight-gradient task: few enough tasks to keep scheduling cheap, enough to share 2+ cores. */
  private static final int UNITS_PER_TASK = 8;

  private final Parallel parallel;
  private final int features, units;
  private final Activation activation;
  private final float[][] weightRows;       // [units][features]
  private final float[][] weightColumns;    // [features][units]
  private final float[][] gradientRows;     // [units][features]
  private final float[][] dInRow;           // per worker [features]
  private float[][] inputRows = new float[0][];   // [batch][features], grows
  private float[][] outputRows = new float[0][];  // [batch][units], grows
  private float[][] dPreRows = new float[0][];    // [batch][units], grows

  private float[] in, bias, out, dIn, dWeight, dBias;
  private int batch;
  private final Parallel.Task forwardImage = this::forwardImage;
  private final Parallel.Task weightGradient = this::weightGradient;
  private final Parallel.Task inputGradient = this::inputGradient;

  public DenseOp(Parallel parallel, int features, int units, Activation activation) {
    this.parallel = parallel;
    this.features = features;
    this.units = units;
    this.activation = activation;
    this.weightRows = new float[units][features];
    this.weightColumns = new float[features][units];
    this.gradientRows = new float[units][features];
    this.dInRow = new float[parallel.threads()][features];
  }

  private void ensureBatch(int batch) {
    if (inputRows.length < batch) {
      inputRows = new float[batch][features];
      outputRows = new float[batch][units];
      dPreRows = new float[batch][units];
    }
  }

  /** {@code out = act(in W^T + bias)}; {@code bias} may be null. */
  public void forward(int batch, float[] in, float[] weight, float[] bias, float[] out) {
    ensureBatch(batch);
    for (int u = 0; u < units; u++) {
      for (int i = 0; i < features; i++) weightColumns[i][u] = weight[u * features + i];
    }
    this.in = in;
    this.bias = bias;
    this.out = out;
    this.batch = batch;
    parallel.run(batch, forwardImage, (long) features * units * batch);
    this.in = this.bias = this.out = null;
  }

  private void forwardImage(int n, int worker) {
    float[] acc = outputRows[n];
    if (bias == null) Arrays.fill(acc, 0f);
    else System.arraycopy(bias, 0, acc, 0, units);
    int x = n * features;
    int i = 0;
    for (; i + 4 <= features; i += 4) {
      Micro.fma4(acc, weightColumns[i], weightColumns[i + 1], weightColumns[i + 2], weightColumns[i + 3],
          in[x + i], in[x + i + 1], in[x + i + 2], in[x + i + 3], 0, units);
    }
    for (; i < features; i++) Micro.fma1(acc, weightColumns[i], in[x + i], 0, units);
    Activations.applyInto(activation, acc, out, n * units, units);
  }

  /**
   * The backward pass given the forward output {@code out} (after the activation) and its gradient; accumulates
   * into {@code dWeight}, {@code dBias} (may be null) and {@code dIn} (may be null).
   */
  public void backward(int batch, float[] in, float[] weight, float[] out, float[] dOut, float[] dIn,
      float[] dWeight, float[] dBias) {
    ensureBatch(batch);
    for (int n = 0; n < batch; n++) {
      System.arraycopy(in, n * features, inputRows[n], 0, features);
      Activations.backwardInto(activation, out, dOut, n * units, dPreRows[n], units);
    }
    for (int u = 0; u < units; u++) System.arraycopy(weight, u * features, weightRows[u], 0, features);
    this.batch = batch;
    this.dIn = dIn;
    this.dWeight = dWeight;
    this.dBias = dBias;
    long work = (long) features * units * batch;
    parallel.run((units + UNITS_PER_TASK - 1) / UNITS_PER_TASK, weightGradient, work);
    if (dIn != null) parallel.run(batch, inputGradient, work);
    this.dIn = this.dWeight = this.dBias = null;
  }

  private void weightGradient(int task, int worker) {
    int u0 = task * UNITS_PER_TASK, u1 = Math.min(units, u0 + UNITS_PER_TASK);
    for (int u = u0; u < u1; u++) {
      float[] g = gradientRows[u];
      Arrays.fill(g, 0f);
      float sum = 0f;
      int n = 0;
      for (; n + 4 <= batch; n += 4) {
        Micro.fma4(g, inputRows[n], inputRows[n + 1], inputRows[n + 2], inputRows[n + 3], dPreRows[n][u],
            dPreRows[n + 1][u], dPreRows[n + 2][u], dPreRows[n + 3][u], 0, features);
      }
      for (; n < batch; n++) Micro.fma1(g, inputRows[n], dPreRows[n][u], 0, features);
      for (n = 0; n < batch; n++) sum += dPreRows[n][u];
      int base = u * features;
      for (int i = 0; i < features; i++) dWeight[base + i] += g[i];
      if (dBias != null) dBias[u] += sum;
    }
  }

  private void inputGradient(int n, int worker) {
    float[] dx = dInRow[worker];
    Arrays.fill(dx, 0f);
    float[] d = dPreRows[n];
    int u = 0;
    for (; u + 4 <= units; u += 4) {
      Micro.fma4(dx, weightRows[u], weightRows[u + 1], weightRows[u + 2], weightRows[u + 3], d[u], d[u + 1],
          d[u + 2], d[u + 3], 0, features);
    }
    for (; u < units; u++) Micro.fma1(dx, weightRows[u], d[u], 0, features);
    int base = n * features;
    for (int i = 0; i < features; i++) dIn[base + i] += dx[i];
  }
}
