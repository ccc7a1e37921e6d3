package dev.netc.processor.passes;

import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.FoldedBatchNorm;
import dev.netc.graph.Graph;

/**
 * Folds an inference batch norm into the convolution or dense layer that produces its input: the generated load
 * code rescales the layer's weights and shifts its bias ({@code Packing.foldBatchNorm}), so inference runs no
 * separate normalisation and never stores the un-normalised tensor. Only a layer whose epilogue is still empty
 * can absorb it (no activation, residual or softmax yet: those come after the batch norm); a batch norm after
 * anything else (the input, a pool, an add, a layer read elsewhere too) stays a kernel of its own.
 *
 * <pre>
 * before: conv1/conv = conv 64@7x7 s2 p3 nobias (input) ; conv1/bn1 = batchnorm eps=1.0E-5 (conv1/conv)
 * after:  conv1/bn1 = conv 64@7x7 s2 p3 nobias +bn(bn1) (input)   [fused conv1/conv + conv1/bn1]
 * </pre>
 */
public final class FoldBatchNorm implements Pass {
  @Override
  public String name() {
    return "fold-batch-norm";
  }

  @Override
  public Graph apply(Graph graph) {
    return Rewrites.mergeIntoProducer(graph, (producer, node) -> {
      if (!(node.op() instanceof BatchNorm bn)) return null;
      FoldedBatchNorm norm = new FoldedBatchNorm(node.weightPrefix(), bn.eps());
      if (producer.op() instanceof Conv c && c.norm() == null && !c.residual() && c.activation().isIdentity()) {
        return c.withNorm(norm);
      }
      if (producer.op() instanceof Dense d && d.norm() == null && d.activation().isIdentity() && !d.softmax()) {
        return d.withNorm(norm);
      }
      return null;
    });
  }
}
