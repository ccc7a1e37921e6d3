package dev.netc.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Graph;
import dev.netc.graph.Lrn;
import dev.netc.graph.LrnPool;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused forms of an operation give the same numbers as the separate nodes they replace, on random
 * inputs and weights. Both run in double, so they agree to rounding of the final cast to float.
 */
class FusedEquivalenceTest {

  private static void assertSame(Graph unfused, Graph fused, int batch, long seed) {
    TestWeights w = TestWeights.random(unfused, seed, 0.5);
    float[] in = TestWeights.randomInput(batch * unfused.inputShape().size(), seed + 1);
    float[] a = new ReferenceInterpreter(unfused, w).run(in, batch);
    float[] b = new ReferenceInterpreter(fused, w).run(in, batch);
    boolean nonZero = false;
    for (float v : a) nonZero |= v != 0;
    assertTrue(nonZero, "the unfused output is all zero, so the comparison proves nothing");
    assertArrayEquals(a, b, 0f);
  }

  @ParameterizedTest
  @EnumSource(Activation.Kind.class)
  void convThenActivationEqualsConvWithEpilogue(Activation.Kind kind) {
    Activation act = new Activation(kind, kind == Activation.Kind.ELU ? 1.0f : 0.1f);
    Conv conv = new Conv(6, 3, 3, 2, 1, 1, 0, 2, true, Activation.NONE);
    Shape in = new Shape(4, 9, 8);
    assertSame(Graphs.chain(in, conv, act), Graphs.chain(in, conv.withActivation(act)), 2, 11);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void lrnThenPoolEqualsLrnPool(boolean perSize) {
    Lrn lrn = new Lrn(5, perSize ? 5e-4 : 1e-4, 0.75, 2, perSize);
    Pool max = new Pool(Pool.Kind.MAX, 3, 3, 2, 2, 0, 0, false, true);
    Pool avgCeil = new Pool(Pool.Kind.AVG, 3, 3, 2, 2, 1, 1, true, false);
    Shape in = new Shape(7, 10, 9);
    assertSame(Graphs.chain(in, lrn, max), Graphs.chain(in, new LrnPool(lrn, max)), 2, 21);
    assertSame(Graphs.chain(in, lrn, avgCeil), Graphs.chain(in, new LrnPool(lrn, avgCeil)), 2, 22);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void denseThenSoftmaxEqualsDenseWithSoftmax(boolean relu) {
    Activation act = relu ? Activation.of(Activation.Kind.RELU) : Activation.NONE;
    Dense dense = new Dense(10, true, Activation.NONE, false);
    Shape in = new Shape(3, 4, 4);
    Graph unfused = relu ? Graphs.chain(in, dense, act, new Softmax()) : Graphs.chain(in, dense, new Softmax());
    assertSame(unfused, Graphs.chain(in, dense.withActivation(act).withSoftmax()), 3, 31);
  }
}
