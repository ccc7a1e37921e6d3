package dev.netc.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Activation;
import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.GlobalAvgPool;
import dev.netc.graph.Graph;
import dev.netc.graph.Lrn;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import dev.netc.runtime.WeightsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every operation on inputs small enough to check by hand; the expected numbers are worked out in comments. */
class ReferenceOpsTest {
  private static final double EPS = 1e-6;

  private static final float[] ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

  private static double[] run(Graph g, TestWeights w, float[] input, int batch) {
    float[] out = new ReferenceInterpreter(g, w).run(input, batch);
    double[] d = new double[out.length];
    for (int i = 0; i < out.length; i++) d[i] = out[i];
    return d;
  }

  private static Conv conv(int filters, int k, int stride, int pad, int groups, boolean bias, Activation a) {
    return new Conv(filters, k, k, stride, stride, pad, pad, groups, bias, a);
  }

  @Test
  void convValidWithBias() {
    // in 1 2 3 / 4 5 6 / 7 8 9, kernel 1 2 / 3 4: top-left 1 + 4 + 12 + 20 = 37, then 47, 67, 77; bias 0.5
    Graph g = Graphs.chain(new Shape(1, 3, 3), conv(1, 2, 1, 0, 1, true, Activation.NONE));
    TestWeights w = new TestWeights().put("l1.weight", 1, 2, 3, 4).put("l1.bias", 0.5f);
    assertArrayEquals(new double[] {37.5, 47.5, 67.5, 77.5}, run(g, w, ONE_TO_NINE, 1), EPS);
  }

  @Test
  void convPaddedStridedNoBias() {
    // 3x3 ones, pad 1, stride 2: windows centred on the corners sum 2x2 blocks: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
    Graph g = Graphs.chain(new Shape(1, 3, 3), conv(1, 3, 2, 1, 1, false, Activation.NONE));
    TestWeights w = new TestWeights().put("l1.weight", 1, 1, 1, 1, 1, 1, 1, 1, 1);
    assertEquals(new Shape(1, 2, 2), g.outputShape());
    assertArrayEquals(new double[] {12, 16, 24, 28}, run(g, w, ONE_TO_NINE, 1), EPS);
  }

  @Test
  void convGroupsSeeOnlyTheirChannelsAndReluEpilogue() {
    // groups 2, 1x1: filter 0 = 2 * channel 0, filter 1 = -3 * channel 1, then ReLU; batch 2
    Graph g = Graphs.chain(new Shape(2, 1, 2), conv(2, 1, 1, 0, 2, false, Activation.of(Activation.Kind.RELU)));
    TestWeights w = new TestWeights().put("l1.weight", 2, -3);
    float[] in = {1, -1, 2, -2, /* image 2 */ 3, 4, -5, 6};
    assertArrayEquals(new double[] {2, 0, 0, 6, 6, 8, 15, 0}, run(g, w, in, 2), EPS);
  }

  @Test
  void denseFlattensNchwThenActivationThenSoftmax() {
    // features (c, y, x) = (0,0,0), (1,0,0), (2,0,0); weights rows 1 2 3 and -1 0 1; bias 0 1
    TestWeights w = new TestWeights().put("l1.weight", 1, 2, 3, -1, 0, 1).put("l1.bias", 0, 1);
    float[] in = {1, 1, 2};
    Graph plain = Graphs.chain(new Shape(3, 1, 1), new Dense(2, true, Activation.NONE, false));
    assertArrayEquals(new double[] {9, 2}, run(plain, w, in, 1), EPS);
    Graph relu = Graphs.chain(new Shape(3, 1, 1), new Dense(2, true, Activation.of(Activation.Kind.RELU), false));
    assertArrayEquals(new double[] {0, 0}, run(relu, w, new float[] {-1, -1, -2}, 1), EPS); // -9 and -1 +1 = 0
    Graph soft = Graphs.chain(new Shape(3, 1, 1), new Dense(2, true, Activation.NONE, true));
    double e = Math.exp(7);
    assertArrayEquals(new double[] {e / (e + 1), 1 / (e + 1)}, run(soft, w, in, 1), EPS);
  }

