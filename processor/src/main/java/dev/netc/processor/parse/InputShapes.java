package dev.netc.processor.parse;

import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Problem;
import dev.netc.graph.Shape;
import dev.netc.graph.ShapeInference;
import dev.netc.processor.report.Diagnostics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The shape of a layer parsed so far, for {@code in.channels} in block expressions: a ResNet block needs a
 * projection shortcut exactly when its input's channels differ from its output's, which only shape inference
 * knows. While parsing, the graph is incomplete, so this infers the shapes of the layers the asked-for one
 * depends on (its ancestors, which are complete) with the same {@link ShapeInference} as the whole network.
 *
 * <p>A mistake found there is reported once, through the source map, and every later question fails silently
 * (the network has errors and will not be compiled).
 */
final class InputShapes {
  /** The axes {@code in.<axis>} names. */
  static final List<String> AXES = List.of("channels", "height", "width");

  private final String graphName;
  private final List<Node> nodes;
  private final UnaryOperator<String> resolve;
  private final SourceMap sources;
  private final Diagnostics diag;
  private final Map<String, Shape> known = new HashMap<>();
  private boolean failed;

  /**
   * @param nodes the parser's list, read when asked (it grows while parsing)
   * @param resolve the parser's alias resolution (fields that are blocks or absent {@code @When} layers)
   */
  InputShapes(String graphName, List<Node> nodes, UnaryOperator<String> resolve, SourceMap sources, Diagnostics diag) {
    this.graphName = graphName;
    this.nodes = nodes;
    this.resolve = resolve;
    this.sources = sources;
    this.diag = diag;
  }

  /** The output shape of the (resolved) node {@code name}. */
  Shape of(String name) throws Expr.AlreadyReported {
    if (failed) throw new Expr.AlreadyReported();
    Shape cached = known.get(name);
    if (cached != null) return cached;
    Map<String, Node> byName = new HashMap<>();
    for (Node n : nodes) {
      List<String> ins = new ArrayList<>();
      for (String i : n.inputs()) ins.add(resolve.apply(i));
      byName.putIfAbsent(n.name(), n.withInputs(ins));
    }
    Node target = byName.get(name);
    if (target == null) throw new Expr.AlreadyReported(); // not parsed because of a mistake reported already
    if (target.op() instanceof Input in) return in.shape();
    Set<String> needed = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      Node node = byName.get(n);
      if (node != null && needed.add(n)) todo.addAll(node.inputs());
    }
    List<Node> partial = new ArrayList<>();
    for (Node n : nodes) {
      if (needed.remove(n.name())) partial.add(byName.get(n.name()));
    }
    ShapeInference.Result r = ShapeInference.infer(graphName, partial, name);
    if (!r.ok()) {
      for (Problem p : r.problems()) diag.error(sources, p);
      failed = true;
      throw new Expr.AlreadyReported();
    }
    for (Node n : r.graph().nodes()) known.put(n.name(), n.shape());
    return known.get(name);
  }
}
