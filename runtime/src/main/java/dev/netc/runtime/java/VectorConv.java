package dev.netc.runtime.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sums of a stride-1 convolution with a register tile of up to four filters by 32 positions, on the
 * incubating Vector API ({@code jdk.incubator.vector}). Generated models call it only when {@link
 * VectorSupport#enabled()} says the module is there; otherwise they run their im2col tiles ({@link Micro}).
 *
 * <p>Why: the im2col path gathers every receptive field into rows, then adds four rows per call into an
 * accumulator row in memory, so each multiply-add costs about one load and a share of a store (16-35 GFLOP/s per
 * core measured). Here sixteen vector accumulators stay in registers for the whole reduction over (channel, ky,
 * kx); each tap loads four input vectors and broadcasts four weights for sixteen fused multiply-adds, which is
 * what a core can issue.
 *
 * <p><b>Wide positions.</b> The input is a padded plane per channel ({@code rowStride} columns, zero borders
 * already in place), and outputs are computed at "wide" positions {@code q = oy * rowStride + ox} for every
 * {@code ox < rowStride}, not only {@code ox < outWidth}. Then the input of tap (c, ky, kx) for consecutive
 * positions is one contiguous run, {@code in[base + c * plane + q + ky * rowStride + kx]}, so it loads as whole
 * vectors with no gather; the {@code kernelW - 1} columns past each output row are garbage, computed and then
 * ignored by the caller's epilogue (12% extra work for LeNet's conv1, 29% for its 10-wide conv2). Positions run
 * in blocks of 32 past {@code count}, so the input needs {@link #slack(int)} readable floats beyond its last
 * plane and the sums rows room for {@link #roundUp(int)} values.
 *
 * <p>Weights are packed once at load by {@link Packing#filterBlocks}: per block of four filters, per tap, the four
 * filters' weights side by side (zero for missing filters), so a tap's weights are four consecutive floats.
 */
public final class VectorConv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  /** Lanes per vector. 256 bits: this machine's Zen 4 runs 512-bit instructions as two 256-bit halves anyway. */
  private static final int L = 8;
  /** Positions per register tile (four vectors). */
  public static final int TILE = 4 * L;
  /** Filters per packed weight block. */
  public static final int BLOCK = Packing.FILTER_BLOCK;
  /** Filters per packed weight block of {@link #sums6}. */
  public static final int BLOCK6 = 6;

  private VectorConv() {}

  /** {@code count} rounded up to whole register tiles: the values a sums row must have room for. */
  public static int roundUp(int count) {
    return (count + TILE - 1) / TILE * TILE;
  }

  /**
   * Readable floats needed past the last input plane: the last tile may run 31 positions past the last wide
   * output position, whose last tap already reads the plane's final float; {@code kernelW} more keeps a margin.
   */
  public static int slack(int kernelW) {
    return TILE + kernelW;
  }

  /**
   * For the {@code filters} (1 to 4) filters of one packed block, writes to {@code sums[sumBase + i * sumStride +
   * q]}, for filter {@code i} and wide positions {@code q} in {@code [0, roundUp(count))}: the sum over taps {@code
   * k} of {@code w[wBase + k * 4 + i] * in[inBase + q + taps[k]]} ({@code taps} from {@link Packing#convTaps};
   * {@code wBase} the block's first weight). One flat array for all rows, so that a caller can lay a block's rows
   * end to end ({@link Winograd} transforms four filters' rows as one).
   */
  public static void sums(float[] in, int inBase, int[] taps, float[] w, int wBase, int filters, float[] sums,
      int sumBase, int sumStride, int count) {
    switch (filters) {
      case 4 -> block4(in, inBase, taps, w, wBase, sums, sumBase, sumStride, count);
      case 3 -> {
        block2(in, inBase, taps, w, wBase, sums, sumBase, sumStride, count);
        block1(in, inBase, taps, w, wBase + 2, sums, sumBase + 2 * sumStride, count);
      }
      case 2 -> block2(in, inBase, taps, w, wBase, sums, sumBase, sumStride, count);
      case 1 -> block1(in, inBase, taps, w, wBase, sums, sumBase, count);
      default -> throw new IllegalArgumentException("a packed block holds 1 to 4 filters, not " + filters);
    }
  }

  private static void block4(float[] in, int inBase, int[] taps, float[] w, int wBase, float[] sums, int sumBase,
      int sumStride, int count) {
    int s0 = sumBase, s1 = s0 + sumStride, s2 = s1 + sumStride, s3 = s2 + sumStride;
    for (int q = 0; q < count; q += TILE) {
      FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
      FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
      FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
      FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
      int base = inBase + q;
      for (int k = 0, t = wBase; k < taps.length; k++, t += BLOCK) {
        int p = base + taps[k];
        FloatVector x0 = FloatVector.fromArray(S, in, p);
        FloatVector x1 = FloatVector.fromArray(S, in, p + L);
        FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * L);
        FloatVector x3 = FloatVector.fromArray(S, in, p + 3 * L);
        FloatVector w0 = FloatVector.broadcast(S, w[t]);
        a00 = x0.fma(w0, a00);
        a01 = x1.fma(w0, a01);
        a02 = x2.fma(w0, a02);
        a03 = x3.fma(w0, a03);
        FloatVector w1 = FloatVector.broadcast(S, w[t + 1]);
        a10 = x0.fma(w1, a10);
        a11 = x1.fma(w1, a11);
        a12 = x2.fma(w1, a12);
        a13 = x3.fma(w1, a13);
        FloatVector w2 = FloatVector.broadcast(S, w[t + 2]);
        a20 = x0.fma(w2, a20);
        a21 = x1.fma(w2, a21);
        a22 = x2.fma(w2, a22);
        a23 = x3.fma(w2, a23);
        FloatVector w3 = FloatVector.broadcast(S, w[t + 3]);
        a30 = x0.fma(w3, a30);
        a31 = x1.fma(w3, a31);
        a32 = x2.fma(w3, a32);
        a33 = x3.fma(w3, a33);
      }
      a00.intoArray(sums, s0 + q);
      a01.intoArray(sums, s0 + q + L);
      a02.intoArray(sums, s0 + q + 2 * L);
      a03.intoArray(sums, s0 + q + 3 * L);
      a10.intoArray(sums, s1 + q);
      a11.intoArray(sums, s1 + q + L);
      a12.intoArray(sums, s1 + q + 2 * L);
      a13.intoArray(sums, s1 + q + 3 * L);
      a20.intoArray(sums, s2 + q);
      a21.intoArray(sums, s2 + q + L);
      a22.intoArray(sums, s2 + q + 2 * L);
      a23.intoArray(sums, s2 + q + 3 * L);
      a30.intoArray(sums, s3 + q);
      a31.intoArray(sums, s3 + q + L);
      a32.intoArray(sums, s3 + q + 2 * L);
      a33.intoArray(sums, s3 + q + 3 * L);
    }
  }

  /** Two filters: lanes {@code wBase} and {@code wBase + 1} of each tap's block of four. */
  private static void block2(float[] in, int inBase, int[] taps, float[] w, int wBase, float[] sums, int sumBase,
      int sumStride, int count) {
    int s0 = sumBase, s1 = s0 + sumStride;
    for (int q = 0; q < count; q += TILE) {
      FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
      FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
      int base = inBase + q;
      for (int k = 0, t = wBase; k < taps.length; k++, t += BLOCK) {
        int p = base + taps[k];
        FloatVector x0 = FloatVector.fromArray(S, in, p);
        FloatVector x1 = FloatVector.fromArray(S, in, p + L);
        FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * L);
        FloatVector x3 = FloatVector.fromArray(S, in, p + 3 * L);
        FloatVector w0 = FloatVector.broadcast(S, w[t]);
        a00 = x0.fma(w0, a00);
        a01 = x1.fma(w0, a01);
        a02 = x2.fma(w0, a02);
        a03 = x3.fma(w0, a03);
        FloatVector w1 = FloatVector.broadcast(S, w[t + 1]);
        a10 = x0.fma(w1, a10);
        a11 = x1.fma(w1, a11);
        a12 = x2.fma(w1, a12);
        a13 = x3.fma(w1, a13);
      }
      a00.intoArray(sums, s0 + q);
      a01.intoArray(sums, s0 + q + L);
      a02.intoArray(sums, s0 + q + 2 * L);
      a03.intoArray(sums, s0 + q + 3 * L);
      a10.intoArray(sums, s1 + q);
      a11.intoArray(sums, s1 + q + L);
      a12.intoArray(sums, s1 + q + 2 * L);
      a13.intoArray(sums, s1 + q + 3 * L);
    }
  }

  /** One filter: lane {@code wBase} of each tap's block of four. */
  private static void block1(float[] in, int inBase, int[] taps, float[] w, int wBase, float[] sums, int sumBase,
      int count) {
    int s0 = sumBase;
    for (int q = 0; q < count; q += TILE) {
      FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
      int base = inBase + q;
      for (int k = 0, t = wBase; k < taps.length; k++, t += BLOCK) {
        int p = base + taps[k];
        FloatVector w0 = FloatVector.broadcast(S, w[t]);
        a00 = FloatVector.fromArray(S, in, p).fma(w0, a00);
        a01 = FloatVector.fromArray(S, in, p + L).fma(w0, a01);
        a02 = FloatVector.fromArray(S, in, p + 2 * L).fma(w0, a02);
        a03 = FloatVector.fromArray(S, in, p + 3 * L).fma(w0, a03);
      }
      a00.intoArray(sums, s0 + q);
      a01.intoArray(sums, s0 + q + L);
      a02.intoArray(sums, s0 + q + 2 * L);
      a03.intoArray(sums, s0 + q + 3 * L);
    }
  }

  /**
   * As {@link #sums} for one block of six filters (weights packed in blocks of {@link #BLOCK6}; missing filters have
   * zero weights and their rows are written too): 24 accumulators, which AVX-512's 32 vector registers hold. For
   * layers whose filters blocks of four would leave half empty (LeNet-5's conv1, 6 filters): one pass instead of a
   * block of four and one of two (3.8 -> 2.6 us per LeNet-5 image in a harness). Every store is written out: a helper taking the vectors
   * as arguments was not inlined into this large method, so they were boxed, and the layer ran 1.7x slower.
   */
  public static void sums6(float[] in, int inBase, int[] taps, float[] w, int wBase, float[] sums, int sumBase,
      int sumStride, int count) {
    int s0 = sumBase, s1 = s0 + sumStride, s2 = s1 + sumStride, s3 = s2 + sumStride, s4 = s3 + sumStride;
    int s5 = s4 + sumStride;
    for (int q = 0; q < count; q += TILE) {
      FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
      FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
      FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
      FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
      FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
      FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
      int base = inBase + q;
      for (int k = 0, t = wBase; k < taps.length; k++, t += BLOCK6) {
        int p = base + taps[k];
        FloatVector x0 = FloatVector.fromArray(S, in, p);
        FloatVector x1 = FloatVector.fromArray(S, in, p + L);
        FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * L);
        FloatVector x3 = FloatVector.fromArray(S, in, p + 3 * L);
        FloatVector w0 = FloatVector.broadcast(S, w[t]);
        a00 = x0.fma(w0, a00);
        a01 = x1.fma(w0, a01);
        a02 = x2.fma(w0, a02);
        a03 = x3.fma(w0, a03);
        FloatVector w1 = FloatVector.broadcast(S, w[t + 1]);
        a10 = x0.fma(w1, a10);
        a11 = x1.fma(w1, a11);
        a12 = x2.fma(w1, a12);
        a13 = x3.fma(w1, a13);
        FloatVector w2 = FloatVector.broadcast(S, w[t + 2]);
        a20 = x0.fma(w2, a20);
        a21 = x1.fma(w2, a21);
        a22 = x2.fma(w2, a22);
        a23 = x3.fma(w2, a23);
        FloatVector w3 = FloatVector.broadcast(S, w[t + 3]);
        a30 = x0.fma(w3, a30);
        a31 = x1.fma(w3, a31);
        a32 = x2.fma(w3, a32);
        a33 = x3.fma(w3, a33);
        FloatVector w4 = FloatVector.broadcast(S, w[t + 4]);
        a40 = x0.fma(w4, a40);
        a41 = x1.fma(w4, a41);
        a42 = x2.fma(w4, a42);
        a43 = x3.fma(w4, a43);
        FloatVector w5 = FloatVector.broadcast(S, w[t + 5]);
        a50 = x0.fma(w5, a50);
        a51 = x1.fma(w5, a51);
        a52 = x2.fma(w5, a52);
        a53 = x3.fma(w5, a53);
      }
      a00.intoArray(sums, s0 + q);
      a01.intoArray(sums, s0 + q + L);
      a02.intoArray(sums, s0 + q + 2 * L);
      a03.intoArray(sums, s0 + q + 3 * L);
      a10.intoArray(sums, s1 + q);
      a11.intoArray(sums, s1 + q + L);
      a12.intoArray(sums, s1 + q + 2 * L);
      a13.intoArray(sums, s1 + q + 3 * L);
      a20.intoArray(sums, s2 + q);
      a21.intoArray(sums, s2 + q + L);
      a22.intoArray(sums, s2 + q + 2 * L);
      a23.intoArray(sums, s2 + q + 3 * L);
      a30.intoArray(sums, s3 + q);
      a31.intoArray(sums, s3 + q + L);
      a32.intoArray(sums, s3 + q + 2 * L);
      a33.intoArray(sums, s3 + q + 3 * L);
      a40.intoArray(sums, s4 + q);
      a41.intoArray(sums, s4 + q + L);
      a42.intoArray(sums, s4 + q + 2 * L);
      a43.intoArray(sums, s4 + q + 3 * L);
      a50.intoArray(sums, s5 + q);
      a51.intoArray(sums, s5 + q + L);
      a52.intoArray(sums, s5 + q + 2 * L);
      a53.intoArray(sums, s5 + q + 3 * L);
    }
  }
}
