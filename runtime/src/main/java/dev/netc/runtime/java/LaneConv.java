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

  private LaneConv() {}

  /** {@code count} rounded up to whole register tiles. */
  public static int roundUp(int count) {
    return (count + POSITIONS - 1) / POSITIONS * POSITIONS;
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
}
