package dev.netc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SgdTest {
  @Test
  void twoStepsOfThePapersRuleByHand() {
    double[] w = {1.0, -2.0};
    Map<String, double[]> params = Map.of("w", w);
    Sgd sgd = new Sgd(0.1, 0.9, 0.01);
    sgd.step(params, Map.of("w", new double[] {0.5, 0.25}));
    // v = -0.01*0.1*w - 0.1*g = (-0.001 - 0.05, 0.002 - 0.025) = (-0.051, -0.023)
    assertEquals(1.0 - 0.051, w[0], 1e-15);
    assertEquals(-2.0 - 0.023, w[1], 1e-15);
    sgd.step(params, Map.of("w", new double[] {0.0, 0.0}));
    // v = 0.9 v - 0.001 w
    assertEquals(0.949 + 0.9 * -0.051 - 0.001 * 0.949, w[0], 1e-15);
    assertEquals(-2.023 + 0.9 * -0.023 + 0.001 * 2.023, w[1], 1e-15);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sgd(0, 0.9, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1, 1.0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1, 0.9, -1));
    Sgd sgd = Sgd.paper();
    assertThrows(IllegalArgumentException.class,
        () -> sgd.step(Map.of("w", new double[2]), Map.of("w", new double[3])));
  }
}
