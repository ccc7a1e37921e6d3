package dev.netc.processor.passes;

import dev.netc.graph.Concat;
import dev.netc.graph.Conv;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the activation arena: which buffer each node's output lives in, and where.
 *
 * <p><b>Copy-free concatenation.</b> A branch of a concatenation is written straight into its channel slice of
 * the concatenation's buffer (a view, see {@link BufferPlan}) when it can live there: it is not the network's input
 * or output, it appears once in that concatenation, and it feeds no other concatenation (it cannot live in two
 * places; such a branch, and every other one, is copied by the concat kernel as before). A concatenation whose
 * branches are all views computes nothing. Concatenations nest: a view of a view lives in the outer buffer.
 *
 * <p><b>Sharing.</b> A buffer (a root and its views) lives from the first step that writes any of its members to
 * the last step that reads any of them (the output's to the end); buffers whose lifetimes do not overlap share
 * memory. A step's output never overlaps its inputs unless both are slices of one buffer, which are disjoint; a
 * max pool that a convolution's epilogue may compute does not overlap the convolution's inputs either.
 * Placement is first fit over the free gaps, which for chains like AlexNet gives the classic ping-pong of two
 * regions.
 */
public final class BufferPlanner {
  private BufferPlanner() {}

  private record Block(int offset, int size, String owner) {}

  public static BufferPlan plan(Graph g) {
    List<Node> nodes = g.nodes();
    Map<String, String> parent = views(g);
    Map<String, Integer> channelOffset = new HashMap<>();
    for (Node n : nodes) {
      if (!(n.op() instanceof Concat)) continue;
      int at = 0;
      for (String in : n.inputs()) {
        if (n.name().equals(parent.get(in))) channelOffset.put(in, at);
        at += g.node(in).shape().channels();
      }
    }
    // root of every node and its slice's start within an image of the root
    Map<String, String> root = new HashMap<>();
    Map<String, Integer> extra = new HashMap<>();
    for (int i = nodes.size() - 1; i >= 0; i--) { // a view's parent comes later in the order
      Node n = nodes.get(i);
      String p = parent.get(n.name());
      if (p == null) {
        root.put(n.name(), n.name());
        extra.put(n.name(), 0);
      } else {
        root.put(n.name(), root.get(p));
        extra.put(n.name(), extra.get(p) + channelOffset.get(n.name()) * n.shape().plane());
      }
    }
    // lifetime of each root buffer: first write of a member .. last read of a member
    Map<String, Integer> first = new HashMap<>();
    Map<String, Integer> last = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      first.putIfAbsent(root.get(n.name()), i);
      last.merge(root.get(n.name()), i, Math::max);
      for (String in : n.inputs()) last.merge(root.get(in), i, Math::max);
      // a pool that the Java backend may compute in its convolution's epilogue writes while the convolution's
      // inputs are still being read
      String conv = poolableInto(g, n);
      if (conv != null) for (String in : g.node(conv).inputs()) last.merge(root.get(in), i, Math::max);
    }
    last.put(root.get(g.output()), Integer.MAX_VALUE);

    Map<String, Integer> offsets = new HashMap<>();
    List<Block> live = new ArrayList<>();
    int arena = 0;
    int unplanned = 0;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      unplanned += n.shape().size();
      String r = root.get(n.name());
      if (!offsets.containsKey(r)) { // the first member written allocates the whole buffer
        int size = g.node(r).shape().size();
        int offset = firstFit(live, size);
        offsets.put(r, offset);
        live.add(new Block(offset, size, r));
        arena = Math.max(arena, offset + size);
      }
      final int step = i;
      live.removeIf(b -> last.get(b.owner()) <= step);
    }
    Map<String, BufferPlan.Placement> placements = new LinkedHashMap<>();
    for (Node n : nodes) {
      String r = root.get(n.name());
      placements.put(n.name(), new BufferPlan.Placement(offsets.get(r), g.node(r).shape().size(), extra.get(n.name()),
          r, parent.get(n.name())));
    }
    return new BufferPlan(placements, arena, unplanned);
  }

  /**
   * The convolution whose epilogue may compute pool {@code n} (the Java backend's {@code PooledEpilogue}, which
   * decides by more than this), or null: a max pool whose windows tile its input (stride equal to the window, no
   * padding), reading a convolution that nothing else reads. Then the pool's output is written while the
   * convolution's other tasks still read their inputs, so it must not share memory with them.
   */
  public static String poolableInto(Graph g, Node n) {
    if (!(n.op() instanceof Pool p) || n.inputs().size() != 1) return null;
    if (p.kind() != Pool.Kind.MAX || p.strideH() != p.windowH() || p.strideW() != p.windowW()) return null;
    if (p.padH() != 0 || p.padW() != 0) return null;
    Node producer = g.node(n.inputs().get(0));
    if (!(producer.op() instanceof Conv) || g.consumers(producer.name()).size() != 1) return null;
    return producer.name();
  }

  /** Which branches live in a slice of which concatenation (branch -> concat). */
  static Map<String, String> views(Graph g) {
    Map<String, Integer> concatReads = new HashMap<>();
    for (Node n : g.nodes()) {
      if (n.op() instanceof Concat) for (String in : n.inputs()) concatReads.merge(in, 1, Integer::sum);
    }
    Map<String, String> parent = new HashMap<>();
    for (Node n : g.nodes()) {
      if (!(n.op() instanceof Concat)) continue;
      for (String in : n.inputs()) {
        boolean ok = !(g.node(in).op() instanceof Input) && !in.equals(g.output()) && concatReads.get(in) == 1;
        if (ok) parent.put(in, n.name());
      }
    }
    return parent;
  }

  private static int firstFit(List<Block> live, int size) {
    List<Block> sorted = new ArrayList<>(live);
    sorted.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
    int cursor = 0;
    for (Block b : sorted) {
      if (b.offset() - cursor >= size) return cursor;
      cursor = Math.max(cursor, b.offset() + b.size());
    }
    return cursor;
  }
}
