package dev.netc.processor.passes;

import java.util.Map;

/**
 * Where each node's output lives in the activation arena: an offset in floats per image (a batch of
 * {@code b} uses {@code b * offset}) and the arena's size per image.
 */
public record BufferPlan(Map<String, Integer> offsets, int arenaSize, int unplannedSize) {
  public int offset(String node) {
    Integer o = offsets.get(node);
    if (o == null) throw new IllegalArgumentException("no buffer for " + node);
    return o;
  }
}
