package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Graph;
import dev.netc.graph.Shape;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Netc;
import dev.netc.runtime.NetcException;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.opencl.OpenCl;
import dev.netc.runtime.opencl.OpenClTests;
import dev.netc.runtime.opencl.OpenClTrainer;
import dev.netc.runtime.train.Sgd;
import dev.netc.runtime.train.Trainer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenCL trainer against the generated Java trainer: the same synthetic weights, random images and labels
 * (never zeros) and dropout seeds, two steps of the paper's SGD on each; after each step the loss, every
 * parameter's gradient and the batch-norm running statistics must agree to float32 accuracy (2e-4 of the
 * tensor's largest magnitude, the bound GeneratedTrainerTest holds the Java trainer to against the reference).
 * The networks together run every training kernel: TrainingCoverage (every layer kind and activation, LRN in both
 * conventions, grouped and strided convolutions, overlapping and padded pooling, batch norm, concat, residual add,
 * dropout), TrainingExtras (ceil-mode and padding-excluding pooling, overlapping adaptive pooling, every
 * activation as a layer of its own), the small ResNet (batch norm, projections, global average pooling, logits out), the small Inception
 * (concatenated branches, ceil-mode pooling), LeNet5 and FashionAlexNet (the networks people train).
 */
class OpenClTrainerTest {
  private static final double BOUND = 2e-4;

  @BeforeEach
  void needsOpenCl() {
    OpenClTests.assumeAvailable();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TrainingCoverage", "TrainingExtras", "SmallResNet", "SmallInception", "LeNet5", "FashionAlexNet"})
  void twoStepsMatchTheJavaTrainer(String network) throws Exception {
    Class<?> description = Class.forName("dev.netc.examples." + network);
    Graph graph = Netc.graph(description);
    int batch = 3;
    Random random = new Random(network.hashCode());
    float[] images = new float[batch * graph.inputShape().size()];
    for (int i = 0; i < images.length; i++) images[i] = (float) random.nextGaussian();
    int[] labels = new int[batch];
    for (int n = 0; n < batch; n++) labels[n] = random.nextInt(graph.outputShape().size());
    try (Trainer java = Netc.trainer(description, new SyntheticWeights(), 2);
        Trainer cl = OpenClTrainer.create(description, new SyntheticWeights(), OpenClTests.device())) {
      Sgd javaSgd = Sgd.paper();
      Sgd clSgd = Sgd.paper();
      long[] seeds = {42, 7};
      for (int step = 1; step <= 2; step++) {
        Trainer.Step expected = java.step(images, labels, batch, seeds[step - 1]);
        Trainer.Step actual = cl.step(images, labels, batch, seeds[step - 1]);
        String at = network + " step " + step + ": ";
        assertEquals(expected.loss(), actual.loss(), 1e-5 * Math.max(1, expected.loss()), at + "loss");
        assertEquals(expected.correct(), actual.correct(), at + "correct");
        for (Map.Entry<String, float[]> e : java.gradients().entrySet()) {
          assertClose(at + e.getKey() + " gradient", e.getValue(), cl.gradients().get(e.getKey()));
        }
        for (Map.Entry<String, float[]> e : java.buffers().entrySet()) {
          assertClose(at + e.getKey(), e.getValue(), cl.buffers().get(e.getKey()));
        }
        javaSgd.step(java);
        clSgd.step(cl);
      }
      // evaluation mode (dropout off, batch norm on the running statistics) agrees too
      assertClose(network + " predict", java.predict(images, batch), cl.predict(images, batch));
    }
  }

  /** The same step twice from the same state gives the same bits: no atomics, sums in a fixed order. */
  @Test
  void aStepIsDeterministic() {
    Graph graph = Netc.graph(TrainingCoverage.class);
    int batch = 4;
    Random random = new Random(5);
    float[] images = new float[batch * graph.inputShape().size()];
    for (int i = 0; i < images.length; i++) images[i] = (float) random.nextGaussian();
    int[] labels = {0, 1, 2, 3};
    try (Trainer a = OpenClTrainer.create(TrainingCoverage.class, new SyntheticWeights(), OpenClTests.device());
        Trainer b = OpenClTrainer.create(TrainingCoverage.class, new SyntheticWeights(), OpenClTests.device())) {
      Trainer.Step sa = a.step(images, labels, batch, 9);
      Trainer.Step sb = b.step(images, labels, batch, 9);
      assertEquals(sa.loss(), sb.loss());
      for (String name : a.gradients().keySet()) {
        assertArrayEquals(a.gradients().get(name), b.gradients().get(name), name);
      }
      Trainer.Step again = a.step(images, labels, batch, 9); // same weights: only the running statistics moved
      assertEquals(sa.loss(), again.loss(), 1e-3 * sa.loss());
    }
  }

  /** Networks without a generated trainer are refused on OpenCL too, and nothing is left open on the device. */
  @Test
  void refusesWhatCannotTrainAndReleasesTheDevice() {
    int live = OpenCl.liveObjects();
    NetcException e = assertThrows(NetcException.class,
        () -> Netc.trainer(LeNet5Original.class, new SyntheticWeights(), Backend.OPENCL, 1));
    assertTrue(e.getMessage().contains("cannot train LeNet5Original"), e.getMessage());
    IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
        () -> OpenClTrainer.create(LeNet5Original.class, new SyntheticWeights(), OpenClTests.device()));
    assertTrue(direct.getMessage().contains("no training kernel"), direct.getMessage());
    assertEquals(live, OpenCl.liveObjects(), "OpenCL objects left by the failed constructor");
    Graph graph = Netc.graph(LeNet5.class);
    try (Trainer t = Netc.trainer(LeNet5.class, new SyntheticWeights(), Backend.OPENCL, 1)) {
      assertTrue(t.backend().startsWith("OpenCL on "), t.backend());
      Shape in = graph.inputShape();
      t.step(SyntheticWeights.input(2, in.channels(), in.height(), in.width()), new int[] {1, 2}, 2, 1);
    }
    assertEquals(live, OpenCl.liveObjects(), "OpenCL objects left after close");
  }

  private static void assertClose(String what, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what + " length");
    double scale = 0, worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
    }
    assertTrue(scale > 0, what + " is all zeros: the comparison proves nothing");
    assertTrue(worst <= BOUND * scale, what + ": max error " + worst + " against max |value| " + scale);
  }
}
