package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.passes.TestGraphs.graph;
import static dev.netc.processor.passes.TestGraphs.names;
import static dev.netc.processor.passes.TestGraphs.node;
import static dev.netc.processor.passes.TestGraphs.sameResults;

import dev.netc.graph.Activation;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.FoldedBatchNorm;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import org.junit.jupiter.api.Test;

class FoldBatchNormTest {
  private final Pass pass = new FoldBatchNorm();

  private static Conv conv(int filters, boolean bias) {
    return new Conv(filters, 3, 3, 1, 1, 1, 1, 1, bias, Activation.NONE);
  }

  @Test
  void foldsIntoConvolutionAndDenseKeepingTheBatchNormsTensorNames() {
    Graph g = graph(new Shape(3, 6, 6), "fc/bn",
        node("conv1", conv(4, false), "input"),
        node("conv1/bn", new BatchNorm(1e-3), "conv1"),
        node("fc", new Dense(5, true, Activation.NONE, false), "conv1/bn"),
        node("fc/bn", new BatchNorm(1e-5), "fc"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "conv1/bn", "fc/bn").inOrder();
    Node c = after.node("conv1/bn");
    assertThat(c.fusedFrom()).containsExactly("conv1", "conv1/bn").inOrder();
    assertThat(((Conv) c.op()).norm()).isEqualTo(new FoldedBatchNorm("conv1/bn", 1e-3));
    assertThat(((Conv) c.op()).hasBias()).isTrue(); // gains the folded shift as its bias
    assertThat(after.weightsOf(c)).containsExactly(new WeightSpec("conv1.weight", 4, 3, 3, 3),
        new WeightSpec("conv1/bn.weight", 4), new WeightSpec("conv1/bn.bias", 4),
        new WeightSpec("conv1/bn.running_mean", false, 4), new WeightSpec("conv1/bn.running_var", false, 4)).inOrder();
    assertThat(((Dense) after.node("fc/bn").op()).norm()).isEqualTo(new FoldedBatchNorm("fc/bn", 1e-5));
    assertThat(after.parameterCount()).isEqualTo(g.parameterCount());
    sameResults(g, after);
  }

  @Test
  void staysSeparateWhereNothingCanAbsorbIt() {
    Graph g = graph(new Shape(3, 6, 6), "sum",
        node("first", new BatchNorm(1e-5), "input"), // the input
        node("c", conv(4, true), "first"),
        node("c/relu", Activation.of(Activation.Kind.RELU), "c"),
        node("c/bn", new BatchNorm(1e-5), "c/relu"), // after an activation
        node("p", new Pool(Pool.Kind.MAX, 2, 2, 1, 1, 0, 0, false, false), "c/bn"),
        node("p/bn", new BatchNorm(1e-5), "p"), // after a pool
        node("d", conv(4, true), "p/bn"),
        node("d/bn", new BatchNorm(1e-5), "d"), // its conv is read twice
        node("sum", new dev.netc.graph.Add(), "d/bn", "d"));
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }

  @Test
  void aConvolutionAbsorbsOneBatchNormOnly() {
    Graph g = graph(new Shape(2, 5, 5), "bn2",
        node("c", conv(3, true), "input"),
        node("bn1", new BatchNorm(1e-5), "c"),
        node("bn2", new BatchNorm(1e-2), "bn1"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "bn1", "bn2").inOrder();
    assertThat(after.node("bn2").op()).isInstanceOf(BatchNorm.class);
    sameResults(g, after);
  }
}
