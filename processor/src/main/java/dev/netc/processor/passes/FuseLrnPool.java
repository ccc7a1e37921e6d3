package dev.netc.processor.passes;

import dev.netc.graph.Graph;
import dev.netc.graph.Lrn;
import dev.netc.graph.LrnPool;
import dev.netc.graph.Pool;

/**
 * Fuses local response normalisation with the pooling that follows it (AlexNet's conv1 and conv2), so the
 * normalised tensor is produced a plane at a time in scratch memory and pooled at once, never stored whole.
 *
 * <pre>
 * before: conv1/lrn = lrn n=5 (conv1/relu) ; conv1 = maxpool 3x3 s2 (conv1/lrn)
 * after:  conv1 = lrn n=5 -> maxpool 3x3 s2 (conv1/relu)
 * </pre>
 */
public final class FuseLrnPool implements Pass {
  @Override
  public String name() {
    return "fuse-lrn-pool";
  }

  @Override
  public Graph apply(Graph graph) {
    return Rewrites.mergeIntoProducer(graph, (producer, node) ->
        node.op() instanceof Pool p && producer.op() instanceof Lrn l ? new LrnPool(l, p) : null);
  }
}
