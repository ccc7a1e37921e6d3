package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Graph;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.reference.ReferenceTrainer;
import dev.netc.runtime.train.Sgd;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training against PyTorch: two steps of the paper's SGD (momentum 0.9, weight decay 0.0005) on LeNet5 with
 * the synthetic weights, from the reference trainer, against {@code torch.optim.SGD} in float64
 * (tools/fixtures/make_training_fixtures.py). Every parameter's total change must agree.
 */
class TrainingParityTest {
  @Test
  void twoSgdStepsOfLeNet5MatchPyTorch() throws Exception {
    Graph graph = Netc.graph(LeNet5.class);
    ReferenceTrainer trainer = new ReferenceTrainer(graph, new SyntheticWeights());
    Map<String, double[]> before = new HashMap<>();
    trainer.parameters().forEach((k, v) -> before.put(k, v.clone()));
    Path fixture = Path.of(TrainingParityTest.class.getResource("/fixtures/training/LeNet5-sgd.safetensors").toURI());
    try (SafeTensors f = SafeTensors.open(fixture)) {
      float[] input = floats(f.view("input"));
      float[] labelValues = floats(f.view("labels"));
      float[] losses = floats(f.view("losses"));
      int[] labels = new int[labelValues.length];
      for (int i = 0; i < labels.length; i++) labels[i] = (int) labelValues[i];
      Sgd sgd = new Sgd(0.01, 0.9, 0.0005);
      for (int step = 0; step < 2; step++) {
        ReferenceTrainer.Step s = trainer.step(input, labels, labels.length, true, 0);
        assertEquals(losses[step], s.loss(), 1e-6 * losses[step], "loss of step " + (step + 1));
        sgd.step(trainer.parameters(), s.gradients());
      }
      for (Map.Entry<String, double[]> e : trainer.parameters().entrySet()) {
        float[] expected = floats(f.view("delta." + e.getKey()));
        double[] w = e.getValue();
        double[] w0 = before.get(e.getKey());
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < w.length; i++) {
          scale = Math.max(scale, Math.abs(expected[i]));
          worst = Math.max(worst, Math.abs((w[i] - w0[i]) - expected[i]));
        }
        assertTrue(scale > 0, e.getKey() + " did not change in PyTorch either: the test proves nothing");
        assertTrue(worst <= 1e-5 * scale, e.getKey() + ": max |netc - torch| change " + worst + " against max change "
            + scale);
      }
    }
  }

  private static float[] floats(FloatBuffer b) {
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }
}
