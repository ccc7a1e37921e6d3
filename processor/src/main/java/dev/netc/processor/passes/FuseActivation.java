package dev.netc.processor.passes;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Graph;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;

/**
 * Applies an activation inside the convolution or dense layer that produces its input (the epilogue), so the
 * pre-activation tensor is never stored. Bias is already part of those layers. A connection-table convolution
 * and a trainable subsampling (LeNet-5's C3 and S2: {@code s2 = subsample 2x2 s2 +sigmoid}) take it the same way.
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
      if (producer.op() instanceof TableConv t && t.conv().activation().isIdentity()) return t.withActivation(act);
      if (producer.op() instanceof Subsample s && s.activation().isIdentity()) return s.withActivation(act);
      if (producer.op() instanceof Dense d && d.activation().isIdentity() && !d.softmax()) return d.withActivation(act);
      return null;
    });
  }
}
