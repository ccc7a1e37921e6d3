package dev.netc.graph;

import java.util.List;
import java.util.Objects;

/**
 * One operation in a {@link Graph}.
 *
 * @param name unique within the graph; other nodes refer to it by this name
 * @param op what the node computes
 * @param inputs names of the nodes whose outputs this node reads, in order
 * @param weightPrefix prefix of the node's weight tensors ({@code prefix + ".weight"}); empty when the
 *     operation has no weights
 * @param shape the inferred output shape per image; {@code null} only before {@link ShapeInference} ran
 * @param fusedFrom names of the nodes of the described network this node computes (itself alone before
 *     fusion)
 */
public record Node(String name, Op op, List<String> inputs, String weightPrefix, Shape shape,
    List<String> fusedFrom) {

  public Node {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(op, "op");
    inputs = List.copyOf(inputs);
    fusedFrom = List.copyOf(fusedFrom);
    weightPrefix = weightPrefix == null ? "" : weightPrefix;
  }

  /** A node as the parser builds it: no shape yet, fused from nothing but itself. */
  public static Node of(String name, Op op, List<String> inputs, String weightPrefix) {
    return new Node(name, op, inputs, weightPrefix, null, List.of(name));
  }

  public Node withShape(Shape s) {
    return new Node(name, op, inputs, weightPrefix, s, fusedFrom);
  }

  public Node withOp(Op o) {
    return new Node(name, o, inputs, weightPrefix, shape, fusedFrom);
  }

  public Node withInputs(List<String> in) {
    return new Node(name, op, in, weightPrefix, shape, fusedFrom);
  }

  /** This node after absorbing {@code other}: its op, shape and name become those given. */
  public Node fuse(String newName, Op newOp, Shape newShape, List<String> absorbed) {
    List<String> all = new java.util.ArrayList<>(fusedFrom);
    all.addAll(absorbed);
    return new Node(newName, newOp, inputs, weightPrefix, newShape, all);
  }

  /** The single input; fails for nodes with several inputs. */
  public String input() {
    if (inputs.size() != 1) throw new IllegalStateException(name + " has " + inputs.size() + " inputs");
    return inputs.get(0);
  }
}
