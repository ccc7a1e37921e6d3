package dev.netc.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Op;
import dev.netc.graph.Shape;
import dev.netc.graph.ShapeInference;
import java.util.ArrayList;
import java.util.List;

/** Builds small checked graphs for tests: a chain of ops after one input. */
final class Graphs {
  private Graphs() {}

  /**
   * {@code input -> l1 -> l2 -> ...}, node {@code li} reading weights {@code li.*}; the last node is the
   * output.
   */
  static Graph chain(Shape input, Op... ops) {
    List<Node> nodes = new ArrayList<>();
    nodes.add(Node.of("input", new Input(input), List.of(), ""));
    String prev = "input";
    for (int i = 0; i < ops.length; i++) {
      String name = "l" + (i + 1);
      nodes.add(Node.of(name, ops[i], List.of(prev), name));
      prev = name;
    }
    ShapeInference.Result r = ShapeInference.infer("Test", nodes, prev);
    assertTrue(r.ok(), () -> r.problems().toString());
    return r.graph();
  }
}
