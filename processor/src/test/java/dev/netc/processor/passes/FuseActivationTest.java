package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.passes.TestGraphs.graph;
import static dev.netc.processor.passes.TestGraphs.names;
import static dev.netc.processor.passes.TestGraphs.node;
import static dev.netc.processor.passes.TestGraphs.sameResults;

import dev.netc.graph.Activation;
import dev.netc.graph.Add;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import org.junit.jupiter.api.Test;

class FuseActivationTest {
  private final Pass pass = new FuseActivation();

  private static Conv conv(int filters, int k, int pad) {
    return new Conv(filters, k, k, 1, 1, pad, pad, 1, true, Activation.NONE);
  }

  private static Activation act(Activation.Kind kind, float alpha) {
    return new Activation(kind, alpha);
  }

  @Test
  void fusesIntoConvolutionAndDenseTakingTheActivationsName() {
    Graph g = graph(new Shape(3, 5, 5), "fc1/elu",
        node("conv1", conv(4, 3, 1), "input"),
        node("conv1/relu", act(Activation.Kind.LEAKY_RELU, 0.1f), "conv1"),
        node("fc1", new Dense(6, true, Activation.NONE, false), "conv1/relu"),
        node("fc1/elu", act(Activation.Kind.ELU, 0.5f), "fc1"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "conv1/relu", "fc1/elu").inOrder();
    Node c = after.node("conv1/relu");
    assertThat(c.fusedFrom()).containsExactly("conv1", "conv1/relu").inOrder();
    assertThat(c.weightPrefix()).isEqualTo("conv1");
    assertThat(c.inputs()).containsExactly("input");
    assertThat(((Conv) c.op()).activation()).isEqualTo(act(Activation.Kind.LEAKY_RELU, 0.1f));
    assertThat(c.shape()).isEqualTo(g.node("conv1").shape());
    Node d = after.node("fc1/elu");
    assertThat(d.inputs()).containsExactly("conv1/relu");
    assertThat(((Dense) d.op()).activation().kind()).isEqualTo(Activation.Kind.ELU);
    assertThat(after.output()).isEqualTo("fc1/elu");
    sameResults(g, after);
  }

  @Test
  void everyKindFusesAndComputesTheSame() {
    for (Activation.Kind kind : Activation.Kind.values()) {
      if (kind == Activation.Kind.IDENTITY) continue;
      Graph g = graph(new Shape(2, 4, 4), "a",
          node("c", conv(3, 3, 0), "input"),
          node("a", act(kind, 0.3f), "c"));
      Graph after = pass.apply(g);
      assertThat(after.nodes()).hasSize(2);
      sameResults(g, after);
    }
  }

  @Test
  void doesNotFuseWhenTheProducerHasTwoReaders() {
    Graph g = graph(new Shape(2, 4, 4), "sum",
        node("c", conv(2, 3, 1), "input"),
        node("r", act(Activation.Kind.RELU, 0), "c"),
        node("sum", new Add(), "r", "c"));
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }

  @Test
  void doesNotFuseWhenTheProducerIsTheOutput() {
    Graph described = graph(new Shape(2, 4, 4), "r",
        node("c", conv(2, 3, 1), "input"),
        node("r", act(Activation.Kind.RELU, 0), "c"));
    Graph g = described.with(described.nodes(), "c"); // c is the output and r a dead end
    Graph after = pass.apply(g);
    assertThat(after).isSameInstanceAs(g);
    sameResults(g, after);
  }

  @Test
  void secondActivationAndActivationsAfterOtherOperationsStayStandalone() {
    Graph g = graph(new Shape(2, 6, 6), "t2",
        node("c", conv(3, 3, 1), "input"),
        node("r", act(Activation.Kind.RELU, 0), "c"),
        node("s", act(Activation.Kind.SIGMOID, 0), "r"),
        node("p", new Pool(Pool.Kind.MAX, 2, 2, 2, 2, 0, 0, false, false), "s"),
        node("t2", act(Activation.Kind.TANH, 0), "p"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "r", "s", "p", "t2").inOrder();
    sameResults(g, after);
  }

  @Test
  void doesNotFuseIntoADenseLayerWithSoftmax() {
    Graph g = graph(new Shape(2, 2, 2), "r",
        node("d", new Dense(4, true, Activation.NONE, true), "input"),
        node("r", act(Activation.Kind.RELU, 0), "d"));
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }
}
