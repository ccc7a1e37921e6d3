package dev.netc.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LaneConv} against a direct double-precision convolution, on random inputs and weights, through the packing
 * the generated models use ({@link Packing#filterBlocks(float[], int, int, int, int)} in blocks of 16 and 32, {@link
 * Packing#convTaps}, {@link Packing#outputPositions}). The generated models themselves are checked end to end
 * against PyTorch by the examples' parity tests (AlexNet's strided conv1 and LeNet-5's conv2 take this kernel).
 */
class LaneConvTest {
  /**
   * Strides 1 to 4, rectangular kernels and strides, groups, filter counts that fill one block, several, and part of
   * one (the rest zero weights), position ranges that start past 0 and are not whole register tiles.
   */
  @ParameterizedTest(name = "{0} ch {1}x{2}, kernel {3}x{4}, stride {5}x{6}, {7} filters x {8} groups, positions {9}+{10}")
  @CsvSource({
      "6, 14, 14, 5, 5, 1, 1, 16, 1, 0, 100", // LeNet-5's conv2
      "3, 27, 27, 11, 11, 4, 4, 16, 1, 0, 25", // an AlexNet conv1 in small (padded 27 -> 5x5 outputs)
      "2, 9, 12, 3, 2, 2, 3, 20, 1, 3, 9",
      "4, 8, 8, 3, 3, 1, 1, 32, 2, 5, 31",
      "1, 7, 7, 1, 1, 1, 1, 13, 1, 0, 49",
      "3, 10, 9, 2, 3, 3, 2, 48, 3, 1, 11"})
  void sumsMatchADirectConvolution(int channels, int height, int width, int kernelH, int kernelW, int strideH,
      int strideW, int filters, int groups, int firstPosition, int count) {
    SplittableRandom random = new SplittableRandom(channels * 131L + filters * 7L + strideH);
    int plane = height * width;
    int taps = channels * kernelH * kernelW;
    int outH = (height - kernelH) / strideH + 1;
    int outW = (width - kernelW) / strideW + 1;
    float[] in = new float[groups * channels * plane];
    for (int i = 0; i < in.length; i++) in[i] = (float) random.nextDouble(-1, 1);
    float[] w = new float[groups * filters * taps];
    for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-1, 1);
    int[] tapTable = Packing.convTaps(channels, plane, width, kernelH, kernelW);
    int[] positions = Packing.outputPositions(outH, outW, strideH, strideW, width);
    // both register tiles: 8 positions x 16 filters (sums) and 6 x 32 (sums32)
    for (int block : new int[] {LaneConv.FILTERS, LaneConv.FILTERS32}) {
      float[] packed = Packing.filterBlocks(w, groups, filters, taps, block);
      int blocks = (filters + block - 1) / block;
      int blockFloats = (block == LaneConv.FILTERS ? LaneConv.roundUp(count) : LaneConv.roundUp32(count)) * block;
      float[] sums = new float[blocks * blockFloats];
      for (int g = 0; g < groups; g++) {
        int inBase = g * channels * plane;
        for (int b = 0; b < blocks; b++) {
          if (block == LaneConv.FILTERS) {
            LaneConv.sums(in, inBase, tapTable, positions, firstPosition, count, packed, (g * blocks + b) * taps * block,
                sums, b * blockFloats);
          } else {
            LaneConv.sums32(in, inBase, tapTable, positions, firstPosition, count, packed,
                (g * blocks + b) * taps * block, sums, b * blockFloats);
          }
        }
        for (int f = 0; f < filters; f++) {
          for (int p = 0; p < count; p++) {
            int oy = (firstPosition + p) / outW, ox = (firstPosition + p) % outW;
            double expected = 0;
            double magnitude = 0;
            for (int c = 0; c < channels; c++) {
              for (int ky = 0; ky < kernelH; ky++) {
                for (int kx = 0; kx < kernelW; kx++) {
                  double term = (double) w[((g * filters + f) * channels + c) * kernelH * kernelW + ky * kernelW + kx]
                      * in[inBase + c * plane + (oy * strideH + ky) * width + ox * strideW + kx];
                  expected += term;
                  magnitude += Math.abs(term);
                }
              }
            }
            float actual = sums[(f / block) * blockFloats + p * block + f % block];
            assertEquals(expected, actual, 1e-6 * magnitude + 1e-7, "block " + block + ", group " + g + " filter " + f
                + " position " + (firstPosition + p) + " (" + oy + ", " + ox + ")");
          }
        }
      }
    }
  }

  @Test
  void positionsAreWindowCornersInRowMajorOrderPaddedForATileStartingAtTheLast() {
    int[] pos = Packing.outputPositions(2, 3, 2, 1, 10);
    assertArrayEquals(new int[] {0, 1, 2, 20, 21, 22, 0, 0, 0, 0, 0, 0, 0}, pos);
  }

  @Test
  void blocksOf16PutATapsFiltersSideBySide() {
    // 2 groups of 17 filters, 2 taps: each group needs two blocks, the second with one filter and 15 zeros
    float[] w = new float[2 * 17 * 2];
    for (int i = 0; i < w.length; i++) w[i] = i + 1;
    float[] packed = Packing.filterBlocks(w, 2, 17, 2, 16);
    assertEquals(2 * 2 * 2 * 16, packed.length);
    assertEquals(w[0], packed[0]); // group 0, filter 0, tap 0
    assertEquals(w[2], packed[1]); // filter 1, tap 0
    assertEquals(w[1], packed[16]); // filter 0, tap 1
    assertEquals(w[16 * 2], packed[2 * 16]); // filter 16 opens block 1
    assertEquals(0f, packed[2 * 16 + 1]); // no filter 17
    assertEquals(w[17 * 2], packed[4 * 16]); // group 1, filter 0
  }
}
