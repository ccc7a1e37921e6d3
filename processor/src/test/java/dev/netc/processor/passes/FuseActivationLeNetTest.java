package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.passes.TestGraphs.graph;
import static dev.netc.processor.passes.TestGraphs.names;
import static dev.netc.processor.passes.TestGraphs.node;
import static dev.netc.processor.passes.TestGraphs.sameResults;

import dev.netc.graph.Activation;
import dev.netc.graph.ConnectionTable;
import dev.netc.graph.Conv;
import dev.netc.graph.Graph;
import dev.netc.graph.Shape;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import org.junit.jupiter.api.Test;

/** {@link FuseActivation} on LeNet-5's operations: the squashing function goes into their epilogue. */
class FuseActivationLeNetTest {
  private final Pass pass = new FuseActivation();

  private static TableConv c3() {
    return new TableConv(new Conv(3, 3, 3, 1, 1, 0, 0, 1, true, Activation.NONE),
        ConnectionTable.of(new int[] {0, 1}, new int[] {1}, new int[] {1, 0}));
  }

  @Test
  void fusesIntoSubsamplingAndTheTableConvolution() {
    Graph g = graph(new Shape(2, 10, 10), "c3/tanh",
        node("s2", new Subsample(2, 2, 2, 2, true, Activation.NONE), "input"),
        node("s2/sigmoid", Activation.of(Activation.Kind.SIGMOID), "s2"),
        node("c3", c3(), "s2/sigmoid"),
        node("c3/tanh", Activation.of(Activation.Kind.TANH), "c3"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "s2/sigmoid", "c3/tanh").inOrder();
    assertThat(after.node("s2/sigmoid").fusedFrom()).containsExactly("s2", "s2/sigmoid").inOrder();
    assertThat(after.node("s2/sigmoid").weightPrefix()).isEqualTo("s2");
    assertThat(((Subsample) after.node("s2/sigmoid").op()).activation().kind()).isEqualTo(Activation.Kind.SIGMOID);
    assertThat(((TableConv) after.node("c3/tanh").op()).conv().activation().kind()).isEqualTo(Activation.Kind.TANH);
    assertThat(after.node("c3/tanh").op().label()).isEqualTo("conv 3@3x3 table(5) +tanh");
    sameResults(g, after);
  }

  @Test
  void aSecondActivationStaysStandalone() {
    Graph g = graph(new Shape(2, 6, 6), "b",
        node("s", new Subsample(3, 3, 1, 1, false, Activation.NONE), "input"),
        node("a", Activation.of(Activation.Kind.TANH), "s"),
        node("b", Activation.of(Activation.Kind.RELU), "a"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "a", "b").inOrder();
    sameResults(g, after);
  }
}
