package dev.netc.processor.passes;

import dev.netc.graph.Graph;
import java.util.List;
import java.util.function.Consumer;

/**
 * The inference pipeline: the passes in the order they run. Order matters: dropout goes first so that a
 * dense layer followed by dropout and an activation still fuses; the epilogue of a convolution fills in the
 * order it computes (batch norm, then residual add, then activation), so batch norm folds first and the
 * residual add fuses before the activation after it; activations fuse before softmax.
 */
public final class Passes {
  /** Every pass, in order. */
  public static final List<Pass> INFERENCE = List.of(
      new DropInferenceNoOps(),
      new FoldBatchNorm(),
      new FuseResidualAdd(),
      new FuseActivation(),
      new FuseSoftmax(),
      new FuseLrnPool());

  private Passes() {}

  /** Runs every pass; {@code log} (may be null) receives each pass's result, whether it changed anything, and its time. */
  public static Graph run(Graph graph, Consumer<String> log) {
    Graph g = graph;
    if (log != null) log.accept("-- parsed\n" + g.dump());
    for (Pass p : INFERENCE) {
      long t = System.nanoTime();
      Graph next = p.apply(g);
      long us = (System.nanoTime() - t) / 1000;
      if (log != null) {
        log.accept("-- after " + p.name() + (next == g ? " (no change)" : "") + ", " + us + " us\n"
            + (next == g ? "" : next.dump()));
      }
      g = next;
    }
    return g;
  }
}
