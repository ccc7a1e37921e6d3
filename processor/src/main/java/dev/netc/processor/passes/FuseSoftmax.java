package dev.netc.processor.passes;

import dev.netc.graph.Dense;
import dev.netc.graph.Graph;
import dev.netc.graph.Softmax;

/**
 * Computes a softmax in the epilogue of the dense layer that produces its logits (AlexNet's fc8).
 *
 * <pre>
 * before: fc8/dense = dense 1000 (fc7) ; fc8 = softmax (fc8/dense)
 * after:  fc8 = dense 1000 +softmax (fc7)
 * </pre>
 */
public final class FuseSoftmax implements Pass {
  @Override
  public String name() {
    return "fuse-softmax";
  }

  @Override
  public Graph apply(Graph graph) {
    return Rewrites.mergeIntoProducer(graph, (producer, node) ->
        node.op() instanceof Softmax && producer.op() instanceof Dense d && !d.softmax() ? d.withSoftmax() : null);
  }
}
