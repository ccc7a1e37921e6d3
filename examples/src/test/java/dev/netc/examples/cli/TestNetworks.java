package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.ShapeInference;
import dev.netc.graph.Softmax;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.reference.ReferenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hand-built graphs, so the tool can be tested without generated models: a tiny classifier, described and
 * fused as the processor would, and a catalog serving it on the reference interpreter.
 */
final class TestNetworks {
  private TestNetworks() {}

  static final Conv CONV = new Conv(4, 3, 3, 1, 1, 1, 1, 1, true, Activation.NONE);
  static final Pool POOL = new Pool(Pool.Kind.MAX, 2, 2, 2, 2, 0, 0, false, false);
  static final Dense DENSE = new Dense(10, true, Activation.NONE, false);

  /** input 1x8x8 -> conv 4@3x3 p1 -> relu -> maxpool 2x2 -> dense 10 -> softmax. */
  static Graph tiny() {
    List<Node> nodes = new ArrayList<>();
    nodes.add(Node.of("input", new Input(new Shape(1, 8, 8)), List.of(), ""));
    nodes.add(Node.of("conv1", CONV, List.of("input"), "conv1"));
    nodes.add(Node.of("relu1", Activation.of(Activation.Kind.RELU), List.of("conv1"), ""));
    nodes.add(Node.of("pool1", POOL, List.of("relu1"), ""));
    nodes.add(Node.of("fc", DENSE, List.of("pool1"), "fc"));
    nodes.add(Node.of("prob", new Softmax(), List.of("fc"), ""));
    ShapeInference.Result r = ShapeInference.infer("Tiny", nodes, "prob");
    assertTrue(r.ok(), () -> r.problems().toString());
    return r.graph();
  }

  /** {@link #tiny} as it runs: conv+relu, pool, dense+softmax. */
  static Graph tinyFused() {
    Graph g = tiny();
    List<Node> nodes = new ArrayList<>();
    nodes.add(g.node("input"));
    Node conv = g.node("conv1");
    nodes.add(conv.fuse("relu1", CONV.withActivation(Activation.of(Activation.Kind.RELU)), conv.shape(),
        List.of("relu1")));
    nodes.add(g.node("pool1").withInputs(List.of("relu1")));
    Node fc = g.node("fc");
    nodes.add(fc.fuse("prob", DENSE.withSoftmax(), fc.shape(), List.of("prob")));
    return new Graph("Tiny", nodes, "prob");
  }

  /** input 2x4x4 -> conv 3@3x3 p1: an output that is not a vector. */
  static Graph spatial() {
    List<Node> nodes = new ArrayList<>();
    nodes.add(Node.of("input", new Input(new Shape(2, 4, 4)), List.of(), ""));
    nodes.add(Node.of("conv", new Conv(3, 3, 3, 1, 1, 1, 1, 1, true, Activation.NONE), List.of("input"), "conv"));
    ShapeInference.Result r = ShapeInference.infer("Spatial", nodes, "conv");
    assertTrue(r.ok(), () -> r.problems().toString());
    return r.graph();
  }

  /** Serves {@link #tiny} and {@link #spatial}; both backends run on the reference interpreter. */
  static final class FakeCatalog implements Catalog {
    final List<Graph> graphs = List.of(tiny(), spatial());
    final List<Backend> loaded = new ArrayList<>();
    final List<String> threadsAtLoad = new ArrayList<>();

    @Override
    public List<String> names() {
      List<String> n = new ArrayList<>();
      for (Graph g : graphs) n.add(g.name());
      return n;
    }

    @Override
    public String resolve(String name) {
      for (Graph g : graphs) {
        if (g.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return g.name();
      }
      throw Catalog.unknown(name, names());
    }

    @Override
    public Graph graph(String name) {
      for (Graph g : graphs) if (g.name().equals(resolve(name))) return g;
      throw new AssertionError(name);
    }

    @Override
    public Graph fusedGraph(String name) {
      return resolve(name).equals("Tiny") ? tinyFused() : graph(name);
    }

    @Override
    public Model load(String name, Backend backend, Weights weights) {
      loaded.add(backend);
      threadsAtLoad.add(System.getProperty("netc.threads"));
      return new ReferenceModel(graph(name), weights);
    }
  }
}
