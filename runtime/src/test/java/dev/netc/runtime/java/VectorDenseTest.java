package dev.netc.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorDense} against double-precision dot products on random weights and inputs, walking units and images
 * in tiles as the generated models do: every tile shape (4 x 4, 4 x 1, the 1-3 unit and image remainders) and
 * feature counts that are not whole vectors.
 */
class VectorDenseTest {
  @ParameterizedTest(name = "{0} features, {1} units, {2} images")
  @CsvSource({"400, 120, 1", "400, 120, 9", "120, 84, 6", "84, 10, 4", "37, 9, 5", "5, 3, 2", "16, 4, 4", "23, 7, 3"})
  void dotsMatchDoublePrecision(int features, int units, int images) {
    SplittableRandom random = new SplittableRandom(features * 31L + units * 7L + images);
    float[] w = new float[units * features];
    for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-1, 1);
    // the images sit in an arena at a base offset with a stride larger than their size, as in a generated model
    int base = 3, stride = features + 5;
    float[] x = new float[base + images * stride];
    for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-1, 1);
    float[][] out = new float[images][units];
    for (int u = 0; u < units; u += 4) {
      for (int n = 0; n < images; n += 4) {
        VectorDense.dots(w, features, u, Math.min(4, units - u), x, base, stride, n, Math.min(4, images - n), out);
      }
    }
    for (int n = 0; n < images; n++) {
      for (int u = 0; u < units; u++) {
        double expected = 0;
        double magnitude = 0;
        for (int k = 0; k < features; k++) {
          double term = (double) w[u * features + k] * x[base + n * stride + k];
          expected += term;
          magnitude += Math.abs(term);
        }
        assertEquals(expected, out[n][u], 1e-6 * magnitude + 1e-7, "image " + n + " unit " + u);
      }
    }
  }

  @Test
  void aTileIsOneToFourUnitsByOneToFourImages() {
    assertThrows(IllegalArgumentException.class,
        () -> VectorDense.dots(new float[40], 8, 0, 5, new float[8], 0, 8, 0, 1, new float[1][5]));
    assertThrows(IllegalArgumentException.class,
        () -> VectorDense.dots(new float[32], 8, 0, 4, new float[40], 0, 8, 0, 5, new float[5][4]));
  }
}
