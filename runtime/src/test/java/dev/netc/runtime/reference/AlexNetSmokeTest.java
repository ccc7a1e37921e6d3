package dev.netc.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.Graph;
import dev.netc.graph.Lrn;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The whole grouped AlexNet of the paper (227 x 227 input, 60,965,224 parameters) at batch 2 with random
 * weights: every layer runs, the output is a probability distribution per image, and the interpreter is fast
 * enough to serve as the oracle of whole-network tests (the limit is loose; it takes a few seconds).
 */
class AlexNetSmokeTest {

  private static Graph alexNet() {
    Activation relu = Activation.of(Activation.Kind.RELU);
    Lrn lrn = new Lrn(5, 1e-4, 0.75, 2, false);
    Pool pool = new Pool(Pool.Kind.MAX, 3, 3, 2, 2, 0, 0, false, true);
    return Graphs.chain(new Shape(3, 227, 227),
        new Conv(96, 11, 11, 4, 4, 0, 0, 1, true, relu), lrn, pool,
        new Conv(256, 5, 5, 1, 1, 2, 2, 2, true, relu), lrn, pool,
        new Conv(384, 3, 3, 1, 1, 1, 1, 1, true, relu),
        new Conv(384, 3, 3, 1, 1, 1, 1, 2, true, relu),
        new Conv(256, 3, 3, 1, 1, 1, 1, 2, true, relu), pool,
        new Dense(4096, true, relu, false), new Dropout(0.5),
        new Dense(4096, true, relu, false), new Dropout(0.5),
        new Dense(1000, true, Activation.NONE, true));
  }

  @Test
  void runsAlexNetAtBatchTwo() {
    Graph g = alexNet();
    assertEquals(60_965_224L, g.parameterCount());
    ReferenceInterpreter ref = new ReferenceInterpreter(g, TestWeights.random(g, 1, 0.02));
    float[] in = TestWeights.randomInput(2 * g.inputShape().size(), 2);
    float[] out = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ref.run(in, 2));
    assertEquals(2000, out.length);
    for (int n = 0; n < 2; n++) {
      double sum = 0;
      for (int u = 0; u < 1000; u++) {
        assertFalse(Float.isNaN(out[n * 1000 + u]));
        sum += out[n * 1000 + u];
      }
      assertEquals(1, sum, 1e-5);
    }
  }
}
