package dev.netc.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SpaceToDepth}: a strided convolution computed directly equals the stride-1 convolution of the rearranged
 * weights over the rearranged input (both in double, so only the summation order differs). The band starts as NaN
 * past what {@link SpaceToDepth#band} writes, so a column or row it misses fails.
 */
class SpaceToDepthTest {
  @ParameterizedTest(name = "{0}x{0} stride {1} pad {2}: {3} channels of {4}x{5}")
  @CsvSource({
      "11, 4, 2, 3, 27, 27", // AlexNet's conv1 in small
      "5, 2, 2, 2, 9, 8", // a kernel that divides unevenly, a rectangular map
      "9, 3, 0, 1, 14, 11", // no padding
      "6, 3, 1, 2, 10, 10"})
  void isTheSameConvolution(int k, int s, int pad, int channels, int height, int width) {
    SplittableRandom random = new SplittableRandom(k * 31L + s);
    int filters = 3;
    float[] in = new float[channels * height * width];
    for (int i = 0; i < in.length; i++) in[i] = (float) random.nextDouble(-1, 1);
    float[] w = new float[filters * channels * k * k];
    for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-1, 1);
    int outH = (height + 2 * pad - k) / s + 1, outW = (width + 2 * pad - k) / s + 1;

    int k2 = SpaceToDepth.kernel(k, s);
    int depth = channels * s * s;
    // the rearranged input as one band: every row and column the stride-1 convolution reads, and two more columns
    int rows = outH + k2 - 1, rowStride = outW + k2 + 1;
    float[] band = new float[depth * rows * rowStride];
    java.util.Arrays.fill(band, Float.NaN);
    SpaceToDepth.band(in, 0, channels, height, width, pad, s, 0, rows, band, 0, rowStride, rows * rowStride);
    float[] w2 = SpaceToDepth.filters(w, filters, channels, k, s);
    assertEquals(filters * depth * k2 * k2, w2.length);

    for (int f = 0; f < filters; f++) {
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          double direct = 0;
          for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < k; ky++) {
              for (int kx = 0; kx < k; kx++) {
                int iy = s * oy + ky - pad, ix = s * ox + kx - pad;
                if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                direct += (double) in[(c * height + iy) * width + ix] * w[((f * channels + c) * k + ky) * k + kx];
              }
            }
          }
          double rewritten = 0;
          for (int d = 0; d < depth; d++) {
            for (int ky = 0; ky < k2; ky++) {
              for (int kx = 0; kx < k2; kx++) {
                rewritten += (double) band[(d * rows + oy + ky) * rowStride + ox + kx]
                    * w2[((f * depth + d) * k2 + ky) * k2 + kx];
              }
            }
          }
          assertTrue(Math.abs(direct - rewritten) <= 1e-12 * Math.max(1, Math.abs(direct)),
              "filter " + f + " at (" + oy + ", " + ox + "): " + direct + " direct, " + rewritten + " rewritten");
        }
      }
    }
    for (float v : band) assertTrue(!Float.isNaN(v), "every band value written");
  }
}
