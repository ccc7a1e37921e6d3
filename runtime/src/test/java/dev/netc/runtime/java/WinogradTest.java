package dev.netc.runtime.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Winograd} end to end, driven the way a generated model drives it (runs of tiles numbered across images,
 * filter chunks, {@link VectorConv#sums} for the products), against a direct double-precision convolution on random
 * inputs and weights. The bound, relative to the largest output, is about three times what each case measured
 * (2e-7 for F(2x2, 3x3) to 4e-6 for F(3x3, 5x5)): the transforms' rounding grows with {@code alpha}. Unwritten
 * outputs start as NaN and so does the band outside the rows copied into it, so a missed output or a patch read
 * outside its band fails.
 */
class WinogradTest {
  @ParameterizedTest(name = "F({0}x{0}, {1}x{1}): {2} images of {3}x{4}x{5}, pad {6}, {7} filters x {8} groups, chunk {9}")
  @CsvSource({
      "3, 3, 2, 16, 13, 13, 1, 24, 1, 8, 3e-6", // AlexNet's conv3-5 in small: 25 tiles per image, runs across images
      "2, 3, 1, 8, 13, 13, 1, 9, 1, 12, 6e-7", // a filter count that is not whole blocks
      "4, 3, 3, 8, 9, 11, 1, 8, 2, 4, 1e-5", // groups, a rectangular map, partial tiles on both sides
      "3, 3, 1, 5, 7, 7, 0, 6, 1, 8, 1.5e-6", // no padding
      "2, 5, 2, 6, 27, 27, 2, 8, 1, 8, 5e-6", // AlexNet's conv2 in small
      "3, 5, 1, 4, 14, 14, 2, 4, 2, 4, 1.2e-5"})
  void matchesADirectConvolution(int m, int r, int batch, int channels, int height, int width, int pad, int filters,
      int groups, int chunk, double bound) {
    SplittableRandom random = new SplittableRandom(m * 101L + r * 7L + channels);
    int plane = height * width;
    int cin = groups * channels;
    float[] in = new float[batch * cin * plane];
    for (int i = 0; i < in.length; i++) in[i] = (float) random.nextDouble(-1, 1);
    float[] w = new float[groups * filters * channels * r * r];
    for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-1, 1);
    int outH = height + 2 * pad - r + 1, outW = width + 2 * pad - r + 1;
    double[] expected = direct(in, w, batch, groups, channels, height, width, filters, r, pad, outH, outW);

    Winograd wino = new Winograd(m, r);
    float[] packed = wino.filters(w, groups, filters, channels);
    int stride = Winograd.TILES;
    int a2 = wino.alpha() * wino.alpha();
    int blocks = (filters + 3) / 4;
    int[] taps = Packing.channelTaps(channels, stride);
    int tilesX = (outW + m - 1) / m, tilesY = (outH + m - 1) / m, perImage = tilesX * tilesY;
    int total = batch * perImage;
    float[] out = new float[batch * groups * filters * outH * outW];
    java.util.Arrays.fill(out, Float.NaN); // every output must be written
    int[] corner = new int[stride];
    int paddedWidth = tilesX * m + r - 1;
    // a run's rows: its tile rows' patches in each image it touches
    int bandRows = (stride / tilesX + 2) * m + 2 * (r - 1) + (stride / perImage + 1) * (tilesY * m + r - 1);
    int channelStride = bandRows * paddedWidth;
    float[] band = new float[channels * channelStride];
    java.util.Arrays.fill(band, Float.NaN); // what the band copy does not write must not be read
    float[] v = new float[a2 * channels * stride];
    float[] scratch = new float[wino.scratchFloats(stride)];
    assertTrue(chunk % Winograd.FILTERS == 0, "chunks are whole blocks, as the generated models make them");
    float[] sums = new float[a2 * chunk * stride];
    float[] y = new float[m * m * Winograd.FILTERS * stride];
    for (int t0 = 0; t0 < total; t0 += stride) {
      int count = Math.min(stride, total - t0);
      for (int g = 0; g < groups; g++) {
        // as a generated model does: each image's band of padded rows, then every tile's patch corner in the band
        for (int t = 0, row = 0; t < count; ) {
          int n = (t0 + t) / perImage, first = (t0 + t) % perImage, last = Math.min(perImage, first + count - t);
          int py0 = first / tilesX * m, py1 = (last - 1) / tilesX * m + wino.alpha();
          Winograd.band(in, (n * cin + g * channels) * plane, channels, height, width, pad, pad, py0, py1, band, row,
              paddedWidth, channelStride);
          for (int tile = first; tile < last; tile++, t++) {
            corner[t] = (row + tile / tilesX * m - py0) * paddedWidth + tile % tilesX * m;
          }
          row += py1 - py0;
          assertTrue(row <= bandRows, "band rows");
        }
        for (int t = count; t < stride; t++) corner[t] = corner[0];
        wino.input(band, corner, channels, channelStride, paddedWidth, v, stride, scratch);
        for (int f0 = 0; f0 < filters; f0 += chunk) {
          int f1 = Math.min(filters, f0 + chunk);
          for (int xi = 0; xi < a2; xi++) {
            for (int f = f0; f < f1; f += 4) {
              VectorConv.sums(v, xi * channels * stride, taps, packed, ((xi * groups + g) * blocks + f / 4)
                  * channels * 4, Math.min(4, f1 - f), sums, ((f - f0) / 4 * a2 + xi) * 4 * stride, stride, count);
            }
          }
          for (int fb = f0; fb < f1; fb += Winograd.FILTERS) {
            wino.output(sums, (fb - f0) / 4 * a2 * 4 * stride, 4 * stride, y, stride, scratch);
            for (int f = fb; f < Math.min(f1, fb + Winograd.FILTERS); f++) {
              for (int t = 0; t < count; t++) {
                int n = (t0 + t) / perImage, tile = (t0 + t) % perImage;
                int oy = tile / tilesX * m, ox = tile % tilesX * m;
                for (int i = 0; i < m && oy + i < outH; i++) {
                  for (int j = 0; j < m && ox + j < outW; j++) {
                    out[((n * groups + g) * filters + f) * outH * outW + (oy + i) * outW + ox + j] =
                        y[((i * m + j) * Winograd.FILTERS + f - fb) * stride + t];
                  }
                }
              }
            }
          }
        }
      }
    }
    double scale = 0, worst = 0;
    for (double e : expected) scale = Math.max(scale, Math.abs(e));
    for (int i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - expected[i]));
    double relative = worst / scale;
    System.out.printf("F(%dx%d, %dx%d): max error %.2e of the largest output%n", m, m, r, r, relative);
    assertTrue(relative < bound, "max relative error " + relative); // NaN (an unwritten output) fails too
  }

  static double[] direct(float[] in, float[] w, int batch, int groups, int channels, int height, int width,
      int filters, int r, int pad, int outH, int outW) {
    double[] out = new double[batch * groups * filters * outH * outW];
    for (int n = 0; n < batch; n++) {
      for (int g = 0; g < groups; g++) {
        for (int f = 0; f < filters; f++) {
          for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
              double s = 0;
              for (int c = 0; c < channels; c++) {
                for (int ky = 0; ky < r; ky++) {
                  for (int kx = 0; kx < r; kx++) {
                    int iy = oy + ky - pad, ix = ox + kx - pad;
                    if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                    s += (double) in[((n * groups + g) * channels + c) * height * width + iy * width + ix]
                        * w[((g * filters + f) * channels + c) * r * r + ky * r + kx];
                  }
                }
              }
              out[((n * groups + g) * filters + f) * outH * outW + oy * outW + ox] = s;
            }
          }
        }
      }
    }
    return out;
  }
}
