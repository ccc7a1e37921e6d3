package dev.netc.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.netc.graph.ShapeInference;
import dev.netc.graph.Softmax;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reference trainer's gradients against central finite differences of its own loss, in double precision,
 * on small random networks that together use every operation it differentiates (each in its less common
 * forms: grouped strided padded convolution, both LRN conventions, overlapping max pooling, padded ceil-mode
 * average pooling without the padding in the divisor, batch norm in training and eval mode, dropout, every
 * activation, concatenation, residual addition, both ways of ending in a softmax and ending in logits).
 */
class ReferenceTrainerTest {
  private static final double H = 1e-6;
  /** |analytic - numeric| relative to max(|analytic|, 1e-3): central differences in double are far better. */
  private static final double TOLERANCE = 2e-5;

  private static Activation act(Activation.Kind k, double alpha) {
    return new Activation(k, (float) alpha);
  }

  static Graph chainNet() {
    return Graphs.chain(new Shape(4, 9, 9),
        new Conv(6, 3, 3, 2, 2, 1, 1, 2, true, Activation.NONE),
        act(Activation.Kind.TANH, 0),
        new Lrn(3, 0.1, 0.75, 2, false),
        new Pool(Pool.Kind.MAX, 3, 3, 2, 2, 0, 0, false, true),
        new Conv(4, 1, 1, 1, 1, 0, 0, 1, false, act(Activation.Kind.ELU, 1.0)),
        new BatchNorm(1e-5),
        new Pool(Pool.Kind.AVG, 2, 2, 1, 1, 1, 1, true, false),
        new Dropout(0.3),
        new Dense(5, true, act(Activation.Kind.LEAKY_RELU, 0.1), false),
        new Dense(3, true, Activation.NONE, false),
        new Softmax());
  }

  static Graph dagNet() {
    List<Node> nodes = List.of(
        Node.of("input", new Input(new Shape(3, 6, 6)), List.of(), ""),
        Node.of("a", new Conv(4, 3, 3, 1, 1, 1, 1, 1, true, act(Activation.Kind.RELU, 0)), List.of("input"), "a"),
        Node.of("b", new Conv(4, 1, 1, 1, 1, 0, 0, 1, true, act(Activation.Kind.SELU, 0)), List.of("input"), "b"),
        Node.of("sum", new Add(), List.of("a", "b"), ""),
        Node.of("squash", act(Activation.Kind.SIGMOID, 0), List.of("sum"), ""),
        Node.of("c", new Conv(2, 3, 3, 1, 1, 1, 1, 1, true, Activation.NONE), List.of("squash"), "c"),
        Node.of("cat", new Concat(), List.of("squash", "c"), ""),
        Node.of("norm", new Lrn(5, 0.2, 0.5, 1, true), List.of("cat"), ""),
        Node.of("gap", new GlobalAvgPool(), List.of("norm"), ""),
        Node.of("fc", new Dense(4, true, act(Activation.Kind.TANH, 0), true), List.of("gap"), "fc"));
    ShapeInference.Result r = ShapeInference.infer("Dag", nodes, "fc");
    assertTrue(r.ok(), () -> r.problems().toString());
    return r.graph();
  }

  static Graph logitsNet() {
    return Graphs.chain(new Shape(2, 5, 5),
        new Conv(3, 2, 2, 1, 1, 0, 0, 1, true, act(Activation.Kind.RELU, 0)),
        new BatchNorm(1e-3),
        new AdaptiveAvgPool(2, 3),
        new Dense(3, false, Activation.NONE, false));
  }

  @Test
  void chainOfEveryLayerKind() {
    check(chainNet(), 3, true);
  }

  @Test
  void branchesConcatenationResidualAndAFusedSoftmax() {
    check(dagNet(), 2, true);
  }

  @Test
  void endingInLogitsAndBatchNormInBothModes() {
    check(logitsNet(), 3, true);
    check(logitsNet(), 3, false);
  }

  /** Every learned tensor: the analytic gradient of a few random elements against central differences. */
  private static void check(Graph graph, int batch, boolean training) {
    ReferenceTrainer t = new ReferenceTrainer(graph, TestWeights.random(graph, 11, 0.5));
    float[] images = TestWeights.randomInput(batch * graph.inputShape().size(), 5);
    int classes = graph.outputShape().size();
    int[] labels = new int[batch];
    for (int n = 0; n < batch; n++) labels[n] = (n * 2 + 1) % classes;
    long seed = 99;
    ReferenceTrainer.Step step = t.step(images, labels, batch, training, seed);
    assertTrue(step.loss() > 0 && Double.isFinite(step.loss()), "loss " + step.loss());
    SplittableRandom r = new SplittableRandom(3);
    int checked = 0;
    for (Map.Entry<String, double[]> e : t.parameters().entrySet()) {
      double[] w = e.getValue();
      double[] g = step.gradients().get(e.getKey());
      assertEquals(w.length, g.length, e.getKey());
      double norm = 0;
      for (double v : g) norm += Math.abs(v);
      assertTrue(norm > 0, e.getKey() + ": all-zero gradient proves nothing");
      for (int k = 0; k < Math.min(6, w.length); k++) {
        int i = r.nextInt(w.length);
        double keep = w[i];
        w[i] = keep + H;
        double plus = t.step(images, labels, batch, training, seed).loss();
        w[i] = keep - H;
        double minus = t.step(images, labels, batch, training, seed).loss();
        w[i] = keep;
        double numeric = (plus - minus) / (2 * H);
        double err = Math.abs(numeric - g[i]) / Math.max(Math.abs(g[i]), 1e-3);
        assertTrue(err < TOLERANCE, graph.name() + " " + e.getKey() + "[" + i + "]: analytic " + g[i] + ", numeric "
            + numeric + " (training " + training + ")");
        checked++;
      }
    }
    assertTrue(checked >= 10, "checked " + checked);
  }

  @Test
  void batchNormTrainingUpdatesTheRunningStatisticsAsPyTorchDoes() {
    Graph g = logitsNet();
    ReferenceTrainer t = new ReferenceTrainer(g, TestWeights.random(g, 1, 0.5));
    double[] mean = t.buffers().get("l2.running_mean").clone();
    double[] var = t.buffers().get("l2.running_var").clone();
    t.step(TestWeights.randomInput(2 * 50, 2), new int[] {0, 1}, 2, true, 1);
    for (int c = 0; c < 3; c++) {
      assertTrue(t.buffers().get("l2.running_mean")[c] != mean[c], "mean moves");
      assertTrue(t.buffers().get("l2.running_var")[c] != var[c], "variance moves");
    }
    double[] frozen = t.buffers().get("l2.running_mean").clone();
    t.step(TestWeights.randomInput(2 * 50, 2), new int[] {0, 1}, 2, false, 1);
    assertEquals(frozen[0], t.buffers().get("l2.running_mean")[0], "eval mode updates nothing");
  }
}
