package dev.netc.runtime.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sums of a convolution with filters across vector lanes: a register tile of 8 output positions by 16 filters
 * (two vectors each), on the incubating Vector API. Each tap broadcasts one input value per position and loads the
 * 16 filters' weights as two vectors, so only valid positions are computed, at any stride.
 *
 * <p>Why beside {@link VectorConv}, which puts positions across lanes: that one computes "wide" positions, every
 * column of the padded row, and pays for the {@code kernelW - 1} garbage columns per row and for rounding to whole
 * 32-position tiles: 60% extra work on LeNet-5's conv2 (10 x 10 outputs from 14-column rows), 33% on AlexNet's
 * 13 x 13 layers, and it cannot do strided layers at all. Here the waste is in filters instead (rounded to 16), so
 * layers with many filters and small or strided maps take this kernel.
 *
 * <p>Blocks of 32 filters ({@link #sums32}, six positions by 32 filters) suit layers with 32 filters or more per
 * group: fewer instructions per multiply-add.
 *
 * <p>Positions come from a table of offsets into the padded input planes ({@code pos[p]}, see {@link
 * Packing#outputPositions}) and taps from {@link Packing#convTaps}; weights are packed in blocks of 16 filters by
 * {@link Packing#filterBlocks(float[], int, int, int, int)}. The sums go out position-major: {@code sums[sumBase +
 * p * 16 + i]} for filter {@code i} of the block.
 */
public final class LaneConv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = 8;
  /** Filters per packed weight block: two vectors. */
  public static final int FILTERS = 2 * L;
  /** Output positions per register tile. */
  public static final int POSITIONS = 8;
  /** Filters per packed weight block of {@link #sums32}: four vectors. */
  public static final int FILTERS32 = 4 * L;
  /** Output positions per register tile of {@link #sums32}. */
  public static final int POSITIONS32 = 6;

  private LaneConv() {}

  /** {@code count} rounded up to whole register tiles. */
  public static int roundUp(int count) {
    return (count + POSITIONS - 1) / POSITIONS * POSITIONS;
  }

  /** {@code count} rounded up to whole register tiles of {@link #sums32}. */
  public static int roundUp32(int count) {
    return (count + POSITIONS32 - 1) / POSITIONS32 * POSITIONS32;
  }

  /**
   * For the 16 filters of one packed block (those past the group's last filter have zero weights), writes to
   * {@code sums[sumBase + p * 16 + i]}, for {@code p} in {@code [0, roundUp(count))}: the sum over taps {@code k}
   * of {@code w[wBase + k * 16 + i] * in[inBase + pos[p0 + p] + taps[k]]}. {@code pos} must have {@code
   * roundUp(count)} entries from {@code p0} ({@link Packing#outputPositions} pads its end for that).
   */
  public static void sums(float[] in, int inBase, int[] taps, int[] pos, int p0, int count, float[] w, int wBase,
      float[] sums, int sumBase) {
    for (int p = 0; p < count; p += POSITIONS) {
      int b0 = inBase + pos[p0 + p], b1 = inBase + pos[p0 + p + 1], b2 = inBase + pos[p0 + p + 2];
      int b3 = inBase + pos[p0 + p + 3], b4 = inBase + pos[p0 + p + 4], b5 = inBase + pos[p0 + p + 5];
      int b6 = inBase + pos[p0 + p + 6], b7 = inBase + pos[p0 + p + 7];
      FloatVector l0 = FloatVector.zero(S), h0 = l0, l1 = l0, h1 = l0, l2 = l0, h2 = l0, l3 = l0, h3 = l0;
      FloatVector l4 = l0, h4 = l0, l5 = l0, h5 = l0, l6 = l0, h6 = l0, l7 = l0, h7 = l0;
      for (int k = 0, t = wBase; k < taps.length; k++, t += FILTERS) {
        int off = taps[k];
        FloatVector wl = FloatVector.fromArray(S, w, t);
        FloatVector wh = FloatVector.fromArray(S, w, t + L);
        FloatVector x = FloatVector.broadcast(S, in[b0 + off]);
        l0 = wl.fma(x, l0);
        h0 = wh.fma(x, h0);
        x = FloatVector.broadcast(S, in[b1 + off]);
        l1 = wl.fma(x, l1);
        h1 = wh.fma(x, h1);
        x = FloatVector.broadcast(S, in[b2 + off]);
        l2 = wl.fma(x, l2);
        h2 = wh.fma(x, h2);
        x = FloatVector.broadcast(S, in[b3 + off]);
        l3 = wl.fma(x, l3);
        h3 = wh.fma(x, h3);
        x = FloatVector.broadcast(S, in[b4 + off]);
        l4 = wl.fma(x, l4);
        h4 = wh.fma(x, h4);
        x = FloatVector.broadcast(S, in[b5 + off]);
        l5 = wl.fma(x, l5);
        h5 = wh.fma(x, h5);
        x = FloatVector.broadcast(S, in[b6 + off]);
        l6 = wl.fma(x, l6);
        h6 = wh.fma(x, h6);
        x = FloatVector.broadcast(S, in[b7 + off]);
        l7 = wl.fma(x, l7);
        h7 = wh.fma(x, h7);
      }
      int s = sumBase + p * FILTERS;
      l0.intoArray(sums, s);
      h0.intoArray(sums, s + L);
      l1.intoArray(sums, s + 16);
      h1.intoArray(sums, s + 24);
      l2.intoArray(sums, s + 32);
      h2.intoArray(sums, s + 40);
      l3.intoArray(sums, s + 48);
      h3.intoArray(sums, s + 56);
      l4.intoArray(sums, s + 64);
      h4.intoArray(sums, s + 72);
      l5.intoArray(sums, s + 80);
      h5.intoArray(sums, s + 88);
      l6.intoArray(sums, s + 96);
      h6.intoArray(sums, s + 104);
      l7.intoArray(sums, s + 112);
      h7.intoArray(sums, s + 120);
    }
  }

  /**
   * As {@link #sums}, for a block of 32 filters (weights packed in blocks of 32), six positions per register tile:
   * {@code sums[sumBase + p * 32 + i]} for {@code p} in {@code [0, roundUp32(count))}. Twenty-four accumulators
   * (AVX-512's 32 vector registers hold them): per tap four weight vectors and six broadcasts feed 24 fused
   * multiply-adds, where {@link #sums}' tile feeds 16 with two and eight. The broadcasts are scalar loads with bounds
   * checks, so the wider tile issues a third fewer instructions per multiply-add: AlexNet's conv1 on one core, 104
   * against 76 GFLOP/s.
   */
  public static void sums32(float[] in, int inBase, int[] taps, int[] pos, int p0, int count, float[] w, int wBase,
      float[] sums, int sumBase) {
    for (int p = 0; p < count; p += POSITIONS32) {
      int b0 = inBase + pos[p0 + p], b1 = inBase + pos[p0 + p + 1], b2 = inBase + pos[p0 + p + 2];
      int b3 = inBase + pos[p0 + p + 3], b4 = inBase + pos[p0 + p + 4], b5 = inBase + pos[p0 + p + 5];
      FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
      FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
      FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
      FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
      FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
      FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
      for (int k = 0, t = wBase; k < taps.length; k++, t += FILTERS32) {
        int off = taps[k];
        FloatVector w0 = FloatVector.fromArray(S, w, t);
        FloatVector w1 = FloatVector.fromArray(S, w, t + L);
        FloatVector w2 = FloatVector.fromArray(S, w, t + 2 * L);
        FloatVector w3 = FloatVector.fromArray(S, w, t + 3 * L);
        FloatVector x = FloatVector.broadcast(S, in[b0 + off]);
        a00 = w0.fma(x, a00);
        a01 = w1.fma(x, a01);
        a02 = w2.fma(x, a02);
        a03 = w3.fma(x, a03);
        x = FloatVector.broadcast(S, in[b1 + off]);
        a10 = w0.fma(x, a10);
        a11 = w1.fma(x, a11);
        a12 = w2.fma(x, a12);
        a13 = w3.fma(x, a13);
        x = FloatVector.broadcast(S, in[b2 + off]);
        a20 = w0.fma(x, a20);
        a21 = w1.fma(x, a21);
        a22 = w2.fma(x, a22);
        a23 = w3.fma(x, a23);
        x = FloatVector.broadcast(S, in[b3 + off]);
        a30 = w0.fma(x, a30);
        a31 = w1.fma(x, a31);
        a32 = w2.fma(x, a32);
        a33 = w3.fma(x, a33);
        x = FloatVector.broadcast(S, in[b4 + off]);
        a40 = w0.fma(x, a40);
        a41 = w1.fma(x, a41);
        a42 = w2.fma(x, a42);
        a43 = w3.fma(x, a43);
        x = FloatVector.broadcast(S, in[b5 + off]);
        a50 = w0.fma(x, a50);
        a51 = w1.fma(x, a51);
        a52 = w2.fma(x, a52);
        a53 = w3.fma(x, a53);
      }
      int s = sumBase + p * FILTERS32;
      a00.intoArray(sums, s);
      a01.intoArray(sums, s + L);
      a02.intoArray(sums, s + 2 * L);
      a03.intoArray(sums, s + 3 * L);
      a10.intoArray(sums, s + 32);
      a11.intoArray(sums, s + 32 + L);
      a12.intoArray(sums, s + 32 + 2 * L);
      a13.intoArray(sums, s + 32 + 3 * L);
      a20.intoArray(sums, s + 64);
      a21.intoArray(sums, s + 64 + L);
      a22.intoArray(sums, s + 64 + 2 * L);
      a23.intoArray(sums, s + 64 + 3 * L);
      a30.intoArray(sums, s + 96);
      a31.intoArray(sums, s + 96 + L);
      a32.intoArray(sums, s + 96 + 2 * L);
      a33.intoArray(sums, s + 96 + 3 * L);
      a40.intoArray(sums, s + 128);
      a41.intoArray(sums, s + 128 + L);
      a42.intoArray(sums, s + 128 + 2 * L);
      a43.intoArray(sums, s + 128 + 3 * L);
      a50.intoArray(sums, s + 160);
      a51.intoArray(sums, s + 160 + L);
      a52.intoArray(sums, s + 160 + 2 * L);
      a53.intoArray(sums, s + 160 + 3 * L);
    }
  }
}
