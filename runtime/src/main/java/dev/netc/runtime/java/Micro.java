package dev.netc.runtime.java;

/**
 * The innermost loops of generated kernels, kept tiny and shaped so that HotSpot's C2 vectorises them.
 *
 * <p>Why these shapes: C2's SuperWord (JDK 17) only vectorises a loop when every array in it is indexed
 * by the same expression. {@code a[j] += w * b[j]} vectorises; {@code a[o + j] += w * b[p + j]} with two
 * different offsets does not (measured: 35 against 3 GFLOP/s on one core). So generated code keeps its tiles
 * in separate row arrays that all start at index 0, and feeds four rows per call to cut the loads and stores
 * of the accumulator by four (28 GFLOP/s per core, against 16 for one row per call). Math.fma compiles to
 * vector FMA instructions: one rounding per multiply-add, and fewer instructions than multiply then add.
 */
public final class Micro {
  private Micro() {}

  /** {@code acc[j] += w0*x0[j] + w1*x1[j] + w2*x2[j] + w3*x3[j]} (fused multiply-adds, in that order) for {@code j} in {@code [from, to)}. */
  public static void fma4(float[] acc, float[] x0, float[] x1, float[] x2, float[] x3,
      float w0, float w1, float w2, float w3, int from, int to) {
    for (int j = from; j < to; j++) {
      acc[j] = Math.fma(w3, x3[j], Math.fma(w2, x2[j], Math.fma(w1, x1[j], Math.fma(w0, x0[j], acc[j]))));
    }
  }

  /** {@code acc[j] += w * x[j]} for {@code j} in {@code [from, to)}. */
  public static void fma1(float[] acc, float[] x, float w, int from, int to) {
    for (int j = from; j < to; j++) {
      acc[j] = Math.fma(w, x[j], acc[j]);
    }
  }

  /**
   * ReLU with netc's semantics on every backend, {@code v > 0 ? v : 0} (so NaN and -0 give +0), without a branch.
   * x86 has no conditional move for floats, so C2 compiles that expression to a jump, which a layer's outputs of
   * random sign mispredict half the time: LeNet-5's conv1 at batch 256 spent three quarters of its time there (25 us
   * per image, 8.6 with this). {@code Math.max} is branch-free too but returns NaN for NaN.
   *
   * <p>How: {@code v > 0} exactly when its bits minus one lie in {@code [0, 0x7F800000)} (a positive number up to
   * +infinity; zero, negatives and NaNs fall outside), and the two sign bits below make that test a mask.
   */
  public static float relu(float v) {
    int bits = Float.floatToRawIntBits(v);
    int x = bits - 1;
    return Float.intBitsToFloat(bits & ((x - 0x7F800000) & ~x) >> 31);
  }
}
