package dev.netc.runtime.io;

import java.util.Arrays;

/**
 * A float32 tensor with its name and dimensions, row-major: what {@link SafeTensorsWriter} writes and
 * {@link MapWeights} holds.
 *
 * <p>The arrays are kept as given, not copied, since weight tensors can be large; do not change them after
 * handing them over.
 *
 * @param name the tensor's name, e.g. {@code "features.0.weight"}
 * @param dims its dimensions in PyTorch's order; empty for a scalar
 * @param data its values in row-major order; exactly the product of {@code dims} of them
 */
public record NamedTensor(String name, int[] dims, float[] data) {

  /** Checks that the name is present, the dims are non-negative and the data has their product of values. */
  public NamedTensor {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a tensor needs a non-empty name");
    }
    long n = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(dims));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("tensor '" + name + "' has dims " + Arrays.toString(dims) + " ("
          + n + " values) but " + data.length + " values were given");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t && t.name.equals(name) && Arrays.equals(t.dims, dims)
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + Arrays.hashCode(dims)) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(dims);
  }
}
