package dev.netc.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ToomCook}'s matrices compute correlations exactly (in double), for every size netc may pick. */
class ToomCookTest {
  @ParameterizedTest(name = "F({0}, {1})")
  @CsvSource({"2, 3", "3, 3", "4, 3", "6, 3", "2, 5", "3, 5", "4, 5", "1, 1", "3, 1", "2, 2"})
  void computesACorrelation(int m, int r) {
    ToomCook f = ToomCook.of(m, r);
    int alpha = m + r - 1;
    assertEquals(alpha, f.alpha());
    SplittableRandom random = new SplittableRandom(m * 17L + r);
    for (int trial = 0; trial < 5; trial++) {
      double[] d = new double[alpha];
      double[] g = new double[r];
      for (int i = 0; i < alpha; i++) d[i] = random.nextDouble(-1, 1);
      for (int i = 0; i < r; i++) g[i] = random.nextDouble(-1, 1);
      double[] gt = times(f.g(), g);
      double[] dt = times(f.bt(), d);
      double[] product = new double[alpha];
      for (int i = 0; i < alpha; i++) product[i] = gt[i] * dt[i];
      double[] y = times(f.at(), product);
      double[] direct = new double[m];
      for (int i = 0; i < m; i++) {
        for (int k = 0; k < r; k++) direct[i] += g[k] * d[i + k];
      }
      assertArrayEquals(direct, y, 1e-12, "F(" + m + ", " + r + ")");
    }
  }

  /** The well-known F(2, 3) of Lavin and Gray, up to the scaling of BT's rows that moves into G. */
  @Test
  void f23IsLavinAndGraysUpToScaling() {
    ToomCook f = ToomCook.of(2, 3);
    assertArrayEquals(new double[] {1, 1, 1, 0}, f.at()[0], 0);
    assertArrayEquals(new double[] {0, 1, -1, 1}, f.at()[1], 0);
    assertArrayEquals(new double[] {1, 0, -1, 0}, f.bt()[0], 1e-15);
    assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, f.bt()[1], 1e-15);
  }

  @Test
  void refusesSizesWithoutEnoughPoints() {
    assertThrows(IllegalArgumentException.class, () -> ToomCook.of(8, 5));
    assertThrows(IllegalArgumentException.class, () -> ToomCook.of(0, 3));
  }

  private static double[] times(double[][] a, double[] x) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < x.length; j++) y[i] += a[i][j] * x[j];
    }
    return y;
  }
}