  @Test
  void denseFlattensSpatialDimensions() {
    // a 1x2x2 input is 4 features in row-major order
    Graph g = Graphs.chain(new Shape(1, 2, 2), new Dense(1, false, Activation.NONE, false));
    TestWeights w = new TestWeights().put("l1.weight", 1, 10, 100, 1000);
    assertArrayEquals(new double[] {4321}, run(g, w, new float[] {1, 2, 3, 4}, 1), EPS);
  }

  @Test
  void lrnBothConventions() {
    // channels 1 2 3 at one pixel, size 3, k 1, beta 1, coefficient 0.3:
    // c0 sees 1+4 = 5 -> 1/(1+1.5); c1 sees 14 -> 2/(1+4.2); c2 sees 13 -> 3/(1+3.9)
    double[] expected = {1 / 2.5, 2 / 5.2, 3 / 4.9};
    float[] in = {1, 2, 3};
    Graph paper = Graphs.chain(new Shape(3, 1, 1), new Lrn(3, 0.3, 1, 1, false));
    Graph perSize = Graphs.chain(new Shape(3, 1, 1), new Lrn(3, 0.9, 1, 1, true));
    assertArrayEquals(expected, run(paper, new TestWeights(), in, 1), EPS);
    assertArrayEquals(expected, run(perSize, new TestWeights(), in, 1), EPS);
  }

  @Test
  void lrnAlexNetParameters() {
    // k 2, alpha 1e-4 (paper), beta 0.75, size 5 over 3 channels: every window holds all of them (1+4+9)
    Graph g = Graphs.chain(new Shape(3, 1, 1), new Lrn(5, 1e-4, 0.75, 2, false));
    double d = Math.pow(2 + 1e-4 * 14, 0.75);
    assertArrayEquals(new double[] {1 / d, 2 / d, 3 / d}, run(g, new TestWeights(), new float[] {1, 2, 3}, 1), 1e-7);
  }

  private static Pool pool1d(Pool.Kind kind, int window, int stride, int pad, boolean ceil, boolean countPad) {
    return new Pool(kind, 1, window, 1, stride, 0, pad, ceil, countPad);
  }

  @Test
  void poolCeilModeWindowRunsIntoRightPadding() {
    // width 4, window 3, stride 2, pad 1, ceil: windows cover [-1, 1], [1, 3], [3, 5]; the last is clipped to
    // the padded input [3, 4] (divisor 2 with padding) and to the real input [3, 3] (divisor 1 without).
    float[] in = {1, 2, 3, 4};
    Shape s = new Shape(1, 1, 4);
    Graph max = Graphs.chain(s, pool1d(Pool.Kind.MAX, 3, 2, 1, true, true));
    Graph avgPad = Graphs.chain(s, pool1d(Pool.Kind.AVG, 3, 2, 1, true, true));
    Graph avgReal = Graphs.chain(s, pool1d(Pool.Kind.AVG, 3, 2, 1, true, false));
    assertEquals(new Shape(1, 1, 3), max.outputShape());
    assertArrayEquals(new double[] {2, 4, 4}, run(max, new TestWeights(), in, 1), EPS);
    assertArrayEquals(new double[] {3 / 3.0, 9 / 3.0, 4 / 2.0}, run(avgPad, new TestWeights(), in, 1), EPS);
    assertArrayEquals(new double[] {3 / 2.0, 9 / 3.0, 4 / 1.0}, run(avgReal, new TestWeights(), in, 1), EPS);
  }

  @Test
  void poolCeilModeWithoutPaddingDividesByRealCells() {
    // width 4, window 3, stride 2, no padding, ceil: windows [0, 2] and [2, 4] -> clipped to [2, 3]
    float[] in = {1, 2, 3, 4};
    Graph avg = Graphs.chain(new Shape(1, 1, 4), pool1d(Pool.Kind.AVG, 3, 2, 0, true, true));
    assertArrayEquals(new double[] {2, 3.5}, run(avg, new TestWeights(), in, 1), EPS);
  }

