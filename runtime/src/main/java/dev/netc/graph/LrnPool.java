package dev.netc.graph;

/**
 * Fused local response normalisation followed by pooling: normalised values are pooled as they are computed,
 * so the normalised tensor is never stored. Produced by the LRN+pool fusion pass.
 */
public record LrnPool(Lrn lrn, Pool pool) implements Op {
  @Override
  public String label() {
    return lrn.label() + " -> " + pool.label();
  }
}
