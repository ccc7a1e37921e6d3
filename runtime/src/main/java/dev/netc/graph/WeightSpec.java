package dev.netc.graph;

import java.util.Arrays;

/**
 * A tensor a node reads from the weights: its full name and its dimensions (PyTorch's layout). Most are
 * learned parameters; batch norm's running statistics are buffers, read like weights but not counted as
 * parameters (as PyTorch's {@code parameters()} does not count them).
 */
public final class WeightSpec {
  private final String name;
  private final int[] dims;
  private final boolean learned;

  /** A learned parameter. */
  public WeightSpec(String name, int... dims) {
    this(name, true, dims);
  }

  public WeightSpec(String name, boolean learned, int... dims) {
    this.name = name;
    this.dims = dims.clone();
    this.learned = learned;
  }

  /** False for buffers such as running statistics, which are not counted as parameters. */
  public boolean learned() {
    return learned;
  }

  public String name() {
    return name;
  }

  public int[] dims() {
    return dims.clone();
  }

  public int rank() {
    return dims.length;
  }

  /** Number of elements. */
  public long size() {
    long n = 1;
    for (int d : dims) n *= d;
    return n;
  }

  /** Dimensions as PyTorch prints them, e.g. {@code [96, 3, 11, 11]}. */
  public static String format(long[] dims) {
    return Arrays.toString(dims);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightSpec w && w.name.equals(name) && Arrays.equals(w.dims, dims) && w.learned == learned;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(dims);
  }
}
