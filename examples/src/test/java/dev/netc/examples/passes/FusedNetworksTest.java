package dev.netc.examples.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.examples.docs.GoogLeNet;
import dev.netc.examples.docs.ResNet50;
import dev.netc.graph.Add;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Graph;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.opencl.OpenClTests;
import dev.netc.runtime.reference.ReferenceInterpreter;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole networks that exercise the fusion passes (ResNet-50 and GoogLeNet from docs/DSL.md, and {@link
 * SmallFusions}), generated Java and OpenCL models against the reference interpreter running the unfused, described
 * graph in double: every batch norm folded, every residual add in a convolution epilogue, every concatenation
 * copy-free, on random inputs with batch norms whose running statistics are far from the identity. Error bound:
 * max |expected - actual| / max |expected|, float32 through 50 layers.
 */
class FusedNetworksTest {
  /** Synthetic weights whose batch norms have running means far from 0 and variances far from 1. */
  static final class Stats implements Weights {
    private final SyntheticWeights synthetic = new SyntheticWeights();

    @Override
    public float[] get(WeightSpec spec) {
      String name = spec.name();
      if (name.endsWith(".running_mean")) return SyntheticWeights.values(name, spec.dims(), 0.1, 0.3);
      if (name.endsWith(".running_var")) return SyntheticWeights.values(name, spec.dims(), 1.2, 0.8);
      return synthetic.get(spec);
    }

    @Override
    public boolean contains(String name) {
      return true;
    }

    @Override
    public String source() {
      return "synthetic weights with non-trivial batch norm statistics";
    }
  }

  private static final java.util.Map<Class<?>, float[]> REFERENCE = new java.util.concurrent.ConcurrentHashMap<>();

  static Stream<Arguments> networks() {
    return Stream.of(SmallFusions.class, ResNet50.class, GoogLeNet.class)
        .flatMap(n -> Stream.of(Arguments.of(n, Backend.JAVA), Arguments.of(n, Backend.OPENCL)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("networks")
  void fusedModelMatchesTheUnfusedReference(Class<?> network, Backend backend) {
    if (backend == Backend.OPENCL) OpenClTests.assumeAvailable();
    Graph described = Netc.graph(network);
    Graph fused = Netc.fusedGraph(network);
    assertEquals(0, fused.nodes().stream().filter(n -> n.op() instanceof BatchNorm).count(), "a batch norm stayed");
    if (network != GoogLeNet.class) {
      assertEquals(0, fused.nodes().stream().filter(n -> n.op() instanceof Add).count(), "an add stayed");
    }
    Weights weights = new Stats();
    int batch = network == SmallFusions.class ? 3 : 1;
    float[] input = new float[batch * described.inputShape().size()];
    Random random = new Random(7);
    for (int i = 0; i < input.length; i++) input[i] = random.nextFloat() * 2 - 1;
    // the reference (double precision, unoptimised) dominates the time: once per network, for both backends
    float[] expected = REFERENCE.computeIfAbsent(network,
        n -> new ReferenceInterpreter(described, weights).run(input, batch));
    float[] actual;
    try (Model m = Netc.load(network, weights, backend)) {
      actual = m.forward(input, batch);
    }
    double scale = 0;
    double worst = 0;
    for (float e : expected) scale = Math.max(scale, Math.abs(e));
    for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
    assertTrue(scale > 0, "all-zero reference output proves nothing");
    assertTrue(worst <= 5e-5 * scale, network.getSimpleName() + " on " + backend + ": max |error| " + worst
        + " against max |output| " + scale + " (relative " + worst / scale + ")");
  }
}