  @Test
  void poolCeilModeDropsWindowStartingInRightPadding() {
    // width 5, window 2, stride 2, pad 1: ceil would give 4 windows, but the 4th starts at 5 = in + pad - 1 + 1,
    // inside the right padding, so PyTorch keeps 3: [-1, 0], [1, 2], [3, 4]
    Graph g = Graphs.chain(new Shape(1, 1, 5), pool1d(Pool.Kind.MAX, 2, 2, 1, true, true));
    assertEquals(new Shape(1, 1, 3), g.outputShape());
    assertArrayEquals(new double[] {1, 3, 5}, run(g, new TestWeights(), new float[] {1, 2, 3, 4, 5}, 1), EPS);
  }

  @Test
  void maxPoolIgnoresPaddingEvenForNegativeInputs() {
    // padding is -infinity, not 0: every window of an all-negative input keeps a negative maximum
    Graph g = Graphs.chain(new Shape(1, 1, 3), pool1d(Pool.Kind.MAX, 3, 1, 1, false, true));
    assertArrayEquals(new double[] {-1, -1, -2}, run(g, new TestWeights(), new float[] {-1, -2, -3}, 1), EPS);
  }

  @Test
  void alexNetPoolOverlaps() {
    // 3x3 window, stride 2 on 5x5 -> 2x2; maxima are the bottom-right corners of each window
    Graph g = Graphs.chain(new Shape(1, 5, 5), new Pool(Pool.Kind.MAX, 3, 3, 2, 2, 0, 0, false, true));
    float[] in = new float[25];
    for (int i = 0; i < 25; i++) in[i] = i;
    assertArrayEquals(new double[] {12, 14, 22, 24}, run(g, new TestWeights(), in, 1), EPS);
  }

  @Test
  void softmaxAcrossChannelsAtEachPosition() {
    // position 0: channels 0, ln 2, ln 3 -> 1/6, 2/6, 3/6; position 1: 1000, 1001, 1000 must not overflow
    Graph g = Graphs.chain(new Shape(3, 1, 2), new Softmax());
    float[] in = {0, 1000, (float) Math.log(2), 1001, (float) Math.log(3), 1000};
    double[] out = run(g, new TestWeights(), in, 1);
    double e = Math.E;
    assertArrayEquals(new double[] {1 / 6.0, 1 / (e + 2), 2 / 6.0, e / (e + 2), 3 / 6.0, 1 / (e + 2)}, out, 1e-6);
    assertEquals(1, out[0] + out[2] + out[4], 1e-6);
    assertEquals(1, out[1] + out[3] + out[5], 1e-6);
  }

  @Test
  void batchNormUsesRunningStatistics() {
    // channel 0: gamma 2, beta 1, mean 3, var 4 - eps -> 2 * (x - 3) / 2 + 1 = x - 2; channel 1: identity
    double eps = 1e-3;
    Graph g = Graphs.chain(new Shape(2, 1, 2), new BatchNorm(eps));
    TestWeights w = new TestWeights().put("l1.weight", 2, 1).put("l1.bias", 1, 0)
        .put("l1.running_mean", 3, 0).put("l1.running_var", (float) (4 - eps), (float) (1 - eps));
    double[] out = run(g, w, new float[] {5, 7, -1, 2}, 1);
    assertArrayEquals(new double[] {3, 5, -1, 2}, out, 1e-5);
  }

