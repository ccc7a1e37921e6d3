package dev.netc.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Activation;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.FoldedBatchNorm;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.WeightsException;
import dev.netc.runtime.java.Packing;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch norm folding against unfolded batch norm, on random weights with running statistics far from the identity:
 * the weights and bias {@link Packing#foldBatchNorm} computes, run as a plain layer, give what the layer followed by
 * a separate batch norm gives (to float32 rounding of the folded values); and the interpreter's fused node (a
 * {@link Conv} or {@link Dense} carrying a {@link FoldedBatchNorm}) computes exactly the unfolded pair.
 */
class BatchNormFoldTest {

  private static void close(float[] expected, float[] actual) {
    double scale = 0;
    for (float v : expected) scale = Math.max(scale, Math.abs(v));
    assertTrue(scale > 0, "all-zero output proves nothing");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
    assertTrue(worst <= 2e-6 * scale, "folded differs from unfolded by " + worst + " (max |output| " + scale + ")");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void foldedConvolutionEqualsConvolutionThenBatchNorm(boolean bias) {
    Conv conv = new Conv(6, 3, 3, 2, 1, 1, 0, 2, bias, Activation.NONE);
    Shape in = new Shape(4, 9, 8);
    double eps = 1e-3;
    Graph unfolded = Graphs.chain(in, conv, new BatchNorm(eps));
    TestWeights w = TestWeights.random(unfolded, 5, 1.0);
    float[] input = TestWeights.randomInput(2 * in.size(), 6);
    float[] expected = new ReferenceInterpreter(unfolded, w).run(input, 2);

    Packing.Folded f = Packing.foldBatchNorm(w, new WeightSpec("l1.weight", 6, 2, 3, 3),
        bias ? new WeightSpec("l1.bias", 6) : null, "l2", eps);
    Graph plain = Graphs.chain(in, new Conv(6, 3, 3, 2, 1, 1, 0, 2, true, Activation.NONE));
    TestWeights folded = new TestWeights().put("l1.weight", f.weight()).put("l1.bias", f.bias());
    close(expected, new ReferenceInterpreter(plain, folded).run(input, 2));

    Graph fused = single(in, conv.withNorm(new FoldedBatchNorm("l2", eps)), unfolded.node("l2").shape());
    assertArrayEquals(expected, new ReferenceInterpreter(fused, w).run(input, 2), 0f);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void foldedDenseEqualsDenseThenBatchNorm(boolean bias) {
    Dense dense = new Dense(7, bias, Activation.NONE, false);
    Shape in = new Shape(3, 2, 2);
    Graph unfolded = Graphs.chain(in, dense, new BatchNorm(1e-5));
    TestWeights w = TestWeights.random(unfolded, 7, 1.0);
    float[] input = TestWeights.randomInput(3 * in.size(), 8);
    float[] expected = new ReferenceInterpreter(unfolded, w).run(input, 3);

    Packing.Folded f = Packing.foldBatchNorm(w, new WeightSpec("l1.weight", 7, 12),
        bias ? new WeightSpec("l1.bias", 7) : null, "l2", 1e-5);
    Graph plain = Graphs.chain(in, new Dense(7, true, Activation.NONE, false));
    close(expected, new ReferenceInterpreter(plain, new TestWeights().put("l1.weight", f.weight())
        .put("l1.bias", f.bias())).run(input, 3));
  }

  @org.junit.jupiter.api.Test
  void aMissingBatchNormTensorIsReportedUnderItsOwnName() {
    TestWeights w = new TestWeights().put("c.weight", new float[8]).put("bn.weight", 1, 1).put("bn.bias", 0, 0)
        .put("bn.running_mean", 0, 0);
    WeightsException e = assertThrows(WeightsException.class,
        () -> Packing.foldBatchNorm(w, new WeightSpec("c.weight", 2, 1, 2, 2), null, "bn", 1e-5));
    assertTrue(e.getMessage().contains("bn.running_var"), e.getMessage());
  }

  /** {@code input -> l1} where l1 is an already fused node reading {@code l1.*} and {@code l2.*}. */
  private static Graph single(Shape in, Conv op, Shape out) {
    Node input = new Node("input", new Input(in), List.of(), "", in, List.of("input"));
    Node n = new Node("l2", op, List.of("input"), "l1", out, List.of("l1", "l2"));
    Graph g = new Graph("Fused", List.of(input, n), "l2");
    assertEquals(op.bias() ? 6 : 5, g.weightsOf(n).size()); // weight, bias?, gamma, beta, mean, var
    return g;
  }
}
