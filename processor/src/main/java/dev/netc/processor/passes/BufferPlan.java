package dev.netc.processor.passes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each node's output lives in the activation arena. With a batch of {@code b} images, image {@code n} of
 * node {@code T} starts at {@code offset(T) * b + n * imageStride(T) + extra(T)}. A node that owns its buffer (a
 * root) has stride = its size and extra = 0. A branch of a copy-free concatenation is a view: it lives in its
 * channel slice of the concatenation's buffer, so its stride is the concatenation's image size and its extra is
 * the slice's first channel times the plane (views of views add up).
 *
 * @param placements every node's placement, in graph order
 * @param arenaSize floats per image of the whole arena
 * @param unplannedSize floats per image if every node had a buffer of its own
 */
public record BufferPlan(Map<String, Placement> placements, int arenaSize, int unplannedSize) {

  /**
   * One node's place.
   *
   * @param offset per-image offset of the root buffer it lives in
   * @param imageStride floats from one image to the next (the root's size)
   * @param extra floats from the start of an image of the root to the start of this node's slice
   * @param root the node owning the buffer (the node itself unless it is a view)
   * @param parent the concatenation whose slice this node is written into, or null for a root
   */
  public record Placement(int offset, int imageStride, int extra, String root, String parent) {
    public boolean isView() {
      return parent != null;
    }
  }

  public BufferPlan {
    placements = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(placements));
  }

  public Placement placement(String node) {
    Placement p = placements.get(node);
    if (p == null) throw new IllegalArgumentException("no buffer for " + node);
    return p;
  }

  /** Per-image offset of the buffer a node lives in (its own, or its root's for a view). */
  public int offset(String node) {
    return placement(node).offset();
  }

  /** Whether {@code input} is written straight into its slice of {@code concat}, so the concat need not copy it. */
  public boolean inSlice(String input, String concat) {
    return concat.equals(placement(input).parent());
  }

  /**
   * Every node's place, for {@code -Anetc.dumpIr}: {@code name@offset} for a buffer of its own, {@code
   * name in concat (root+extra)} for a view written into a concatenation's slice ({@code extra} floats into an
   * image of the root buffer).
   */
  public String describe() {
    StringBuilder s = new StringBuilder();
    placements.forEach((k, v) -> {
      if (s.length() > 0) s.append(", ");
      s.append(k);
      if (v.isView()) s.append(" in ").append(v.parent()).append(" (").append(v.root()).append('+').append(v.extra()).append(')');
      else s.append('@').append(v.offset());
    });
    return s.toString();
  }

  /** Per-image offsets of every node's buffer, in graph order (for dumps). */
  public Map<String, Integer> offsets() {
    Map<String, Integer> o = new LinkedHashMap<>();
    placements.forEach((k, v) -> o.put(k, v.offset()));
    return o;
  }
}
