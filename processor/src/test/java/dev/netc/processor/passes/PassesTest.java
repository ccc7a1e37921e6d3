package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.passes.TestGraphs.sameResults;

import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Graph;
import dev.netc.graph.LrnPool;
import dev.netc.graph.Node;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole pipeline on AlexNet's structure: what fuses, and that the result computes the same. */
class PassesTest {
  @Test
  void alexNetLikeGraphFusesToItsKernelsAndComputesTheSame() {
    Graph described = BufferPlannerTest.alexNetLike();
    List<String> log = new ArrayList<>();
    Graph fused = Passes.run(described, log::add);
    List<String> groups = new ArrayList<>();
    for (Node n : fused.nodes()) groups.add(String.join("+", n.fusedFrom()));
    assertThat(groups).containsExactly("input", "conv1+conv1/relu", "conv1/lrn+pool1", "conv2+conv2/relu",
        "conv2/lrn+pool2", "conv3+conv3/relu", "conv4+conv4/relu", "conv5+conv5/relu", "fc6+fc6/relu",
        "fc7+fc7/relu", "fc8+fc8/softmax").inOrder();
    assertThat(fused.node("pool1").op()).isInstanceOf(LrnPool.class);
    assertThat(((Conv) fused.node("conv1/relu").op()).activation().isIdentity()).isFalse();
    assertThat(((Dense) fused.node("fc8/softmax").op()).softmax()).isTrue();
    assertThat(fused.output()).isEqualTo("fc8/softmax");
    assertThat(fused.node("fc7/relu").inputs()).containsExactly("fc6/relu"); // the dropout between is gone
    sameResults(described, fused);

    assertThat(log.get(0)).startsWith("-- parsed");
    assertThat(log).hasSize(1 + Passes.INFERENCE.size());
    assertThat(String.join("\n", log)).contains("-- after fuse-lrn-pool");
  }

  @Test
  void aGraphWithNothingToDoPassesThroughUnchanged() {
    Graph g = TestGraphs.graph(new dev.netc.graph.Shape(2, 2, 2), "fc",
        TestGraphs.node("fc", new Dense(3, true, dev.netc.graph.Activation.NONE, false), "input"));
    List<String> log = new ArrayList<>();
    assertThat(Passes.run(g, log::add)).isSameInstanceAs(g);
    assertThat(log.stream().filter(l -> l.contains("(no change)")).count()).isEqualTo((long) Passes.INFERENCE.size());
  }
}
