package dev.netc.processor.passes;

import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the activation arena: each node's output gets an offset, and tensors whose lifetimes do not overlap
 * share memory. A tensor lives from the step that writes it to the last step that reads it (the output to
 * the end); a step's output never overlaps its inputs. Placement is first fit over the free gaps, largest
 * tensors being the usual bottleneck, which for chains like AlexNet gives the classic ping-pong of two
 * regions.
 */
public final class BufferPlanner {
  private BufferPlanner() {}

  private record Block(int offset, int size, String owner) {}

  public static BufferPlan plan(Graph g) {
    Map<String, Integer> lastUse = new HashMap<>();
    List<Node> nodes = g.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      for (String in : nodes.get(i).inputs()) lastUse.put(in, i);
    }
    lastUse.put(g.output(), Integer.MAX_VALUE);
    Map<String, Integer> offsets = new LinkedHashMap<>();
    List<Block> live = new ArrayList<>();
    int arena = 0;
    int unplanned = 0;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      int size = n.shape().size();
      unplanned += size;
      int offset = firstFit(live, size);
      offsets.put(n.name(), offset);
      live.add(new Block(offset, size, n.name()));
      arena = Math.max(arena, offset + size);
      final int step = i;
      live.removeIf(b -> lastUse.getOrDefault(b.owner(), -1) <= step && !b.owner().equals(n.name()));
      if (lastUse.getOrDefault(n.name(), -1) < 0) live.removeIf(b -> b.owner().equals(n.name()));
    }
    return new BufferPlan(offsets, arena, unplanned);
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
