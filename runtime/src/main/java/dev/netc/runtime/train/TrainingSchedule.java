package dev.netc.runtime.train;

import dev.netc.graph.Activation;
import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.Add;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Concat;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.GlobalAvgPool;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Lrn;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decisions every trainer of a described graph shares, whatever its backend: which networks can be trained
 * at all, and which activations run fused into the convolution or dense layer before them. The processor's
 * {@code TrainerWriter} (the Java trainers it generates) and {@code dev.netc.runtime.opencl.OpenClTrainer} both
 * ask this class, so the two backends run the same schedule and their gradients can be compared tensor by tensor.
 *
 * <p>The one fusion: an activation that is the only reader of a convolution or dense layer (which is not the
 * network's output) runs in that layer's epilogue, and its derivative is taken from the activation's output, so
 * the pre-activation is never stored. Before: {@code conv1 -> relu1 -> pool1}; after: {@code conv1+relu1 ->
 * pool1}, the fused layer's value and gradient living under {@code relu1}.
 */
public final class TrainingSchedule {
  private TrainingSchedule() {}

  /** Why {@code described} cannot be trained, or null when it can. */
  public static String unsupported(Graph described) {
    Shape out = described.outputShape();
    if (out.height() != 1 || out.width() != 1) {
      return "its output " + out + " is not a vector of class scores";
    }
    for (Node n : described.nodes()) {
      if (!(n.op() instanceof Input || n.op() instanceof Conv || n.op() instanceof Dense
          || n.op() instanceof Activation || n.op() instanceof Lrn || n.op() instanceof Pool
          || n.op() instanceof GlobalAvgPool || n.op() instanceof AdaptiveAvgPool || n.op() instanceof Softmax
          || n.op() instanceof Concat || n.op() instanceof Add || n.op() instanceof Dropout
          || n.op() instanceof BatchNorm)) {
        return "no training kernel for " + n.op().label() + " (" + n.name() + ")";
      }
      if (n.op() instanceof Conv c && (c.norm() != null || c.residual() || !c.activation().isIdentity())) {
        return "convolution " + n.name() + " carries fused work";
      }
      if (n.op() instanceof Dense d && (d.norm() != null || d.softmax() || !d.activation().isIdentity())) {
        return "dense layer " + n.name() + " carries fused work";
      }
    }
    return null;
  }

  /**
   * The fused activations: activation node name to the convolution or dense node it absorbs, in graph order
   * (see the class comment).
   */
  public static Map<String, Node> fusedActivations(Graph described) {
    Map<String, Node> absorbed = new LinkedHashMap<>();
    for (Node n : described.nodes()) {
      if (!(n.op() instanceof Activation) || n.inputs().size() != 1) continue;
      Node producer = described.node(n.inputs().get(0));
      boolean linear = producer.op() instanceof Conv || producer.op() instanceof Dense;
      if (linear && described.consumers(producer.name()).size() == 1 && !producer.name().equals(described.output())) {
        absorbed.put(n.name(), producer);
      }
    }
    return Collections.unmodifiableMap(absorbed);
  }
}
