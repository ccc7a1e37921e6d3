package dev.netc.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorConv} against a direct double-precision convolution, on random inputs and weights, through the
 * same packing ({@link Packing#filterBlocks}, {@link Packing#convTaps}) the generated models use. The generated
 * models themselves are checked end to end against PyTorch by the examples' parity tests.
 */
class VectorConvTest {
  @Test
  void theTestsRunWithTheVectorApi() {
    assertTrue(VectorSupport.present(), "run the tests with --add-modules jdk.incubator.vector (the poms do)");
  }

  /**
   * Every block size (filters 1 to 9: blocks of 4, and the 3-, 2- and 1-filter remainders; blocks of 6), groups, rectangular
   * kernels, a start row other than 0, and wide counts that are not whole register tiles.
   */
  @ParameterizedTest(name = "{0} channels {1}x{2}, kernel {3}x{4}, {5} filters per group, {6} groups, rows {7}+{8}")
  @CsvSource({
      "1, 32, 32, 5, 5, 6, 1, 0, 28", // LeNet-5's conv1, padded
      "6, 14, 14, 5, 5, 16, 1, 0, 10", // its conv2
      "3, 9, 11, 3, 3, 1, 1, 2, 5",
      "2, 7, 8, 1, 3, 2, 1, 0, 7",
      "4, 10, 6, 3, 1, 3, 2, 1, 6",
      "5, 6, 40, 2, 2, 5, 1, 0, 5",
      "3, 12, 12, 3, 3, 7, 3, 4, 3",
      "2, 9, 9, 1, 1, 9, 1, 0, 9"})
  void sumsMatchADirectConvolution(int channels, int height, int width, int kernelH, int kernelW, int filters,
      int groups, int firstRow, int rows) {
    SplittableRandom random = new SplittableRandom(channels * 31L + filters);
    int plane = height * width;
    int taps = channels * kernelH * kernelW;
    // one group's padded planes, then the slack the last register tile reads (garbage, never zero: it must not
    // reach a valid output)
    float[] in = new float[groups * channels * plane + VectorConv.slack(kernelW)];
    for (int i = 0; i < in.length; i++) in[i] = (float) random.nextDouble(-1, 1);
    for (int i = groups * channels * plane; i < in.length; i++) in[i] = Float.NaN;
    float[] w = new float[groups * filters * taps];
    for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-1, 1);
    int[] tapTable = Packing.convTaps(channels, plane, width, kernelH, kernelW);
    int outWidth = width - kernelW + 1;
    int count = rows * width;
    // rows one float further apart than they need, so that a row written past its end would show
    int sumStride = VectorConv.roundUp(count) + 1;
    // both register tiles: blocks of 4 filters (sums, with its 3-, 2- and 1-filter remainders) and of 6 (sums6)
    for (int block : new int[] {VectorConv.BLOCK, VectorConv.BLOCK6}) {
      float[] packed = Packing.filterBlocks(w, groups, filters, taps, block);
      int blocks = (filters + block - 1) / block;
      float[] sums = new float[blocks * block * sumStride];
      for (int g = 0; g < groups; g++) {
        int inBase = g * channels * plane;
        for (int f = 0; f < filters; f += block) {
          int wBase = (g * blocks + f / block) * taps * block;
          if (block == VectorConv.BLOCK) {
            VectorConv.sums(in, inBase + firstRow * width, tapTable, packed, wBase, Math.min(4, filters - f), sums,
                f * sumStride, sumStride, count);
          } else {
            VectorConv.sums6(in, inBase + firstRow * width, tapTable, packed, wBase, sums, f * sumStride, sumStride,
                count);
          }
        }
        for (int f = 0; f < filters; f++) {
          for (int r = 0; r < rows; r++) {
            for (int x = 0; x < outWidth; x++) {
              double expected = 0;
              double magnitude = 0;
              for (int c = 0; c < channels; c++) {
                for (int ky = 0; ky < kernelH; ky++) {
                  for (int kx = 0; kx < kernelW; kx++) {
                    double term = (double) w[((g * filters + f) * channels + c) * kernelH * kernelW + ky * kernelW + kx]
                        * in[inBase + c * plane + (firstRow + r + ky) * width + x + kx];
                    expected += term;
                    magnitude += Math.abs(term);
                  }
                }
              }
              float actual = sums[f * sumStride + r * width + x];
              assertEquals(expected, actual, 1e-6 * magnitude + 1e-7, "block " + block + ", group " + g + " filter "
                  + f + " output row " + (firstRow + r) + " column " + x);
            }
          }
        }
      }
    }
  }

  @Test
  void filterBlocksPutATapsFourFiltersSideBySideAndPadWithZeros() {
    // 2 groups of 5 filters, 2 taps: weight (filter f, tap t) = 10 * f + t + 1
    float[] w = new float[2 * 5 * 2];
    for (int f = 0; f < 10; f++) for (int t = 0; t < 2; t++) w[f * 2 + t] = 10 * f + t + 1;
    float[] packed = Packing.filterBlocks(w, 2, 5, 2);
    assertArrayEquals(new float[] {
        // group 0, block 0 (filters 0-3): tap 0, tap 1
        1, 11, 21, 31, 2, 12, 22, 32,
        // group 0, block 1 (filter 4 and three zeros)
        41, 0, 0, 0, 42, 0, 0, 0,
        // group 1 (filters 5-9)
        51, 61, 71, 81, 52, 62, 72, 82,
        91, 0, 0, 0, 92, 0, 0, 0}, packed);
    assertArrayEquals(new int[] {0, 1, 7, 8, 20, 21, 27, 28}, Packing.convTaps(2, 20, 7, 2, 2));
  }

  @Test
  void aBlockHoldsOneToFourFilters() {
    float[] sums = new float[5 * 32];
    assertThrows(IllegalArgumentException.class,
        () -> VectorConv.sums(new float[64], 0, new int[] {0}, new float[4], 0, 5, sums, 0, 32, 1));
  }
}
