package dev.netc.runtime.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of a dense layer on the incubating Vector API, with the weights in PyTorch's own layout (one row of
 * {@code features} per unit): a register tile of four units by four images (or by one image at batch 1) streams
 * the four rows once and each image's input once, eight lanes at a time, and reduces the lanes at the end. Generated
 * models call it only when {@link VectorSupport#enabled()}.
 *
 * <p>Why rows and not the transposed layout of the plain kernel ({@link Micro}): at batch 1 a dense layer is a
 * stream over its weights, and rows are contiguous (the transposed layout reads 16 KB rows of AlexNet's fc6 in
 * 256-byte pieces, 8-10 GFLOP/s measured against the memory's 35-44 GB/s); at larger batches four rows (147 KB for
 * fc6) stay in the core's L2 while every group of four images passes over them.
 */
public final class VectorDense {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = 8;

  private VectorDense() {}

  /**
   * For units {@code u0 <= u < u0 + units} (1 to 4) and images {@code n0 <= n < n0 + images} (1 to 4): {@code
   * out[n][u] = sum over k < features of w[u * features + k] * x[xBase + n * xStride + k]}.
   */
  public static void dots(float[] w, int features, int u0, int units, float[] x, int xBase, int xStride, int n0,
      int images, float[][] out) {
    if (units < 1 || units > 4 || images < 1 || images > 4) {
      throw new IllegalArgumentException("a tile is 1-4 units by 1-4 images, not " + units + " by " + images);
    }
    if (units == 4 && images == 4) {
      block4x4(w, features, u0, x, xBase + n0 * xStride, xStride, out, n0);
    } else if (units == 4) {
      for (int n = n0; n < n0 + images; n++) block4x1(w, features, u0, x, xBase + n * xStride, out[n]);
    } else {
      for (int n = n0; n < n0 + images; n++) {
        for (int u = u0; u < u0 + units; u++) out[n][u] = dot(w, u * features, x, xBase + n * xStride, features);
      }
    }
  }

  private static void block4x4(float[] w, int features, int u0, float[] x, int x0, int xStride, float[][] out,
      int n0) {
    int r0 = u0 * features, r1 = r0 + features, r2 = r1 + features, r3 = r2 + features;
    int x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
    FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
    FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
    FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
    int full = features & ~(L - 1);
    for (int k = 0; k < full; k += L) {
      FloatVector i0 = FloatVector.fromArray(S, x, x0 + k);
      FloatVector i1 = FloatVector.fromArray(S, x, x1 + k);
      FloatVector i2 = FloatVector.fromArray(S, x, x2 + k);
      FloatVector i3 = FloatVector.fromArray(S, x, x3 + k);
      FloatVector w0 = FloatVector.fromArray(S, w, r0 + k);
      a00 = w0.fma(i0, a00);
      a01 = w0.fma(i1, a01);
      a02 = w0.fma(i2, a02);
      a03 = w0.fma(i3, a03);
      FloatVector w1 = FloatVector.fromArray(S, w, r1 + k);
      a10 = w1.fma(i0, a10);
      a11 = w1.fma(i1, a11);
      a12 = w1.fma(i2, a12);
      a13 = w1.fma(i3, a13);
      FloatVector w2 = FloatVector.fromArray(S, w, r2 + k);
      a20 = w2.fma(i0, a20);
      a21 = w2.fma(i1, a21);
      a22 = w2.fma(i2, a22);
      a23 = w2.fma(i3, a23);
      FloatVector w3 = FloatVector.fromArray(S, w, r3 + k);
      a30 = w3.fma(i0, a30);
      a31 = w3.fma(i1, a31);
      a32 = w3.fma(i2, a32);
      a33 = w3.fma(i3, a33);
    }
    // written out, not through arrays of vectors: those would box all sixteen on every call
    out[n0][u0] = tail(a00.reduceLanes(VectorOperators.ADD), w, r0, x, x0, full, features);
    out[n0 + 1][u0] = tail(a01.reduceLanes(VectorOperators.ADD), w, r0, x, x1, full, features);
    out[n0 + 2][u0] = tail(a02.reduceLanes(VectorOperators.ADD), w, r0, x, x2, full, features);
    out[n0 + 3][u0] = tail(a03.reduceLanes(VectorOperators.ADD), w, r0, x, x3, full, features);
    out[n0][u0 + 1] = tail(a10.reduceLanes(VectorOperators.ADD), w, r1, x, x0, full, features);
    out[n0 + 1][u0 + 1] = tail(a11.reduceLanes(VectorOperators.ADD), w, r1, x, x1, full, features);
    out[n0 + 2][u0 + 1] = tail(a12.reduceLanes(VectorOperators.ADD), w, r1, x, x2, full, features);
    out[n0 + 3][u0 + 1] = tail(a13.reduceLanes(VectorOperators.ADD), w, r1, x, x3, full, features);
    out[n0][u0 + 2] = tail(a20.reduceLanes(VectorOperators.ADD), w, r2, x, x0, full, features);
    out[n0 + 1][u0 + 2] = tail(a21.reduceLanes(VectorOperators.ADD), w, r2, x, x1, full, features);
    out[n0 + 2][u0 + 2] = tail(a22.reduceLanes(VectorOperators.ADD), w, r2, x, x2, full, features);
    out[n0 + 3][u0 + 2] = tail(a23.reduceLanes(VectorOperators.ADD), w, r2, x, x3, full, features);
    out[n0][u0 + 3] = tail(a30.reduceLanes(VectorOperators.ADD), w, r3, x, x0, full, features);
    out[n0 + 1][u0 + 3] = tail(a31.reduceLanes(VectorOperators.ADD), w, r3, x, x1, full, features);
    out[n0 + 2][u0 + 3] = tail(a32.reduceLanes(VectorOperators.ADD), w, r3, x, x2, full, features);
    out[n0 + 3][u0 + 3] = tail(a33.reduceLanes(VectorOperators.ADD), w, r3, x, x3, full, features);
  }

  private static void block4x1(float[] w, int features, int u0, float[] x, int x0, float[] out) {
    int r0 = u0 * features, r1 = r0 + features, r2 = r1 + features, r3 = r2 + features;
    // two accumulators per unit: a chain of fused multiply-adds waits on the previous one's 4 cycles
    FloatVector a0 = FloatVector.zero(S), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
    int full = features & ~(2 * L - 1);
    for (int k = 0; k < full; k += 2 * L) {
      FloatVector i = FloatVector.fromArray(S, x, x0 + k);
      FloatVector j = FloatVector.fromArray(S, x, x0 + k + L);
      a0 = FloatVector.fromArray(S, w, r0 + k).fma(i, a0);
      b0 = FloatVector.fromArray(S, w, r0 + k + L).fma(j, b0);
      a1 = FloatVector.fromArray(S, w, r1 + k).fma(i, a1);
      b1 = FloatVector.fromArray(S, w, r1 + k + L).fma(j, b1);
      a2 = FloatVector.fromArray(S, w, r2 + k).fma(i, a2);
      b2 = FloatVector.fromArray(S, w, r2 + k + L).fma(j, b2);
      a3 = FloatVector.fromArray(S, w, r3 + k).fma(i, a3);
      b3 = FloatVector.fromArray(S, w, r3 + k + L).fma(j, b3);
    }
    out[u0] = tail(a0.add(b0).reduceLanes(VectorOperators.ADD), w, r0, x, x0, full, features);
    out[u0 + 1] = tail(a1.add(b1).reduceLanes(VectorOperators.ADD), w, r1, x, x0, full, features);
    out[u0 + 2] = tail(a2.add(b2).reduceLanes(VectorOperators.ADD), w, r2, x, x0, full, features);
    out[u0 + 3] = tail(a3.add(b3).reduceLanes(VectorOperators.ADD), w, r3, x, x0, full, features);
  }

  /** One unit, one image: the remainder of a tile. */
  private static float dot(float[] w, int row, float[] x, int x0, int features) {
    FloatVector a = FloatVector.zero(S);
    int full = features & ~(L - 1);
    for (int k = 0; k < full; k += L) {
      a = FloatVector.fromArray(S, w, row + k).fma(FloatVector.fromArray(S, x, x0 + k), a);
    }
    return tail(a.reduceLanes(VectorOperators.ADD), w, row, x, x0, full, features);
  }

  private static float tail(float sum, float[] w, int row, float[] x, int x0, int from, int features) {
    for (int k = from; k < features; k++) sum = Math.fma(w[row + k], x[x0 + k], sum);
    return sum;
  }
}
