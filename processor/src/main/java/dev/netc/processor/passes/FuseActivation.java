package dev.netc.processor.passes;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Graph;

/**
 * Applies an activation inside the convolution or dense layer that produces its input (the epilogue), so the
 * pre-activation tensor is never stored. Bias is already part of those layers.
 *
 * <pre>
 * before: conv1/conv = conv 96@11x11 s4 (input) ; conv1/relu = relu (conv1/conv)
 * after:  conv1/relu = conv 96@11x11 s4 +relu (input)   [fused conv1/conv + conv1/relu]
 * </pre>
 */
public final class FuseActivation implements Pass {
  @Override
  public String name() {
    return "fuse-activation";
  }

  @Override
  public Graph apply(Graph graph) {
    return Rewrites.mergeIntoProducer(graph, (producer, node) -> {
      if (!(node.op() instanceof Activation act)) return null;
      if (producer.op() instanceof Conv c && c.activation().isIdentity()) return c.withActivation(act);
      if (producer.op() instanceof Dense d && d.activation().isIdentity() && !d.softmax()) return d.withActivation(act);
      return null;
    });
  }
}
