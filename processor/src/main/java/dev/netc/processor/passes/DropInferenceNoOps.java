package dev.netc.processor.passes;

import dev.netc.graph.Activation;
import dev.netc.graph.Dropout;
import dev.netc.graph.Graph;

/**
 * Removes operations that do nothing at inference: dropout (inverted dropout scales while training, so
 * inference is the identity) and identity activations.
 *
 * <pre>
 * before: fc6 = dense 4096 +relu (fc6/relu) ; fc6 = dropout 0.5 (fc6/dense) ; fc7 = dense (fc6)
 * after:  fc6/dense = dense 4096 +relu      ; fc7 = dense (fc6/dense)
 * </pre>
 */
public final class DropInferenceNoOps implements Pass {
  @Override
  public String name() {
    return "drop-inference-no-ops";
  }

  @Override
  public Graph apply(Graph graph) {
    return Rewrites.bypass(graph, n -> n.op() instanceof Dropout
        || (n.op() instanceof Activation a && a.isIdentity()));
  }
}
