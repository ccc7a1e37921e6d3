package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.WeightSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The reference values were computed independently in Python; the two sides must agree bit for bit. */
class SyntheticWeightsTest {
  private final SyntheticWeights weights = new SyntheticWeights();

  private static void assertFirst(double[] expected, float[] actual) {
    float[] want = new float[expected.length];
    for (int i = 0; i < expected.length; i++) want[i] = (float) expected[i];
    assertArrayEquals(want, Arrays.copyOf(actual, expected.length));
  }

  @Test
  void seedIsFnv1a() {
    assertEquals(0x69a29a2cee47d254L, SyntheticWeights.seed("conv1.weight"));
    assertEquals(0xcbf29ce484222325L, SyntheticWeights.seed(""));
  }

  @Test
  void convWeightUsesHeScale() {
    float[] w = weights.get(new WeightSpec("conv1.weight", 96, 3, 11, 11));
    assertEquals(96 * 3 * 11 * 11, w.length);
    assertFirst(new double[] {0.011590107344090939, 0.06303836405277252, -0.12267102301120758, 0.06073347106575966}, w);
    double bound = Math.sqrt(6.0 / (3 * 11 * 11));
    for (float v : w) assertTrue(Math.abs(v) <= bound);
  }

  @Test
  void bias() {
    assertFirst(new double[] {-0.04771687835454941, -0.09147276729345322, -0.0315132737159729, -0.07253076881170273},
        weights.get(new WeightSpec("conv1.bias", 96)));
  }

  @Test
  void batchNormVarianceAndGamma() {
    assertFirst(new double[] {1.361659049987793, 0.8640015125274658, 0.638286292552948, 0.9324764609336853},
        weights.get(new WeightSpec("bn.running_var", 8)));
    assertFirst(new double[] {1.0316998958587646, 0.9385892152786255, 1.0625524520874023, 0.9925757646560669},
        weights.get(new WeightSpec("bn.weight", 8)));
  }

  @Test
  void standardInput() {
    assertFirst(new double[] {-0.8043633699417114, 0.30472075939178467, -0.5927515029907227, -0.45111072063446045},
        SyntheticWeights.input(1, 3, 227, 227));
    assertArrayEquals(SyntheticWeights.values("input", new int[] {2, 5}, 0, 1), SyntheticWeights.input(2, 5));
  }

  @Test
  void valuesDependOnNameAndIndexOnlyNotShape() {
    // The same name gives the same stream, so a prefix of a larger tensor matches a smaller one.
    float[] small = SyntheticWeights.values("x", new int[] {10}, 0, 1);
    float[] large = SyntheticWeights.values("x", new int[] {4, 5}, 0, 1);
    assertArrayEquals(small, Arrays.copyOf(large, 10));
  }

  @Test
  void parallelGenerationMatchesSequential() {
    // Above the parallel threshold; compare with a direct element-by-element evaluation.
    int n = 300_001;
    float[] v = SyntheticWeights.values("fc6.weight", new int[] {n}, 0.5, 0.25);
    long seed = SyntheticWeights.seed("fc6.weight");
    for (int i = 0; i < n; i += 997) {
      assertEquals((float) (0.5 + 0.25 * (2 * SyntheticWeights.uniform(seed, i) - 1)), v[i]);
    }
    assertEquals((float) (0.5 + 0.25 * (2 * SyntheticWeights.uniform(seed, n - 1) - 1)), v[n - 1]);
  }

  @Test
  void otherRulesAndContract() {
    // rank >= 2 wins over the name suffix; rank-1 ".weight" is BatchNorm's gamma; anything else is small.
    assertArrayEquals(SyntheticWeights.values("fc.weight", new int[] {4, 9}, 0, Math.sqrt(6.0 / 9)),
        weights.get(new WeightSpec("fc.weight", 4, 9)));
    assertArrayEquals(SyntheticWeights.values("bn.running_mean", new int[] {3}, 0, 0.1),
        weights.get(new WeightSpec("bn.running_mean", 3)));
    assertArrayEquals(SyntheticWeights.values("s", new int[] {}, 0, 0.1), weights.get(new WeightSpec("s")));
    assertEquals(1, weights.get(new WeightSpec("s")).length);
    assertTrue(weights.contains("anything at all"));
    assertTrue(weights.source().contains("synthetic"));
  }
}
