package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.passes.TestGraphs.graph;
import static dev.netc.processor.passes.TestGraphs.names;
import static dev.netc.processor.passes.TestGraphs.node;
import static dev.netc.processor.passes.TestGraphs.sameResults;

import dev.netc.graph.Activation;
import dev.netc.graph.Add;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import org.junit.jupiter.api.Test;

class FuseResidualAddTest {
  private final Pass pass = new FuseResidualAdd();

  private static Conv conv(int filters, int stride) {
    return new Conv(filters, 3, 3, stride, stride, 1, 1, 1, true, Activation.NONE);
  }

  private static Activation relu() {
    return Activation.of(Activation.Kind.RELU);
  }

  @Test
  void identityShortcutBecomesTheConvolutionsSecondInput() {
    Graph g = graph(new Shape(4, 6, 6), "out",
        node("stem", conv(4, 1), "input"),
        node("a", conv(4, 1), "stem"),
        node("a/relu", relu(), "a"),
        node("b", conv(4, 1), "a/relu"),
        node("sum", new Add(), "stem", "b"),
        node("out", relu(), "sum"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "stem", "a", "a/relu", "sum", "out").inOrder();
    Node sum = after.node("sum");
    assertThat(sum.inputs()).containsExactly("a/relu", "stem").inOrder();
    assertThat(((Conv) sum.op()).residual()).isTrue();
    assertThat(sum.weightPrefix()).isEqualTo("b");
    assertThat(sum.fusedFrom()).containsExactly("b", "sum").inOrder();
    sameResults(g, after);
    // then the ReLU fuses too, after the residual
    Graph all = Passes.run(g, null);
    assertThat(names(all)).containsExactly("input", "stem", "a/relu", "out").inOrder();
    sameResults(g, all);
  }

  @Test
  void projectionShortcutFusesTheLaterConvolutionWithItsFoldedBatchNorm() {
    Graph g = graph(new Shape(4, 8, 8), "sum",
        node("stem", conv(4, 1), "input"),
        node("main", conv(6, 2), "stem"),
        node("main/bn", new BatchNorm(1e-5), "main"),
        node("down", conv(6, 2), "stem"),
        node("down/bn", new BatchNorm(1e-5), "down"),
        node("sum", new Add(), "main/bn", "down/bn"));
    Graph folded = new FoldBatchNorm().apply(g);
    Graph after = pass.apply(folded);
    assertThat(names(after)).containsExactly("input", "stem", "main/bn", "sum").inOrder();
    Conv c = (Conv) after.node("sum").op();
    assertThat(c.residual()).isTrue();
    assertThat(c.norm().prefix()).isEqualTo("down/bn");
    assertThat(after.node("sum").inputs()).containsExactly("stem", "main/bn").inOrder();
    sameResults(g, after);
  }

  @Test
  void leavesAddsItCannotTake() {
    Graph g = graph(new Shape(4, 6, 6), "three",
        node("a", conv(4, 1), "input"),
        node("a/relu", relu(), "a"),
        node("twice", new Add(), "a/relu", "a/relu"), // no conv operand
        node("b", conv(4, 1), "twice"),
        node("self", new Add(), "b", "b"), // add(x, x): b is read twice
        node("c", conv(4, 1), "self"),
        node("d", conv(4, 1), "self"),
        node("three", new Add(), "c", "d", "self")); // three inputs
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }

  @Test
  void aConvolutionReadElsewhereStays() {
    Graph g = graph(new Shape(4, 6, 6), "sum",
        node("a", conv(4, 1), "input"),
        node("b", conv(4, 1), "a"),
        node("c", conv(4, 1), "b"),
        node("sum", new Add(), "b", "c"));
    Graph after = pass.apply(g);
    // b is read by c and the add; c only by the add
    assertThat(after.node("sum").inputs()).containsExactly("b", "b").inOrder();
    sameResults(g, after);
  }
}
