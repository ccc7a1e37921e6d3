package dev.netc.runtime.train.ops;

import dev.netc.graph.Activation;

/**
 * Activations forward and backward in float32. The backward pass needs only the activation's <em>output</em>
 * {@code y}: every activation netc supports has a derivative expressible in {@code y} (ReLU {@code y > 0}, tanh
 * {@code 1 - y^2}, sigmoid {@code y (1 - y)}, ELU {@code y + alpha} below zero, ...). That is what lets a trainer
 * fuse an activation into the convolution or dense layer before it: the pre-activation is never stored.
 */
public final class Activations {
  private Activations() {}

  /** {@code x[from..to)} through {@code a}, in place. */
  public static void apply(Activation a, float[] x, int from, int to) {
    switch (a.kind()) {
      case IDENTITY -> { }
      case RELU -> {
        for (int i = from; i < to; i++) x[i] = x[i] > 0f ? x[i] : 0f;
      }
      default -> {
        for (int i = from; i < to; i++) x[i] = (float) a.apply(x[i]);
      }
    }
  }

  /** {@code out[offset + j] = act(row[j])} for {@code j < count}: a fused epilogue's store. */
  public static void applyInto(Activation a, float[] row, float[] out, int offset, int count) {
    switch (a.kind()) {
      case IDENTITY -> System.arraycopy(row, 0, out, offset, count);
      case RELU -> {
        for (int j = 0; j < count; j++) out[offset + j] = row[j] > 0f ? row[j] : 0f;
      }
      default -> {
        for (int j = 0; j < count; j++) out[offset + j] = (float) a.apply(row[j]);
      }
    }
  }

  /** The derivative at the point whose output is {@code y} (see the class comment). */
  public static float derivativeAtOutput(Activation a, float y) {
    return switch (a.kind()) {
      case IDENTITY -> 1f;
      case RELU -> y > 0f ? 1f : 0f;
      // a negative slope keeps the sign of the input only for alpha > 0, which the DSL requires
      case LEAKY_RELU -> y > 0f ? 1f : a.alpha();
      case ELU -> y > 0f ? 1f : y + a.alpha();
      case SELU -> y > 0f ? (float) Activation.SELU_SCALE : y + (float) (Activation.SELU_SCALE * Activation.SELU_ALPHA);
      case TANH -> 1f - y * y;
      case SIGMOID -> y * (1f - y);
    };
  }

  /**
   * {@code row[j] = dy[offset + j] * act'(y[offset + j])} for {@code j < count}: overwrites a zero-based row, for
   * fused epilogues.
   */
  public static void backwardInto(Activation a, float[] y, float[] dy, int offset, float[] row, int count) {
    if (a.kind() == Activation.Kind.IDENTITY) {
      System.arraycopy(dy, offset, row, 0, count);
    } else if (a.kind() == Activation.Kind.RELU) {
      for (int j = 0; j < count; j++) row[j] = y[offset + j] > 0f ? dy[offset + j] : 0f;
    } else {
      for (int j = 0; j < count; j++) row[j] = dy[offset + j] * derivativeAtOutput(a, y[offset + j]);
    }
  }

  /** {@code dx[i] += dy[i] * act'(y[i])}: a standalone activation layer's backward pass. */
  public static void accumulateBackward(Activation a, float[] y, float[] dy, float[] dx, int count) {
    for (int i = 0; i < count; i++) dx[i] += dy[i] * derivativeAtOutput(a, y[i]);
  }
}
