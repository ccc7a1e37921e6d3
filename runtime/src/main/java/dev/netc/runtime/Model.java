package dev.netc.runtime;

import dev.netc.graph.Shape;
import java.nio.FloatBuffer;

/**
 * A network ready to run: weights loaded, buffers allocated. Tensors are float32 in NCHW order, the batch
 * size chosen per call.
 *
 * <p>Calls on one model are serialised (a second thread waits for the first); for parallel inference give
 * each thread its own model. After {@link #close()} every call throws {@link IllegalStateException}.
 */
public interface Model extends AutoCloseable {

  /** The network's name (the annotated class's simple name). */
  String name();

  /** Which backend runs it, e.g. "java (2 threads)". */
  String backend();

  /** Shape of one input image. */
  Shape inputShape();

  /** Shape of one output. */
  Shape outputShape();

  /** Runs {@code batch} images ({@code batch * inputShape().size()} floats) and returns the outputs. */
  default float[] forward(float[] input, int batch) {
    float[] out = new float[batch * outputShape().size()];
    forward(input, out, batch);
    return out;
  }

  /** Runs {@code batch} images into {@code output}; no allocation in steady state. */
  void forward(float[] input, float[] output, int batch);

  /** Runs {@code batch} images from the buffer's position into the output buffer's position. */
  void forward(FloatBuffer input, FloatBuffer output, int batch);

  /** Releases threads and memory; idempotent. */
  @Override
  void close();
}
