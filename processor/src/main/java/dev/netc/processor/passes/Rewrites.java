package dev.netc.processor.passes;

import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Graph surgery shared by the passes. */
final class Rewrites {
  private Rewrites() {}

  /**
   * Merges each node {@code b} into its single producer {@code a} when {@code a} feeds only {@code b} and is
   * not the output, and {@code merge(a, b)} returns an operation for the pair (null: leave them). The merged
   * node takes {@code b}'s name, so readers of {@code b} need no change, and {@code a}'s inputs and weights.
   */
  static Graph mergeIntoProducer(Graph g, BiFunction<Node, Node, Op> merge) {
    List<Node> nodes = new ArrayList<>(g.nodes());
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node b = nodes.get(i);
      if (b.inputs().size() != 1) continue;
      int ai = indexOf(nodes, b.input());
      Node a = nodes.get(ai);
      if (a.name().equals(g.output()) || readers(nodes, a.name()) != 1) continue;
      Op merged = merge.apply(a, b);
      if (merged == null) continue;
      List<String> absorbed = new ArrayList<>(b.fusedFrom());
      Node fused = new Node(b.name(), merged, a.inputs(), a.weightPrefix(), b.shape(), a.fusedFrom())
          .fuse(b.name(), merged, b.shape(), absorbed);
      nodes.set(i, fused);
      nodes.remove(ai);
      i--;
      changed = true;
    }
    return changed ? g.with(nodes, g.output()) : g;
  }

  /** Removes nodes for which {@code drop} holds, rewiring their readers to their single input. */
  static Graph bypass(Graph g, java.util.function.Predicate<Node> drop) {
    List<Node> kept = new ArrayList<>();
    java.util.Map<String, String> replaced = new java.util.HashMap<>();
    for (Node n : g.nodes()) {
      if (drop.test(n) && n.inputs().size() == 1) {
        replaced.put(n.name(), follow(replaced, n.input()));
        continue;
      }
      List<String> ins = new ArrayList<>();
      for (String in : n.inputs()) ins.add(follow(replaced, in));
      kept.add(n.withInputs(ins));
    }
    if (replaced.isEmpty()) return g;
    return g.with(kept, follow(replaced, g.output()));
  }

  private static String follow(java.util.Map<String, String> replaced, String name) {
    String r = name;
    while (replaced.containsKey(r)) r = replaced.get(r);
    return r;
  }

  private static int indexOf(List<Node> nodes, String name) {
    for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).name().equals(name)) return i;
    throw new IllegalStateException("no node " + name);
  }

  private static int readers(List<Node> nodes, String name) {
    int count = 0;
    for (Node n : nodes) for (String in : n.inputs()) if (in.equals(name)) count++;
    return count;
  }
}
