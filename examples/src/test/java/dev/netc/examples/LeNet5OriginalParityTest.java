package dev.netc.examples;

import static dev.netc.examples.PyTorchParityTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.opencl.OpenClTests;
import dev.netc.runtime.reference.ReferenceInterpreter;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LeNet-5 as published (C3's connection table, trainable subsampling) against PyTorch, where it is a masked
 * convolution and a small subsampling module (tools/fixtures/make_fixtures.py, {@code lenet5_original}). The
 * weights are the synthetic formula's in netc's layout, scattered into the masked convolution by PyTorch; the
 * fixture stores random inputs (batch 4) and the outputs. Bounds as {@link PyTorchParityTest}.
 */
class LeNet5OriginalParityTest {
  private static final double FLOAT32 = 2e-5;
  private static final double FLOAT64 = 1e-6;
  private static final int BATCH = 4;

  @Test
  void parametersAreThePapersPerLayer() {
    Graph g = Netc.graph(LeNet5Original.class);
    Map<String, Long> perLayer = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      long p = g.parameterCount(n);
      if (p > 0) perLayer.put(n.weightPrefix(), p);
    }
    // shared/SEEDS.md: C1 156, S2 12, C3 1,516, S4 32, C5 48,120, F6 10,164; the softmax output 84 -> 10: 850
    assertEquals(Map.of("c1", 156L, "s2", 12L, "c3", 1_516L, "s4", 32L, "c5", 48_120L, "f6", 10_164L,
        "output", 850L), perLayer);
    assertEquals(60_850L, g.parameterCount());
    assertArrayEquals(new int[] {60, 5, 5}, g.weightsOf(g.node("c3/conv")).get(0).dims());
    assertEquals(new Shape(16, 10, 10), g.node("c3").shape());
    assertEquals(new Shape(16, 5, 5), g.node("s4").shape());
    assertEquals(new Shape(120, 1, 1), g.node("c5").shape());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"JAVA", "OPENCL"})
  void matchesPyTorch(Backend backend) throws Exception {
    if (backend == Backend.OPENCL) OpenClTests.assumeAvailable();
    Fixture f = Fixture.read();
    Shape in = Netc.graph(LeNet5Original.class).inputShape();
    try (Model model = Netc.load(LeNet5Original.class, new SyntheticWeights(), backend)) {
      assertClose(f.output, model.forward(f.input, BATCH), FLOAT32, "LeNet5Original on " + model.backend());
      float[] one = model.forward(Arrays.copyOf(f.input, in.size()), 1);
      assertClose(Arrays.copyOf(f.output, one.length), one, FLOAT32, "LeNet5Original batch 1 on " + model.backend());
    }
  }

  @Test
  void referenceInterpreterMatchesPyTorchInDouble() throws Exception {
    Fixture f = Fixture.read();
    Graph g = Netc.graph(LeNet5Original.class);
    Map<String, double[]> all = new ReferenceInterpreter(g, new SyntheticWeights()).runAll(f.input, BATCH);
    assertClose(f.output64, toFloat(all.get("output")), FLOAT64, "reference output");
    // the logits too, which the softmax would flatten if the subsampling or table were slightly off
    assertClose(f.logits64, toFloat(all.get("output/dense")), FLOAT64, "reference logits");
  }

  /** Other random inputs and a batch of 3, against the reference interpreter (not PyTorch). */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"JAVA", "OPENCL"})
  void matchesTheReferenceOnRandomInputs(Backend backend) {
    if (backend == Backend.OPENCL) OpenClTests.assumeAvailable();
    Graph g = Netc.graph(LeNet5Original.class);
    float[] x = new float[3 * g.inputShape().size()];
    Random r = new Random(1998);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    SyntheticWeights w = new SyntheticWeights();
    float[] expected = new ReferenceInterpreter(g, w).run(x, 3);
    try (Model model = Netc.load(LeNet5Original.class, w, backend)) {
      assertClose(expected, model.forward(x, 3), FLOAT32, "LeNet5Original on " + model.backend());
    }
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }

  private record Fixture(float[] input, float[] output, float[] output64, float[] logits64) {
    static Fixture read() throws Exception {
      try (SafeTensors t = SafeTensors.open(PyTorchParityTest.fixture("LeNet5Original"))) {
        return new Fixture(array(t.view("input")), array(t.view("output")), array(t.view("output_f64")),
            array(t.view("logits_f64")));
      }
    }

    private static float[] array(FloatBuffer b) {
      float[] out = new float[b.remaining()];
      b.get(out);
      return out;
    }
  }
}
