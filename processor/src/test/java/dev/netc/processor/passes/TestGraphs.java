package dev.netc.processor.passes;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Op;
import dev.netc.graph.Shape;
import dev.netc.graph.ShapeInference;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.reference.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Hand-built graphs for pass tests, and the check that a rewrite computes what the original did. */
final class TestGraphs {
  private TestGraphs() {}

  /** A node as the parser makes it; weighted operations read {@code <name>.*}. */
  static Node node(String name, Op op, String... inputs) {
    return Node.of(name, op, List.of(inputs), op.hasWeights() ? name : "");
  }

  /** {@code input} of the given shape, then {@code nodes}; checked and shaped by {@link ShapeInference}. */
  static Graph graph(Shape input, String output, Node... nodes) {
    List<Node> all = new ArrayList<>();
    all.add(Node.of("input", new Input(input), List.of(), ""));
    all.addAll(Arrays.asList(nodes));
    ShapeInference.Result r = ShapeInference.infer("T", all, output);
    assertWithMessage("%s", r.problems()).that(r.ok()).isTrue();
    return r.graph();
  }

  static List<String> names(Graph g) {
    List<String> out = new ArrayList<>();
    for (Node n : g.nodes()) out.add(n.name());
    return out;
  }

  /** Runs both graphs with the reference interpreter on the same random inputs (batch 1 and 2). */
  static void sameResults(Graph original, Graph rewritten) {
    SyntheticWeights w = new SyntheticWeights();
    ReferenceInterpreter a = new ReferenceInterpreter(original, w);
    ReferenceInterpreter b = new ReferenceInterpreter(rewritten, w);
    Random random = new Random(original.nodes().size());
    for (int batch = 1; batch <= 2; batch++) {
      float[] in = new float[batch * original.inputShape().size()];
      for (int i = 0; i < in.length; i++) in[i] = random.nextFloat() * 2 - 1;
      float[] x = a.run(in, batch);
      float[] y = b.run(in, batch);
      assertWithMessage("output length").that(y.length).isEqualTo(x.length);
      double scale = 0;
      for (float v : x) scale = Math.max(scale, Math.abs(v));
      assertWithMessage("all-zero output proves nothing").that(scale).isGreaterThan(0.0);
      for (int i = 0; i < x.length; i++) {
        assertWithMessage("value %s of %s vs %s", i, original.dump(), rewritten.dump())
            .that((double) y[i]).isWithin(1e-6 * scale).of(x[i]);
      }
    }
  }
}
