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
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import org.junit.jupiter.api.Test;

class FuseSoftmaxTest {
  private final Pass pass = new FuseSoftmax();

  @Test
  void fusesIntoTheDenseLayerThatProducesTheLogits() {
    Graph g = graph(new Shape(3, 3, 3), "fc/softmax",
        node("fc", new Dense(7, true, Activation.NONE, false), "input"),
        node("fc/softmax", new Softmax(), "fc"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "fc/softmax").inOrder();
    Node n = after.node("fc/softmax");
    assertThat(n.fusedFrom()).containsExactly("fc", "fc/softmax").inOrder();
    assertThat(n.weightPrefix()).isEqualTo("fc");
    assertThat(((Dense) n.op()).softmax()).isTrue();
    sameResults(g, after);
  }

  @Test
  void fusesAfterAnActivationEpilogue() {
    Graph g = graph(new Shape(4, 1, 1), "s",
        node("fc", new Dense(5, false, Activation.of(Activation.Kind.TANH), false), "input"),
        node("s", new Softmax(), "fc"));
    Graph after = pass.apply(g);
    Dense d = (Dense) after.node("s").op();
    assertThat(d.softmax()).isTrue();
    assertThat(d.activation().kind()).isEqualTo(Activation.Kind.TANH);
    sameResults(g, after);
  }

  @Test
  void doesNotFuseASpatialSoftmaxAfterAConvolution() {
    Graph g = graph(new Shape(2, 4, 4), "s",
        node("c", new Conv(3, 3, 3, 1, 1, 1, 1, 1, true, Activation.NONE), "input"),
        node("s", new Softmax(), "c"));
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }

  @Test
  void doesNotFuseWhenTheLogitsHaveTwoReaders() {
    Graph g = graph(new Shape(2, 2, 2), "sum",
        node("fc", new Dense(3, true, Activation.NONE, false), "input"),
        node("s", new Softmax(), "fc"),
        node("sum", new Add(), "fc", "s"));
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }

  @Test
  void doesNotFuseWhenTheLogitsAreTheOutput() {
    Graph described = graph(new Shape(2, 2, 2), "s",
        node("fc", new Dense(3, true, Activation.NONE, false), "input"),
        node("s", new Softmax(), "fc"));
    Graph g = described.with(described.nodes(), "fc");
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }
}
