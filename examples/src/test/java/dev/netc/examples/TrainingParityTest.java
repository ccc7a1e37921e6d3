package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Graph;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.reference.ReferenceTrainer;
import dev.netc.runtime.train.JavaTrainer;
import dev.netc.runtime.train.Sgd;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training against PyTorch: two steps of the paper's SGD (momentum 0.9, weight decay 0.0005) from the synthetic
 * weights, against {@code torch.optim.SGD} in float64 (tools/fixtures/make_training_fixtures.py; FashionAlexNet's
 * dropout masks are netc's, replicated there). Every parameter's total change must agree: to 1e-5 for the
 * double-precision reference trainer, to float32 accuracy for the generated trainers.
 */
class TrainingParityTest {
  private static final long[] STEP_SEEDS = {11, 12};

  @Test
  void referenceTrainerMatchesPyTorch() throws Exception {
    Graph graph = Netc.graph(LeNet5.class);
    ReferenceTrainer trainer = new ReferenceTrainer(graph, new SyntheticWeights());
    Map<String, double[]> before = new HashMap<>();
    trainer.parameters().forEach((k, v) -> before.put(k, v.clone()));
    try (SafeTensors f = fixture("LeNet5")) {
      Batch b = Batch.of(f);
      Sgd sgd = new Sgd(0.01, 0.9, 0.0005);
      for (int step = 0; step < 2; step++) {
        ReferenceTrainer.Step s = trainer.step(b.input, b.labels, b.labels.length, true, STEP_SEEDS[step]);
        assertEquals(b.losses[step], s.loss(), 1e-6 * b.losses[step], "loss of step " + (step + 1));
        sgd.step(trainer.parameters(), s.gradients());
      }
      Map<String, double[]> changes = new HashMap<>();
      trainer.parameters().forEach((k, w) -> {
        double[] d = new double[w.length];
        for (int i = 0; i < w.length; i++) d[i] = w[i] - before.get(k)[i];
        changes.put(k, d);
      });
      assertChanges(f, changes, 1e-5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"LeNet5", "FashionAlexNet"})
  void generatedTrainerMatchesPyTorch(String network) throws Exception {
    try (SafeTensors f = fixture(network);
        JavaTrainer trainer = Netc.trainer(Class.forName("dev.netc.examples." + network), new SyntheticWeights(), 2)) {
      Map<String, float[]> before = new HashMap<>();
      trainer.parameters().forEach((k, v) -> before.put(k, v.clone()));
      Batch b = Batch.of(f);
      Sgd sgd = new Sgd(0.01, 0.9, 0.0005);
      for (int step = 0; step < 2; step++) {
        JavaTrainer.Step s = trainer.step(b.input, b.labels, b.labels.length, STEP_SEEDS[step]);
        assertEquals(b.losses[step], s.loss(), 1e-5 * b.losses[step], "loss of step " + (step + 1));
        sgd.step(trainer);
      }
      // float32 weights: a change is the difference of two float32 numbers near the weight
      Map<String, double[]> changes = new HashMap<>();
      trainer.parameters().forEach((k, w) -> {
        double[] d = new double[w.length];
        for (int i = 0; i < w.length; i++) d[i] = (double) w[i] - before.get(k)[i];
        changes.put(k, d);
      });
      assertChanges(f, changes, 2e-3);
    }
  }

  private record Batch(float[] input, int[] labels, float[] losses) {
    static Batch of(SafeTensors f) {
      float[] labelValues = floats(f.view("labels"));
      int[] labels = new int[labelValues.length];
      for (int i = 0; i < labels.length; i++) labels[i] = (int) labelValues[i];
      return new Batch(floats(f.view("input")), labels, floats(f.view("losses")));
    }
  }

  /**
   * Every parameter's change against the fixture's ("delta.NAME", or "delta.NAME.everyK" holding every K-th
   * value), within {@code bound} of the largest change.
   */
  private static void assertChanges(SafeTensors f, Map<String, double[]> changes, double bound) {
    for (Map.Entry<String, double[]> e : changes.entrySet()) {
      String full = "delta." + e.getKey();
      String key = full;
      int stride = 1;
      if (!f.names().contains(full)) {
        String sampled = f.names().stream().filter(n -> n.startsWith(full + ".every")).findFirst()
            .orElseThrow(() -> new AssertionError("fixture has no change of " + e.getKey()));
        stride = Integer.parseInt(sampled.substring((full + ".every").length()));
        key = sampled;
      }
      float[] expected = floats(f.view(key));
      double[] change = e.getValue();
      double scale = 0;
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        int at = i * stride;
        scale = Math.max(scale, Math.abs(expected[i]));
        worst = Math.max(worst, Math.abs(change[at] - expected[i]));
      }
      assertTrue(scale > 0, e.getKey() + " did not change in PyTorch either: the test proves nothing");
      assertTrue(worst <= bound * scale, e.getKey() + ": max |netc - torch| change " + worst + " against max change "
          + scale);
    }
  }

  private static SafeTensors fixture(String network) throws Exception {
    return SafeTensors.open(Path.of(TrainingParityTest.class.getResource("/fixtures/training/" + network
        + "-sgd.safetensors").toURI()));
  }

  private static float[] floats(FloatBuffer b) {
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }
}
