package dev.netc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Activation;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.ConnectionTable;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Op;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.ShapeInference;
import dev.netc.graph.Softmax;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.io.MapWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InitialisationTest {
  private static final Activation RELU = Activation.of(Activation.Kind.RELU);
  private static final Activation TANH = Activation.of(Activation.Kind.TANH);

  /** {@code input -> ops...}; each op given as (name, op), every node reading the previous one. */
  private static Graph chain(Shape input, Object... namesAndOps) {
    List<Node> nodes = new ArrayList<>();
    nodes.add(Node.of("input", new Input(input), List.of(), ""));
    String prev = "input";
    for (int i = 0; i < namesAndOps.length; i += 2) {
      String name = (String) namesAndOps[i];
      nodes.add(Node.of(name, (Op) namesAndOps[i + 1], List.of(prev), name));
      prev = name;
    }
    ShapeInference.Result r = ShapeInference.infer("Test", nodes, prev);
    assertTrue(r.ok(), () -> r.problems().toString());
    return r.graph();
  }

  private static Conv conv(int filters, int k, int pad, Activation a) {
    return new Conv(filters, k, k, 1, 1, pad, pad, 1, true, a);
  }

  private static double[] meanStd(float[] v, int from, int to) {
    double s = 0, s2 = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
      s2 += (double) v[i] * v[i];
    }
    int n = to - from;
    double mean = s / n;
    return new double[] {mean, Math.sqrt(s2 / n - mean * mean)};
  }

  private static float[] tensor(MapWeights w, String name) {
    return w.tensor(name).data();
  }

  @Test
  void paperWeightsAreNormalWithStd001() {
    long seed = new Random().nextLong();
    Graph g = chain(new Shape(1000, 1, 1), "fc", new Dense(600, true, Activation.NONE, false));
    float[] w = tensor(Initialisation.PAPER.initialise(g, seed), "fc.weight");
    double[] ms = meanStd(w, 0, w.length);
    // 600,000 draws: the mean's standard error is 1.3e-5, the std's relative error 0.1%.
    assertEquals(0, ms[0], 1e-4, "seed " + seed);
    assertEquals(0.01, ms[1], 0.01 * 0.01, "seed " + seed);
  }

  @Test
  void kaimingStdIsSqrtTwoOverFanIn() {
    long seed = new Random().nextLong();
    Graph g = chain(new Shape(64, 8, 8),
        "c", new Conv(96, 3, 3, 1, 1, 1, 1, 2, true, Activation.NONE), // fan_in 32 x 9 = 288
        "fc", new Dense(300, true, Activation.NONE, false)); // fan_in 96 x 8 x 8 = 6144
    MapWeights w = Initialisation.KAIMING.initialise(g, seed);
    double[] conv = meanStd(tensor(w, "c.weight"), 0, 96 * 32 * 9);
    assertEquals(0, conv[0], 0.003, "seed " + seed);
    assertEquals(Math.sqrt(2.0 / 288), conv[1], 0.02 * Math.sqrt(2.0 / 288), "seed " + seed);
    double[] fc = meanStd(tensor(w, "fc.weight"), 0, 300 * 6144);
    assertEquals(Math.sqrt(2.0 / 6144), fc[1], 0.01 * Math.sqrt(2.0 / 6144), "seed " + seed);
    assertArrayEquals(new float[96], tensor(w, "c.bias"));
    assertArrayEquals(new float[300], tensor(w, "fc.bias"));
  }

  @Test
  void paperBiasesAreOneWhereAHiddenLayerFeedsAReLU() {
    Graph g = chain(new Shape(3, 12, 12),
        "conv1", conv(4, 3, 1, Activation.NONE), "relu1", RELU, // first layer: 0
        "conv2", conv(4, 3, 1, Activation.NONE), "pool2", new Pool(Pool.Kind.MAX, 2, 2, 2, 2, 0, 0, false, false),
        "relu2", RELU, // through a max-pool: 1
        "conv3", conv(4, 3, 1, RELU), // fused ReLU: 1
        "conv4", conv(4, 3, 1, Activation.NONE), "tanh4", TANH, // tanh: 0
        "conv5", conv(4, 3, 1, Activation.NONE), "bn5", new BatchNorm(1e-5), "relu5", RELU, // a batch norm reads it: 0
        "fc6", new Dense(8, true, Activation.NONE, false), "drop6", new Dropout(0.5), "relu6", RELU, // 1
        "fc7", new Dense(8, true, RELU, false), "drop7", new Dropout(0.5), // fused: 1
        "fc8", new Dense(5, true, Activation.NONE, false), "prob", new Softmax()); // output layer: 0
    MapWeights w = Initialisation.PAPER.initialise(g, 7);
    String[] ones = {"conv2", "conv3", "fc6", "fc7"};
    String[] zeros = {"conv1", "conv4", "conv5", "fc8"};
    for (String n : ones) assertBias(w, n, 1f);
    for (String n : zeros) assertBias(w, n, 0f);
    assertArrayEquals(new float[] {1, 1, 1, 1}, tensor(w, "bn5.weight"));
    assertArrayEquals(new float[] {0, 0, 0, 0}, tensor(w, "bn5.bias"));
    assertArrayEquals(new float[] {0, 0, 0, 0}, tensor(w, "bn5.running_mean"));
    assertArrayEquals(new float[] {1, 1, 1, 1}, tensor(w, "bn5.running_var"));
    MapWeights k = Initialisation.KAIMING.initialise(g, 7);
    for (String n : ones) assertBias(k, n, 0f);
    assertArrayEquals(new float[] {1, 1, 1, 1}, tensor(k, "bn5.running_var"));
  }

  private static void assertBias(MapWeights w, String layer, float value) {
    for (float b : tensor(w, layer + ".bias")) assertEquals(value, b, layer + ".bias");
  }

  @Test
  void everyTensorTheGraphListsIsCreatedWithItsDims() {
    // LeNet-5's special layers too: a connection-table convolution and trainable subsampling.
    ConnectionTable table = ConnectionTable.of(new int[] {0}, new int[] {0, 1, 2, 3});
    Graph g = chain(new Shape(4, 20, 20),
        "s2", new Subsample(2, 2, 2, 2, true, TANH),
        "c3", new TableConv(new Conv(2, 5, 5, 1, 1, 0, 0, 1, true, TANH), table),
        "fc", new Dense(3, false, Activation.NONE, false),
        "bn", new BatchNorm(1e-5));
    for (Initialisation how : Initialisation.values()) {
      MapWeights w = how.initialise(g, 1);
      List<String> expected = new ArrayList<>();
      for (WeightSpec s : g.weights()) {
        expected.add(s.name());
        assertArrayEquals(s.dims(), w.tensor(s.name()).dims(), s.name());
      }
      assertEquals(expected, List.copyOf(w.names()));
      for (float c : tensor(w, "s2.weight")) assertEquals(0.25f, c, "subsampling starts as an average");
      assertArrayEquals(new float[4], tensor(w, "s2.bias"));
      assertArrayEquals(new float[2], tensor(w, "c3.bias"), "tanh layers get bias 0");
    }
  }

  @Test
  void kaimingFanInOfATableConvolutionIsPerFilter() {
    // Filter 0 reads one map, filter 1 four: fan_in 1 x 225 and 4 x 225, so filter 0's std is twice filter 1's.
    ConnectionTable table = ConnectionTable.of(new int[] {2}, new int[] {0, 1, 2, 3});
    Graph g = chain(new Shape(4, 20, 20), "c", new TableConv(conv(2, 15, 0, Activation.NONE), table));
    long seed = new Random().nextLong();
    float[] w = tensor(Initialisation.KAIMING.initialise(g, seed), "c.weight");
    double s0 = meanStd(w, 0, 225)[1];
    double s1 = meanStd(w, 225, 5 * 225)[1];
    // Relative standard errors 4.7% and 2.4%: the bounds are above 3 of them, far below the factor of 2.
    assertEquals(Math.sqrt(2.0 / 225), s0, 0.15 * Math.sqrt(2.0 / 225), "seed " + seed);
    assertEquals(Math.sqrt(2.0 / 900), s1, 0.08 * Math.sqrt(2.0 / 900), "seed " + seed);
  }

  @Test
  void deterministicForASeedAndIndependentOfOtherLayers() {
    Graph small = chain(new Shape(3, 8, 8), "c1", conv(6, 3, 1, RELU), "fc", new Dense(10, true, Activation.NONE, false));
    Graph bigger = chain(new Shape(3, 8, 8), "c0", conv(3, 3, 1, RELU), "c1", conv(6, 3, 1, RELU),
        "fc", new Dense(10, true, Activation.NONE, false));
    for (Initialisation how : Initialisation.values()) {
      MapWeights a = how.initialise(small, 42);
      MapWeights b = how.initialise(small, 42);
      MapWeights c = how.initialise(small, 43);
      MapWeights d = how.initialise(bigger, 42);
      for (String n : List.of("c1.weight", "fc.weight")) {
        assertArrayEquals(tensor(a, n), tensor(b, n), n);
        assertArrayEquals(tensor(a, n), tensor(d, n), n + " does not depend on the layers before it");
        assertFalse(java.util.Arrays.equals(tensor(a, n), tensor(c, n)), n + " differs for another seed");
      }
      assertFalse(java.util.Arrays.equals(tensor(a, "c1.weight"), tensor(a, "fc.weight")));
    }
  }

  @Test
  void namesAreParsedWithAClearError() {
    assertEquals(Initialisation.PAPER, Initialisation.parse("paper"));
    assertEquals(Initialisation.KAIMING, Initialisation.parse(" Kaiming "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Initialisation.parse("xavier"));
    assertTrue(e.getMessage().contains("\"xavier\"") && e.getMessage().contains("paper | kaiming"), e.getMessage());
  }
}
