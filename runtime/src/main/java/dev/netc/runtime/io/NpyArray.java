package dev.netc.runtime.io;

import java.util.Arrays;

/**
 * A float32 array as read from or written to a NumPy {@code .npy} file: its shape and its values in C
 * (row-major) order. The arrays are kept as given, not copied.
 *
 * @param shape the dimensions; empty for a 0-d array (one value)
 * @param data the values, exactly the product of {@code shape} of them
 */
public record NpyArray(int[] shape, float[] data) {

  /** Checks that the data has as many values as the shape says. */
  public NpyArray {
    long n = 1;
    for (int d : shape) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values but "
          + data.length + " were given");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray a && Arrays.equals(a.shape, shape) && Arrays.equals(a.data, data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NpyArray" + Arrays.toString(shape);
  }
}