  @Test
  void globalAndAdaptiveAveragePools() {
    Graph global = Graphs.chain(new Shape(2, 1, 3), new GlobalAvgPool());
    assertArrayEquals(new double[] {2, 20}, run(global, new TestWeights(), new float[] {1, 2, 3, 10, 20, 30}, 1), EPS);
    // 5 -> 3: rows [0, 2), [1, 4), [3, 5) overlap: (1+2)/2, (2+3+4)/3, (4+5)/2
    Graph adaptive = Graphs.chain(new Shape(1, 1, 5), new AdaptiveAvgPool(1, 3));
    assertArrayEquals(new double[] {1.5, 3, 4.5}, run(adaptive, new TestWeights(), new float[] {1, 2, 3, 4, 5}, 1), EPS);
    // 2 -> 4 upsamples: each cell copies one input
    Graph up = Graphs.chain(new Shape(1, 1, 2), new AdaptiveAvgPool(1, 4));
    assertArrayEquals(new double[] {1, 1, 2, 2}, run(up, new TestWeights(), new float[] {1, 2}, 1), EPS);
  }

  @Test
  void activationsAndDropout() {
    float[] in = {-2, 0.5f};
    assertArrayEquals(new double[] {-0.2, 0.5},
        run(Graphs.chain(new Shape(2, 1, 1), new Activation(Activation.Kind.LEAKY_RELU, 0.1f)), new TestWeights(), in, 1),
        1e-7);
    assertArrayEquals(new double[] {Math.tanh(-2), Math.tanh(0.5)},
        run(Graphs.chain(new Shape(2, 1, 1), Activation.of(Activation.Kind.TANH)), new TestWeights(), in, 1), 1e-7);
    assertArrayEquals(new double[] {-2, 0.5},
        run(Graphs.chain(new Shape(2, 1, 1), new Dropout(0.5)), new TestWeights(), in, 1), 0);
  }

  @Test
  void concatAndAddKernelsKeepImagesApart() {
    // batch 2: a is 1x1x2 per image, b is 2x1x2 per image; concat puts a's channel before b's in each image
    double[] a = {1, 2, /* image 2 */ 3, 4};
    double[] b = {10, 20, 30, 40, /* image 2 */ 50, 60, 70, 80};
    double[] cat = Kernels.concat(List.of(a, b), 2, List.of(new Shape(1, 1, 2), new Shape(2, 1, 2)));
    assertArrayEquals(new double[] {1, 2, 10, 20, 30, 40, 3, 4, 50, 60, 70, 80}, cat, 0);
    assertArrayEquals(new double[] {11, 22, 33}, Kernels.add(List.of(new double[] {1, 2, 3},
        new double[] {10, 20, 30}, new double[] {0, 0, 0})), 0);
  }

  @Test
  void runAllReturnsEveryNodeInGraphOrder() {
    Graph g = Graphs.chain(new Shape(1, 1, 2), Activation.of(Activation.Kind.RELU), new Dropout(0.5));
    Map<String, double[]> all = new ReferenceInterpreter(g, new TestWeights()).runAll(new float[] {-1, 2}, 1);
    assertEquals(List.of("input", "l1", "l2"), List.copyOf(all.keySet()));
    assertArrayEquals(new double[] {-1, 2}, all.get("input"), 0);
    assertArrayEquals(new double[] {0, 2}, all.get("l2"), 0);
  }

  @Test
  void rejectsWrongInputLengthAndBatch() {
    Graph g = Graphs.chain(new Shape(3, 2, 2), Activation.of(Activation.Kind.RELU));
    ReferenceInterpreter ref = new ReferenceInterpreter(g, new TestWeights());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ref.run(new float[23], 2));
    assertTrue(e.getMessage().contains("24") && e.getMessage().contains("23"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ref.run(new float[0], 0));
  }

  @Test
  void rejectsWeightsOfWrongLength() {
    Graph g = Graphs.chain(new Shape(1, 3, 3), conv(1, 2, 1, 0, 1, false, Activation.NONE));
    WeightsException e = assertThrows(WeightsException.class,
        () -> new ReferenceInterpreter(g, new TestWeights().put("l1.weight", 1, 2, 3)));
    assertTrue(e.getMessage().contains("l1.weight"), e.getMessage());
  }
}
