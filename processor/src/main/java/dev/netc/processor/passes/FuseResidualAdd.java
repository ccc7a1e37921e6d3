package dev.netc.processor.passes;

import dev.netc.graph.Add;
import dev.netc.graph.Conv;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds a residual connection in the epilogue of the convolution that produces one of its two operands: the
 * convolution reads the other operand as a second input and writes {@code activation(acc + bias + residual)}, so
 * neither the convolution's output nor the sum is stored separately and no add kernel runs. The activation after
 * the add (ResNet's ReLU) then fuses too, as fuse-activation runs after this pass.
 *
 * <p>A convolution qualifies when the add is its only reader, it is not the network's output, and its epilogue
 * holds at most a folded batch norm (an activation or residual of its own would have to come first). When both
 * operands qualify (a projection shortcut), the one computed later is chosen: the fused node takes the add's place
 * in the order, which is right after it. Adds of three or more inputs stay as they are.
 *
 * <pre>
 * before: layer1.0/bn3 = conv 256@1x1 nobias +bn(bn3) (layer1.0/relu2) ; layer1.0/add = add (layer1.0/bn3, stem)
 * after:  layer1.0/add = conv 256@1x1 nobias +bn(bn3) +residual (layer1.0/relu2, stem)   [fused ... + layer1.0/add]
 * </pre>
 */
public final class FuseResidualAdd implements Pass {
  @Override
  public String name() {
    return "fuse-residual-add";
  }

  @Override
  public Graph apply(Graph graph) {
    List<Node> nodes = new ArrayList<>(graph.nodes());
    boolean changed = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node add = nodes.get(i);
      if (!(add.op() instanceof Add) || add.inputs().size() != 2) continue;
      int best = -1;
      for (int k = 0; k < 2; k++) {
        int at = indexOf(nodes, add.inputs().get(k));
        if (qualifies(graph, nodes, nodes.get(at), add) && at > best) best = at;
      }
      if (best < 0) continue;
      Node conv = nodes.get(best);
      String other = add.inputs().get(add.inputs().get(0).equals(conv.name()) ? 1 : 0);
      List<String> inputs = new ArrayList<>(conv.inputs());
      inputs.add(other);
      Node fused = new Node(add.name(), ((Conv) conv.op()).withResidual(), inputs, conv.weightPrefix(), add.shape(),
          conv.fusedFrom()).fuse(add.name(), ((Conv) conv.op()).withResidual(), add.shape(), add.fusedFrom());
      nodes.set(i, fused);
      nodes.remove(best);
      i--;
      changed = true;
    }
    return changed ? graph.with(nodes, graph.output()) : graph;
  }

  private static boolean qualifies(Graph g, List<Node> nodes, Node producer, Node add) {
    if (!(producer.op() instanceof Conv c) || c.residual() || !c.activation().isIdentity()) return false;
    if (producer.name().equals(g.output())) return false;
    int readers = 0;
    for (Node n : nodes) for (String in : n.inputs()) if (in.equals(producer.name())) readers++;
    return readers == 1; // the add, once: add(x, x) reads x twice
  }

  private static int indexOf(List<Node> nodes, String name) {
    for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).name().equals(name)) return i;
    throw new IllegalStateException("no node " + name);
  }
}
