package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.netc.processor.passes.TestGraphs.graph;
import static dev.netc.processor.passes.TestGraphs.node;

import dev.netc.graph.Activation;
import dev.netc.graph.Add;
import dev.netc.graph.Concat;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Lrn;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BufferPlannerTest {

  /**
   * Checks a plan against the graph's liveness: a tensor lives from the step that writes it to the last step
   * that reads it (the output to the end), and its buffer (its own, or the concatenation's it is a view of) must
   * stay intact meanwhile. Any two tensors alive at one step, which includes a step's output and its inputs, must
   * occupy disjoint ranges of the arena: different buffers disjoint regions, views of one buffer disjoint slices
   * (a concatenation and its own views excepted: it writes only the slices of the inputs it copies). A view is a
   * concatenation's input, at that input's channel offset.
   */
  static void checkPlan(Graph g, BufferPlan plan) {
    List<Node> nodes = g.nodes();
    Map<String, Integer> index = new HashMap<>();
    int[] end = new int[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i).name(), i);
      end[i] = i;
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (String in : nodes.get(i).inputs()) end[index.get(in)] = Math.max(end[index.get(in)], i);
    }
    end[index.get(g.output())] = Integer.MAX_VALUE;
    long unshared = 0;
    for (int i = 0; i < nodes.size(); i++) {
      Node a = nodes.get(i);
      unshared += a.shape().size();
      BufferPlan.Placement pa = plan.placement(a.name());
      int rootSize = g.node(pa.root()).shape().size();
      assertThat(pa.imageStride()).isEqualTo(rootSize);
      assertThat(pa.offset()).isAtLeast(0);
      assertWithMessage("%s ends inside the arena", a.name()).that(pa.offset() + rootSize).isAtMost(plan.arenaSize());
      assertWithMessage("%s's slice ends inside its buffer", a.name()).that(pa.extra() + a.shape().size())
          .isAtMost(rootSize);
      if (pa.isView()) {
        Node concat = g.node(pa.parent());
        assertThat(concat.op()).isInstanceOf(Concat.class);
        int at = 0;
        for (String in : concat.inputs()) {
          if (in.equals(a.name())) break;
          at += g.node(in).shape().channels();
        }
        assertThat(pa.extra()).isEqualTo(plan.placement(concat.name()).extra() + at * a.shape().plane());
        assertThat(a.name()).isNotEqualTo(g.output());
        assertThat(a.op()).isNotInstanceOf(Input.class);
      } else {
        assertThat(pa.root()).isEqualTo(a.name());
        assertThat(pa.extra()).isEqualTo(0);
      }
      for (int j = i + 1; j < nodes.size(); j++) {
        Node b = nodes.get(j);
        boolean together = i <= end[j] && j <= end[i];
        if (together) assertApart(g, plan, a, b, String.format(" (steps %s..%s and %s..%s)", i, end[i], j, end[j]));
      }
      for (String in : a.inputs()) assertApart(g, plan, a, g.node(in), " (" + a.name() + " reads " + in + ")");
    }
    assertThat(plan.offsets().keySet()).containsExactlyElementsIn(TestGraphs.names(g)).inOrder();
    assertThat((long) plan.unplannedSize()).isEqualTo(unshared);
  }

  /** Two tensors alive together occupy disjoint memory. */
  private static void assertApart(Graph g, BufferPlan plan, Node a, Node b, String when) {
    BufferPlan.Placement pa = plan.placement(a.name());
    BufferPlan.Placement pb = plan.placement(b.name());
    if (pa.root().equals(pb.root())) {
      if (contains(plan, a.name(), b.name()) || contains(plan, b.name(), a.name())) return;
      boolean overlap = pa.extra() < pb.extra() + b.shape().size() && pb.extra() < pa.extra() + a.shape().size();
      assertWithMessage("%s and %s are overlapping slices of %s%s\n%s", a.name(), b.name(), pa.root(), when, g.dump())
          .that(overlap).isFalse();
      return;
    }
    int sa = g.node(pa.root()).shape().size();
    int sb = g.node(pb.root()).shape().size();
    boolean overlap = pa.offset() < pb.offset() + sb && pb.offset() < pa.offset() + sa;
    assertWithMessage("%s [%s, +%s) and %s [%s, +%s) are alive together%s\n%s", a.name(), pa.offset(), sa, b.name(),
        pb.offset(), sb, when, g.dump()).that(overlap).isFalse();
  }

  /** Whether {@code inner} is a view of {@code outer}, directly or through nested concatenations. */
  private static boolean contains(BufferPlan plan, String outer, String inner) {
    for (String p = plan.placement(inner).parent(); p != null; p = plan.placement(p).parent()) {
      if (p.equals(outer)) return true;
    }
    return false;
  }

  private static Conv conv(int filters, int k, int stride, int pad, int groups) {
    return new Conv(filters, k, k, stride, stride, pad, pad, groups, true, Activation.NONE);
  }

  private static Activation relu() {
    return Activation.of(Activation.Kind.RELU);
  }

  /** AlexNet's layers at a quarter of the width and a smaller input. */
  static Graph alexNetLike() {
    Lrn lrn = new Lrn(5, 1e-4, 0.75, 2, false);
    return graph(new Shape(3, 67, 67), "fc8/softmax",
        node("conv1", conv(24, 11, 4, 0, 1), "input"),
        node("conv1/relu", relu(), "conv1"),
        node("conv1/lrn", lrn, "conv1/relu"),
        node("pool1", new Pool(Pool.Kind.MAX, 3, 3, 2, 2, 0, 0, false, false), "conv1/lrn"),
        node("conv2", conv(64, 5, 1, 2, 2), "pool1"),
        node("conv2/relu", relu(), "conv2"),
        node("conv2/lrn", lrn, "conv2/relu"),
        node("pool2", new Pool(Pool.Kind.MAX, 3, 3, 2, 2, 0, 0, false, false), "conv2/lrn"),
        node("conv3", conv(96, 3, 1, 1, 1), "pool2"),
        node("conv3/relu", relu(), "conv3"),
        node("conv4", conv(96, 3, 1, 1, 2), "conv3/relu"),
        node("conv4/relu", relu(), "conv4"),
        node("conv5", conv(64, 3, 1, 1, 2), "conv4/relu"),
        node("conv5/relu", relu(), "conv5"),
        node("fc6", new Dense(128, true, Activation.NONE, false), "conv5/relu"),
        node("fc6/relu", relu(), "fc6"),
        node("fc6/drop", new Dropout(0.5), "fc6/relu"),
        node("fc7", new Dense(128, true, Activation.NONE, false), "fc6/drop"),
        node("fc7/relu", relu(), "fc7"),
        node("fc8", new Dense(10, true, Activation.NONE, false), "fc7/relu"),
        node("fc8/softmax", new Softmax(), "fc8"));
  }

  @Test
  void alexNetLikeChainSharesMemoryWithoutOverlaps() {
    Graph described = alexNetLike();
    BufferPlan unfused = BufferPlanner.plan(described);
    checkPlan(described, unfused);
    assertThat(unfused.arenaSize()).isLessThan(unfused.unplannedSize());

    Graph fused = Passes.run(described, null);
    BufferPlan plan = BufferPlanner.plan(fused);
    checkPlan(fused, plan);
    assertThat(plan.arenaSize()).isLessThan(plan.unplannedSize());
    // A chain needs at most its two largest neighbouring tensors at once: the classic ping-pong.
    int pair = 0;
    for (Node n : fused.nodes()) {
      for (String in : n.inputs()) pair = Math.max(pair, n.shape().size() + fused.node(in).shape().size());
    }
    assertThat(plan.arenaSize()).isAtLeast(pair);
    assertThat(plan.arenaSize()).isAtMost(2 * pair);
  }

  @Test
  void branchesStayAliveUntilTheirLastReader() {
    Graph g = graph(new Shape(4, 8, 8), "out",
        node("stem", conv(8, 3, 1, 1, 1), "input"),
        node("a", conv(4, 1, 1, 0, 1), "stem"),
        node("b1", conv(16, 3, 1, 1, 1), "stem"),
        node("b2", conv(4, 1, 1, 0, 1), "b1"),
        node("c", new Pool(Pool.Kind.MAX, 3, 3, 1, 1, 1, 1, false, false), "stem"),
        node("cat", new Concat(), "a", "b2"),
        node("sum", new Add(), "cat", "cat"),
        node("out", new Add(), "sum", "c", "stem"));
    checkPlan(g, BufferPlanner.plan(g));
  }

  @Test
  void randomGraphsNeverOverlapLiveTensors() {
    Random random = new Random(42);
    for (int trial = 0; trial < 300; trial++) {
      Graph g = randomGraph(random);
      checkPlan(g, BufferPlanner.plan(g));
    }
  }

  /**
   * A random DAG of 1x1 convolutions (random widths), activations, adds and concats over a fixed plane, built
   * directly (not every node need be read: the planner must cope with dead ends too).
   */
  private static Graph randomGraph(Random random) {
    List<Node> nodes = new ArrayList<>();
    int plane = 1 + random.nextInt(4);
    Shape input = new Shape(1 + random.nextInt(6), plane, plane);
    nodes.add(new Node("input", new Input(input), List.of(), "", input, List.of("input")));
    int count = 2 + random.nextInt(18);
    for (int i = 1; i <= count; i++) {
      String name = "n" + i;
      Node a = nodes.get(random.nextInt(nodes.size()));
      Node recent = nodes.get(nodes.size() - 1 - random.nextInt(Math.min(3, nodes.size())));
      Node node;
      switch (random.nextInt(4)) {
        case 0: {
          int filters = 1 + random.nextInt(40);
          node = new Node(name, conv(filters, 1, 1, 0, 1), List.of(recent.name()), name,
              new Shape(filters, plane, plane), List.of(name));
          break;
        }
        case 1:
          node = new Node(name, relu(), List.of(recent.name()), "", recent.shape(), List.of(name));
          break;
        case 2: {
          Node same = null;
          for (Node n : nodes) if (n != recent && n.shape().equals(recent.shape())) same = n;
          node = same == null
              ? new Node(name, relu(), List.of(a.name()), "", a.shape(), List.of(name))
              : new Node(name, new Add(), List.of(recent.name(), same.name()), "", recent.shape(), List.of(name));
          break;
        }
        default:
          node = new Node(name, new Concat(), List.of(a.name(), recent.name()), "",
              new Shape(a.shape().channels() + recent.shape().channels(), plane, plane), List.of(name));
      }
      nodes.add(node);
    }
    String output = nodes.get(nodes.size() - 1 - random.nextInt(2)).name();
    return new Graph("R", nodes, output);
  }
}
