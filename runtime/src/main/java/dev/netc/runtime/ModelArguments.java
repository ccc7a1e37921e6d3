package dev.netc.runtime;

import dev.netc.graph.Shape;
import java.nio.FloatBuffer;

/**
 * The argument checks every backend's {@code forward} makes, in one place so that all backends refuse the
 * same mistakes with the same messages (expected against actual) before touching any memory.
 */
public final class ModelArguments {
  private ModelArguments() {}

  /** Checks an array call; returns the number of input floats. */
  public static int check(String model, boolean closed, Shape inputShape, Shape outputShape, int batch,
      float[] input, float[] output) {
    int in = checkBatch(model, closed, batch) * inputShape.size();
    int out = batch * outputShape.size();
    if (input.length != in) {
      throw new IllegalArgumentException(model + " expects " + in + " input floats (" + batch + " x " + inputShape
          + ") but got " + input.length);
    }
    if (output.length < out) {
      throw new IllegalArgumentException(model + " writes " + out + " output floats (" + batch + " x "
          + outputShape + ") but the output array holds " + output.length);
    }
    return in;
  }

  /** Checks a buffer call; returns the number of input floats. */
  public static int check(String model, boolean closed, Shape inputShape, Shape outputShape, int batch,
      FloatBuffer input, FloatBuffer output) {
    int in = checkBatch(model, closed, batch) * inputShape.size();
    int out = batch * outputShape.size();
    if (input.remaining() < in) {
      throw new IllegalArgumentException(model + " expects " + in + " input floats (" + batch + " x " + inputShape
          + ") but the buffer has " + input.remaining() + " remaining");
    }
    if (output.remaining() < out) {
      throw new IllegalArgumentException(model + " writes " + out + " output floats but the output buffer has "
          + output.remaining() + " remaining");
    }
    if (output.isReadOnly()) throw new IllegalArgumentException(model + ": the output buffer is read-only");
    return in;
  }

  private static int checkBatch(String model, boolean closed, int batch) {
    if (closed) throw new IllegalStateException("model " + model + " is closed");
    if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    return batch;
  }
}
