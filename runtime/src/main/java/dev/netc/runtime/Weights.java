package dev.netc.runtime;

import dev.netc.graph.WeightSpec;
import java.nio.FloatBuffer;

/**
 * A source of named weight tensors: a safetensors file, an in-memory map, or synthetic values.
 *
 * <p>Models ask for each tensor by its {@link WeightSpec}: name and the dimensions they expect. An
 * implementation returns the data in row-major order or throws {@link WeightsException} naming the source,
 * the tensor, and the expected against the actual shape or dtype.
 */
public interface Weights extends AutoCloseable {

  /** The tensor's values, row-major, as a new array the caller may keep. */
  float[] get(WeightSpec spec);

  /**
   * The tensor's values, row-major and checked like {@link #get}, as a buffer valid until this source is closed,
   * which the caller reads and never writes: for a device upload, which copies them once. A memory-mapped file
   * answers with a read-only view of its pages in native byte order (no copy, no Java heap), so loading a large
   * model does not first copy its weights into arrays; the default wraps the fresh array of {@link #get}, which
   * the upload then copies from directly.
   */
  default FloatBuffer buffer(WeightSpec spec) {
    return FloatBuffer.wrap(get(spec));
  }

  /** Whether a tensor of this name exists (whatever its shape). */
  boolean contains(String name);

  /** Where the weights come from, for messages: a file path or a short description. */
  String source();

  /** Releases what the source holds (a mapped file); models copy what they need while loading. */
  @Override
  default void close() {}
}
