package dev.netc.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.ShapeInference;
import dev.netc.runtime.NetcException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names the processor and the OpenCL trainer agree on, and a missing program's message. */
class TrainingProgramsTest {
  @Test
  void prefixesAreIdentifiersUniqueAndSkipFusedActivations() {
    Pool pool = new Pool(Pool.Kind.MAX, 2, 2, 2, 2, 0, 0, false, true);
    List<Node> nodes = List.of(
        Node.of("input", new Input(new Shape(1, 8, 8)), List.of(), ""),
        Node.of("conv1/conv", new Conv(2, 3, 3, 1, 1, 1, 1, 1, true, Activation.NONE), List.of("input"), "conv1"),
        Node.of("conv1/relu", Activation.of(Activation.Kind.RELU), List.of("conv1/conv"), ""),
        Node.of("a.b", pool, List.of("conv1/relu"), ""),
        Node.of("a_b", Activation.of(Activation.Kind.TANH), List.of("a.b"), ""), // not after a conv: not fused
        Node.of("9x__y_", Activation.of(Activation.Kind.RELU), List.of("a_b"), ""),
        Node.of("fc", new Dense(3, true, Activation.NONE, false), List.of("9x__y_"), "fc"));
    ShapeInference.Result r = ShapeInference.infer("Names", nodes, "fc");
    assertTrue(r.ok(), () -> r.problems().toString());
    Graph g = r.graph();
    Map<String, String> prefixes = TrainingPrograms.kernelPrefixes(g);
    // conv1/relu runs in conv1/conv's kernels; "a.b" and "a_b" both sanitise to a_b; "__" only separates roles
    assertEquals(Map.of("conv1/conv", "conv1_conv", "a.b", "a_b", "a_b", "a_b_2", "9x__y_", "n_9x_y", "fc", "fc"),
        prefixes);
    assertEquals(List.of("conv1/conv", "a.b", "a_b", "9x__y_", "fc"), List.copyOf(prefixes.keySet()));
    assertEquals("a_b_2__backward", TrainingPrograms.kernel(prefixes.get("a_b"), TrainingPrograms.BACKWARD));
    assertEquals("cat__forward_1", TrainingPrograms.kernel("cat", TrainingPrograms.FORWARD, 1));
  }

  @Test
  void theLibraryIsComplete() {
    String library = TrainingPrograms.library();
    assertTrue(library.contains("static inline void conv_forward("), "the library's functions");
    assertTrue(library.contains("__kernel void fill_zero("), "the shared element-wise kernels");
  }

  @Test
  void aModelWithoutAProgramIsRefusedWithTheFix() {
    NetcException e = assertThrows(NetcException.class, () -> TrainingPrograms.source(TrainingProgramsTest.class));
    assertTrue(e.getMessage().contains("TrainingProgramsTest.train.cl is missing"), e.getMessage());
    assertTrue(e.getMessage().contains("recompile"), e.getMessage());
  }
}
