package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.passes.TestGraphs.graph;
import static dev.netc.processor.passes.TestGraphs.names;
import static dev.netc.processor.passes.TestGraphs.node;
import static dev.netc.processor.passes.TestGraphs.sameResults;

import dev.netc.graph.Activation;
import dev.netc.graph.Add;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.Graph;
import dev.netc.graph.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropInferenceNoOpsTest {
  private final Pass pass = new DropInferenceNoOps();

  @Test
  void removesDropoutsAndIdentitiesAndRewiresReaders() {
    Graph g = graph(new Shape(3, 2, 2), "fc2/drop",
        node("fc1", new Dense(6, true, Activation.NONE, false), "input"),
        node("fc1/drop", new Dropout(0.5), "fc1"),
        node("fc1/id", Activation.NONE, "fc1/drop"),
        node("fc1/relu", Activation.of(Activation.Kind.RELU), "fc1/id"),
        node("fc2", new Dense(4, true, Activation.NONE, false), "fc1/relu"),
        node("fc2/drop", new Dropout(0.2), "fc2"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "fc1", "fc1/relu", "fc2").inOrder();
    assertThat(after.node("fc1/relu").inputs()).containsExactly("fc1");
    assertThat(after.output()).isEqualTo("fc2"); // the output was a dropout: its input is the output now
    sameResults(g, after);
  }

  @Test
  void rewiresEveryReaderOfADroppedNode() {
    Graph g = graph(new Shape(2, 3, 3), "sum",
        node("act", Activation.of(Activation.Kind.TANH), "input"),
        node("drop", new Dropout(0.1), "act"),
        node("sum", new Add(), "drop", "drop"));
    Graph after = pass.apply(g);
    assertThat(after.node("sum").inputs()).containsExactly("act", "act");
    sameResults(g, after);
  }

  @Test
  void returnsTheSameGraphWhenNothingApplies() {
    Graph g = graph(new Shape(1, 2, 2), "fc", node("fc", new Dense(3, false, Activation.NONE, false), "input"));
    assertThat(pass.apply(g)).isSameInstanceAs(g);
    assertThat(pass.apply(g).nodes()).isEqualTo(List.copyOf(g.nodes()));
  }
}
