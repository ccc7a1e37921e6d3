package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Graph;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.reference.ReferenceTrainer;
import dev.netc.runtime.train.JavaTrainer;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated trainers (float32, Java backend) against the double-precision reference trainer: the same
 * weights, random images and labels, the same dropout seed; the loss, every parameter's gradient and the batch-norm
 * running statistics after the step must agree to float32 accuracy. Networks together cover every layer kind
 * (TrainingCoverage, TrainingExtras), residual blocks with batch norm (SmallResNet), concatenated branches
 * (SmallInception), a softmax output (LeNet5, TrainingCoverage) and a logits output (TrainingExtras, the small ResNet
 * and Inception).
 */
class GeneratedTrainerTest {
  /** Largest gradient error allowed, relative to the tensor's largest gradient. */
  private static final double BOUND = 2e-4;

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of(LeNet5_Model.GRAPH, (BiFunction<Weights, Integer, JavaTrainer>) LeNet5_Trainer::create),
        Arguments.of(TrainingCoverage_Model.GRAPH,
            (BiFunction<Weights, Integer, JavaTrainer>) TrainingCoverage_Trainer::create),
        Arguments.of(TrainingExtras_Model.GRAPH,
            (BiFunction<Weights, Integer, JavaTrainer>) TrainingExtras_Trainer::create),
        Arguments.of(SmallResNet_Model.GRAPH, (BiFunction<Weights, Integer, JavaTrainer>) SmallResNet_Trainer::create),
        Arguments.of(SmallInception_Model.GRAPH,
            (BiFunction<Weights, Integer, JavaTrainer>) SmallInception_Trainer::create));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void oneStepMatchesTheReferenceTrainer(Graph graph, BiFunction<Weights, Integer, JavaTrainer> create) {
    int batch = 3;
    Random random = new Random(graph.name().hashCode());
    float[] images = new float[batch * graph.inputShape().size()];
    for (int i = 0; i < images.length; i++) images[i] = (float) random.nextGaussian();
    int classes = graph.outputShape().size();
    int[] labels = new int[batch];
    for (int n = 0; n < batch; n++) labels[n] = random.nextInt(classes);

    ReferenceTrainer reference = new ReferenceTrainer(graph, new SyntheticWeights());
    ReferenceTrainer.Step expected = reference.step(images, labels, batch, true, 42);
    try (JavaTrainer trainer = create.apply(new SyntheticWeights(), 2)) {
      JavaTrainer.Step actual = trainer.step(images, labels, batch, 42);
      assertEquals(expected.loss(), actual.loss(), 1e-5 * Math.max(1, expected.loss()), "loss");
      assertEquals(expected.correct(), actual.correct(), "correct");
      for (Map.Entry<String, double[]> e : expected.gradients().entrySet()) {
        assertClose(e.getKey() + " gradient", e.getValue(), trainer.gradients().get(e.getKey()));
      }
      for (Map.Entry<String, double[]> e : reference.buffers().entrySet()) {
        assertClose(e.getKey(), e.getValue(), trainer.buffers().get(e.getKey()));
      }
      // a second step reuses every array: stale gradients or masks would show here
      ReferenceTrainer.Step expected2 = reference.step(images, labels, batch, true, 7);
      JavaTrainer.Step actual2 = trainer.step(images, labels, batch, 7);
      assertEquals(expected2.loss(), actual2.loss(), 1e-5 * Math.max(1, expected2.loss()), "loss of step 2");
      for (Map.Entry<String, double[]> e : expected2.gradients().entrySet()) {
        assertClose(e.getKey() + " gradient, step 2", e.getValue(), trainer.gradients().get(e.getKey()));
      }
    }
  }

  private static void assertClose(String what, double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what + " length");
    double scale = 0, worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(scale > 0, what + " is all zeros in the reference: the comparison proves nothing");
    assertTrue(worst <= BOUND * scale, what + ": max error " + worst + " against max |value| " + scale);
  }
}
