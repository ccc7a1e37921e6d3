package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void orderStatistics() {
    Stats s = new Stats(new double[] {5, 1, 4, 2, 3});
    assertEquals(5, s.count());
    assertEquals(1, s.min());
    assertEquals(5, s.max());
    assertEquals(3, s.median());
    assertEquals(1.4, s.percentile(10), 1e-12);
    assertEquals(4.6, s.percentile(90), 1e-12);
  }

  @Test
  void evenCountMedianInterpolates() {
    assertEquals(2.5, new Stats(new double[] {4, 1, 3, 2}).median());
  }

  @Test
  void singleSample() {
    Stats s = new Stats(new double[] {7});
    assertEquals(7, s.percentile(10));
    assertEquals(7, s.percentile(90));
  }

  @Test
  void noSamples() {
    assertThrows(IllegalArgumentException.class, () -> new Stats(new double[0]));
  }
}
