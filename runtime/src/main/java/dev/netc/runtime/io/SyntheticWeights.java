package dev.netc.runtime.io;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

/**
 * Deterministic pseudo-random weights for any name and shape, so tests can compare netc with PyTorch without
 * committing weight files: netc's Python test script computes the very same values with the same formula.
 *
 * <p>The formula, which must not change (the Python side and recorded expectations depend on it bit for bit):
 * <pre>
 * seed(name)  = 64-bit FNV-1a of the name's UTF-8 bytes
 * u(name, i)  = splitmix64 finaliser of seed + (i + 1) * 0x9E3779B97F4A7C15, top 24 bits / 2^24, in [0, 1)
 * value       = (float) (offset + scale * (2u - 1)), in double, rounded once to float
 * rank >= 2                      offset 0, scale sqrt(6 / fan_in), fan_in = product of dims[1..]
 * "*.running_var"                offset 1, scale 0.5   (variances must be positive)
 * "*.weight" of rank 1           offset 1, scale 0.2   (BatchNorm's gamma, near 1)
 * anything else                  offset 0, scale 0.1
 * </pre>
 * The rank >= 2 scale is He-uniform-like, so activations keep a sane range through deep networks.
 *
 * <p>{@link #contains} is always true: every name has values.
 */
public final class SyntheticWeights implements Weights {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double TWO_TO_MINUS_24 = 0x1.0p-24;
  /** Below this many values one thread is faster than forking. */
  private static final int PARALLEL_CHUNK = 1 << 16;

  /** The values of the tensor this spec names, by the formula above. */
  @Override
  public float[] get(WeightSpec spec) {
    int[] dims = spec.dims();
    String name = spec.name();
    if (dims.length >= 2) {
      long fanIn = 1;
      for (int i = 1; i < dims.length; i++) fanIn *= dims[i];
      return values(name, dims, 0, Math.sqrt(6.0 / fanIn));
    }
    if (name.endsWith(".running_var")) {
      return values(name, dims, 1, 0.5);
    }
    if (name.endsWith(".weight") && dims.length == 1) {
      return values(name, dims, 1, 0.2);
    }
    return values(name, dims, 0, 0.1);
  }

  /** Always true. */
  @Override
  public boolean contains(String name) {
    return true;
  }

  @Override
  public String source() {
    return "synthetic weights (netc's deterministic formula)";
  }

  /** The standard test input: the values for the name "input" with offset 0 and scale 1, in [-1, 1). */
  public static float[] input(int... dims) {
    return values("input", dims, 0, 1);
  }

  /** {@code (float) (offset + scale * (2u - 1))} for every row-major index of a tensor of these dims. */
  public static float[] values(String name, int[] dims, double offset, double scale) {
    long n = 1;
    for (int d : dims) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in " + java.util.Arrays.toString(dims));
      n *= d;
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor '" + name + "' of " + n + " values is too large for a Java array");
    }
    float[] out = new float[(int) n];
    long seed = seed(name);
    if (out.length <= PARALLEL_CHUNK) {
      fill(out, seed, 0, out.length, offset, scale);
    } else {
      int chunks = (out.length + PARALLEL_CHUNK - 1) / PARALLEL_CHUNK;
      IntStream.range(0, chunks).parallel().forEach(c -> {
        int from = c * PARALLEL_CHUNK;
        fill(out, seed, from, Math.min(out.length, from + PARALLEL_CHUNK), offset, scale);
      });
    }
    return out;
  }

  /** 64-bit FNV-1a of the name's UTF-8 bytes. */
  public static long seed(String name) {
    long h = FNV_OFFSET;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  /** u(name, i) in [0, 1) given the name's seed; exact in double (24 bits). */
  static double uniform(long seed, long i) {
    long z = seed + (i + 1) * GOLDEN;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 40) * TWO_TO_MINUS_24;
  }

  private static void fill(float[] out, long seed, int from, int to, double offset, double scale) {
    for (int i = from; i < to; i++) {
      out[i] = (float) (offset + scale * (2 * uniform(seed, i) - 1));
    }
  }
}
