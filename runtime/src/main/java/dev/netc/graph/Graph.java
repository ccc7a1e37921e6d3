package dev.netc.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as a DAG of {@link Node}s in topological order, every node with its inferred shape. The first
 * node is the {@link Input}; {@code output} names the node whose result the network returns.
 *
 * <p>Graphs are immutable: passes ({@code Graph -> Graph}) return new ones. Build one from parsed nodes with
 * {@link ShapeInference#infer}, which checks it and fills in the shapes.
 */
public final class Graph {
  private final String name;
  private final List<Node> nodes;
  private final String output;
  private final Map<String, Node> byName = new LinkedHashMap<>();

  public Graph(String name, List<Node> nodes, String output) {
    this.name = name;
    this.nodes = List.copyOf(nodes);
    this.output = output;
    for (Node n : this.nodes) {
      if (n.shape() == null) throw new IllegalArgumentException("node " + n.name() + " has no shape");
      if (byName.put(n.name(), n) != null) throw new IllegalArgumentException("duplicate node " + n.name());
      for (String in : n.inputs()) {
        if (!byName.containsKey(in)) {
          throw new IllegalArgumentException("node " + n.name() + " reads " + in + " before it is computed");
        }
      }
    }
    if (!byName.containsKey(output)) throw new IllegalArgumentException("no output node " + output);
    if (!(this.nodes.get(0).op() instanceof Input)) throw new IllegalArgumentException("first node must be the input");
  }

  /** The network's name (the annotated class's simple name). */
  public String name() {
    return name;
  }

  public List<Node> nodes() {
    return nodes;
  }

  public String output() {
    return output;
  }

  public Node node(String nodeName) {
    Node n = byName.get(nodeName);
    if (n == null) throw new IllegalArgumentException("no node " + nodeName + " in " + name);
    return n;
  }

  public boolean contains(String nodeName) {
    return byName.containsKey(nodeName);
  }

  public Node inputNode() {
    return nodes.get(0);
  }

  public Shape inputShape() {
    return nodes.get(0).shape();
  }

  public Shape outputShape() {
    return node(output).shape();
  }

  /** Shapes of a node's inputs, in order. */
  public List<Shape> inputShapes(Node n) {
    List<Shape> s = new ArrayList<>(n.inputs().size());
    for (String in : n.inputs()) s.add(node(in).shape());
    return s;
  }

  /** The nodes that read {@code nodeName}'s output, in graph order. */
  public List<Node> consumers(String nodeName) {
    List<Node> c = new ArrayList<>();
    for (Node n : nodes) if (n.inputs().contains(nodeName)) c.add(n);
    return c;
  }

  /** The learned tensors a node reads, with the shapes it expects. */
  public List<WeightSpec> weightsOf(Node n) {
    return WeightLayout.of(n, inputShapes(n));
  }

  /** Every learned tensor of the network, in graph order. */
  public List<WeightSpec> weights() {
    List<WeightSpec> all = new ArrayList<>();
    for (Node n : nodes) all.addAll(weightsOf(n));
    return all;
  }

  /** Learned parameters of the network (batch norm's running statistics are buffers, not counted). */
  public long parameterCount() {
    long p = 0;
    for (Node n : nodes) p += parameterCount(n);
    return p;
  }

  /** Learned parameters of one node. */
  public long parameterCount(Node n) {
    long p = 0;
    for (WeightSpec w : weightsOf(n)) if (w.learned()) p += w.size();
    return p;
  }

  /** Multiply-adds per image of a node (comparisons and element-wise work are not counted). */
  public long macs(Node n) {
    return Cost.macs(n, inputShapes(n));
  }

  /** Total multiply-adds per image. */
  public long macs() {
    long m = 0;
    for (Node n : nodes) m += macs(n);
    return m;
  }

  /** A copy with other nodes and output (a pass's result). */
  public Graph with(List<Node> newNodes, String newOutput) {
    return new Graph(name, newNodes, newOutput);
  }

  /** One line per node: name, op, inputs, shape. What {@code -Anetc.dumpIr} prints. */
  public String dump() {
    StringBuilder s = new StringBuilder("graph ").append(name).append(" -> ").append(output).append('\n');
    for (Node n : nodes) {
      s.append("  ").append(n.name()).append(" = ").append(n.op().label());
      if (!n.inputs().isEmpty()) s.append(" (").append(String.join(", ", n.inputs())).append(')');
      s.append(" : ").append(n.shape());
      if (n.fusedFrom().size() > 1) s.append("  [fused ").append(String.join(" + ", n.fusedFrom())).append(']');
      s.append('\n');
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return dump();
  }
}
