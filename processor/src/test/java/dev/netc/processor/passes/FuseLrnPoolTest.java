package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.passes.TestGraphs.graph;
import static dev.netc.processor.passes.TestGraphs.names;
import static dev.netc.processor.passes.TestGraphs.node;
import static dev.netc.processor.passes.TestGraphs.sameResults;

import dev.netc.graph.Activation;
import dev.netc.graph.Add;
import dev.netc.graph.Graph;
import dev.netc.graph.Lrn;
import dev.netc.graph.LrnPool;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import org.junit.jupiter.api.Test;

class FuseLrnPoolTest {
  private final Pass pass = new FuseLrnPool();

  private static final Lrn PAPER = new Lrn(5, 0.05, 0.75, 2, false);
  private static final Lrn PER_SIZE = new Lrn(3, 0.3, 0.5, 1, true);

  @Test
  void fusesLrnWithTheMaxPoolThatFollows() {
    Pool pool = new Pool(Pool.Kind.MAX, 3, 3, 2, 2, 0, 0, false, false);
    Graph g = graph(new Shape(7, 9, 9), "pool",
        node("relu", Activation.of(Activation.Kind.RELU), "input"),
        node("lrn", PAPER, "relu"),
        node("pool", pool, "lrn"));
    Graph after = pass.apply(g);
    assertThat(names(after)).containsExactly("input", "relu", "pool").inOrder();
    Node n = after.node("pool");
    assertThat(n.op()).isEqualTo(new LrnPool(PAPER, pool));
    assertThat(n.fusedFrom()).containsExactly("lrn", "pool").inOrder();
    assertThat(n.inputs()).containsExactly("relu");
    assertThat(n.shape()).isEqualTo(new Shape(7, 4, 4));
    sameResults(g, after);
  }

  @Test
  void fusesWithAPaddedCeilModeAveragePoolPerSizeConvention() {
    Graph g = graph(new Shape(6, 7, 8), "pool",
        node("lrn", PER_SIZE, "input"),
        node("pool", new Pool(Pool.Kind.AVG, 3, 2, 2, 2, 1, 1, true, false), "lrn"));
    Graph after = pass.apply(g);
    assertThat(after.nodes()).hasSize(2);
    sameResults(g, after);
  }

  @Test
  void doesNotFuseWhenTheLrnHasTwoReaders() {
    Graph g = graph(new Shape(4, 4, 4), "sum",
        node("lrn", PAPER, "input"),
        node("pool", new Pool(Pool.Kind.MAX, 1, 1, 1, 1, 0, 0, false, false), "lrn"),
        node("sum", new Add(), "pool", "lrn"));
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }

  @Test
  void doesNotFuseWhenTheLrnIsTheOutput() {
    Graph described = graph(new Shape(4, 4, 4), "pool",
        node("lrn", PAPER, "input"),
        node("pool", new Pool(Pool.Kind.MAX, 2, 2, 2, 2, 0, 0, false, false), "lrn"));
    Graph g = described.with(described.nodes(), "lrn");
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }

  @Test
  void doesNotFuseAPoolBeforeAnLrn() {
    Graph g = graph(new Shape(4, 4, 4), "lrn",
        node("pool", new Pool(Pool.Kind.MAX, 2, 2, 2, 2, 0, 0, false, false), "input"),
        node("lrn", PAPER, "pool"));
    assertThat(pass.apply(g)).isSameInstanceAs(g);
  }
}
