package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.data.FashionMnistTests;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.opencl.OpenClTests;
import dev.netc.runtime.train.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netc train} and {@code netc eval} end to end on a slice of Fashion-MNIST: the files written after each
 * epoch, resuming from a checkpoint (which must reproduce the uninterrupted run), the written weights loading in
 * the inference model, and the errors. CI installs the data set; elsewhere these tests skip without it.
 */
class TrainCommandTest {
  @TempDir Path dir;
  private String out;
  private String err;

  @BeforeAll
  static void needsTheDataSet() {
    FashionMnistTests.assumeInstalled();
  }

  private int netc(String... argv) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = Main.run(argv, new ZooCatalog(), new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8), false);
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  private String[] train(Path weights, int epochs, String... more) {
    String[] base = {"train", "lenet5", "--data", "fashion-mnist", "--limit", "2000", "--validation", "500",
        "--epochs", Integer.toString(epochs), "--batch", "50", "--out", weights.toString()};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void trainsWritesEveryFileAndTheWeightsLoadForInference() throws Exception {
    Path weights = dir.resolve("lenet.safetensors");
    assertEquals(0, netc(train(weights, 2)), err);
    assertTrue(err.contains("epoch 2/2: train loss"), err);
    assertTrue(out.contains("LeNet5: 2 epochs, validation top-1 error"), out);
    for (String f : new String[] {"lenet.safetensors", "lenet.checkpoint.safetensors", "lenet.history.csv",
        "lenet.png"}) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
    assertEquals(3, Files.readAllLines(dir.resolve("lenet.history.csv")).size(), "header and two epochs");
    try (SafeTensors w = SafeTensors.open(weights)) {
      assertTrue(w.names().stream().noneMatch(n -> n.startsWith(Checkpoint.OPTIMIZER_PREFIX)), w.names().toString());
    }
    // 2,000 images for two epochs already beat chance (90% error) by far
    assertEquals(0, netc("eval", "lenet5", "--weights", weights.toString(), "--data", "fashion-mnist", "--limit",
        "1000", "--backend", "java", "--show", "2"), err);
    assertTrue(out.contains("image 0 (Ankle boot):"), out);
    double error = Double.parseDouble(out.replaceAll("(?s).*top-1 error ([0-9.]+)%.*", "$1"));
    assertTrue(error < 40, out);
    assertTrue(out.contains("true \\ predicted"), out);
  }

  @Test
  void aPlotThatCannotBeWrittenWarnsOnceAndTheTrainingGoesOn() throws Exception {
    // A directory where the PNG should go makes every write of it fail, like a JVM without AWT's font libraries
    // (seen on a GPU machine's bare image): the run must still finish and write its weights and history.
    Files.createDirectory(dir.resolve("lenet.png"));
    Path weights = dir.resolve("lenet.safetensors");
    assertEquals(0, netc(train(weights, 2)), err);
    assertTrue(err.contains("epoch 2/2: train loss"), err);
    assertEquals(1, err.split("warning: no plot in ", -1).length - 1, err);
    assertEquals(3, Files.readAllLines(dir.resolve("lenet.history.csv")).size(), "header and two epochs");
    assertTrue(Files.size(weights) > 0);
  }

  @Test
  void resumingReproducesTheUninterruptedRun() throws Exception {
    Path straight = dir.resolve("straight.safetensors");
    assertEquals(0, netc(train(straight, 2)), err);
    Path split = dir.resolve("split.safetensors");
    assertEquals(0, netc(train(split, 1)), err);
    assertEquals(0, netc(train(split, 2, "--resume", dir.resolve("split.checkpoint.safetensors").toString())), err);
    assertTrue(err.contains("resuming LeNet5 after epoch 1"), err);
    assertEquals(3, Files.readAllLines(dir.resolve("split.history.csv")).size(), "the history carries on");
    // the velocities pass through float32 in the checkpoint; nothing else differs
    assertSameWeights(straight, split, 1e-5);
  }

  /** Every tensor of {@code b} within {@code relative} of {@code a}'s, relative to its largest magnitude. */
  private static void assertSameWeights(Path a, Path b, double relative) {
    try (SafeTensors x = SafeTensors.open(a); SafeTensors y = SafeTensors.open(b)) {
      for (String name : x.names()) {
        float[] p = floats(x.view(name));
        float[] q = floats(y.view(name));
        double scale = 0, worst = 0;
        for (int i = 0; i < p.length; i++) {
          scale = Math.max(scale, Math.abs(p[i]));
          worst = Math.max(worst, Math.abs(p[i] - q[i]));
        }
        assertTrue(worst <= relative * scale, name + ": " + worst + " against " + scale);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameWeights() throws Exception {
    Path a = dir.resolve("a.safetensors");
    Path b = dir.resolve("b.safetensors");
    assertEquals(0, netc(train(a, 1, "--threads", "2")), err);
    assertEquals(0, netc(train(b, 1, "--threads", "1")), err);
    try (SafeTensors x = SafeTensors.open(a); SafeTensors y = SafeTensors.open(b)) {
      // gradients are summed in a fixed order whichever thread computes what: bit for bit the same
      for (String name : x.names()) assertArrayEquals(floats(x.view(name)), floats(y.view(name)), name);
    }
  }

  @Test
  void trainsOnOpenClLikeOnJava() throws Exception {
    OpenClTests.assumeAvailable();
    Path cl = dir.resolve("cl.safetensors");
    assertEquals(0, netc(train(cl, 1, "--backend", "opencl", "--augment", "none")), err);
    assertTrue(err.contains("on OpenCL on "), err);
    assertTrue(out.contains("LeNet5: 1 epochs, validation top-1 error"), out);
    assertTrue(Files.size(dir.resolve("cl.checkpoint.safetensors")) > 0);
    Path java = dir.resolve("java.safetensors");
    assertEquals(0, netc(train(java, 1, "--backend", "java", "--augment", "none")), err);
    // the same schedule, seed, batches and dropout masks: an epoch ends on nearly the same weights
    assertSameWeights(java, cl, 1e-3);
  }

  @Test
  void errorsSayWhatIsWrong() {
    Path weights = dir.resolve("w.safetensors");
    assertEquals(2, netc(train(weights, 1, "--backend", "reference")));
    assertTrue(err.contains("--backend java, opencl or auto"), err);
    assertEquals(2, netc(train(weights, 1, "--backend", "cuda")));
    assertTrue(err.contains("unknown backend 'cuda'"), err);
    assertEquals(2, netc(train(weights, 1, "--augment", "rotate")));
    assertTrue(err.contains("--augment must be none, flip, crop or crop+flip"), err);
    assertEquals(2, netc(train(weights, 1, "--schedule", "sometimes")));
    assertTrue(err.contains("sometimes"), err);
    assertEquals(2, netc(train(weights, 1, "--init", "zeros")));
    assertTrue(err.contains("zeros"), err);
    assertEquals(1, netc("train", "lenet5original", "--data", "fashion-mnist", "--out", weights.toString()));
    assertTrue(err.contains("cannot train LeNet5Original yet") || err.contains("LeNet5Original takes"), err);
    assertEquals(1, netc("train", "alexnet", "--data", "fashion-mnist", "--out", weights.toString()));
    assertTrue(err.contains("AlexNet takes 3x227x227 images"), err);
    assertEquals(1, netc(train(weights, 1, "--resume", dir.resolve("missing.checkpoint.safetensors").toString())));
    assertTrue(err.contains("missing.checkpoint.safetensors"), err);
    assertTrue(Files.notExists(weights), "nothing written by failed runs");
  }

  @Test
  void figure1TrainsBothNetworksAndReportsWhatItsCurvesShow() throws Exception {
    assertEquals(0, netc("figure1", "--data", "fashion-mnist", "--limit", "1280", "--epochs", "1", "--batch", "32",
        "--out", dir.toString()), err);
    java.util.List<String> csv = Files.readAllLines(dir.resolve("figure1.csv"));
    assertEquals("iteration,Figure1Relu,Figure1Tanh", csv.get(0));
    assertEquals(41, csv.size(), "a row per iteration: 1,280 / 32");
    assertTrue(Files.size(dir.resolve("figure1.png")) > 0);
    String[] networks = {"Figure1Relu", "Figure1Tanh"};
    for (int k = 0; k < 2; k++) {
      java.util.List<Double> curve = new java.util.ArrayList<>();
      for (String row : csv.subList(1, csv.size())) curve.add(Double.parseDouble(row.split(",")[k + 1]));
      int window = Figure1Command.WINDOW;
      assertTrue(curve.get(curve.size() - 1) < curve.get(window - 1), networks[k] + " learns: " + curve);
      // the printed count is the first full-window point at or below 25% in the CSV, or none
      int first = Figure1Command.firstBelow(curve, 0.25);
      String expected = first < 0 ? networks[k] + " did not reach 25% training error within 40 iterations"
          : networks[k] + " reached 25% training error after " + first + " iterations";
      assertTrue(out.contains(expected), expected + " in " + out);
    }
  }

  /**
   * The same experiment on the OpenCL trainer: same weights, batches and dropout-free networks, so the windowed
   * error curves agree with the Java run's up to float32 differences (an image classified the other way moves a
   * point by 1 / (32 * 20)).
   */
  @Test
  void figure1OnOpenClFollowsTheJavaCurves() throws Exception {
    OpenClTests.assumeAvailable();
    String[] common = {"figure1", "--data", "fashion-mnist", "--limit", "640", "--epochs", "1", "--batch", "32"};
    assertEquals(0, netc(with(common, "--backend", "java", "--out", dir.resolve("java").toString())), err);
    assertEquals(0, netc(with(common, "--backend", "opencl", "--out", dir.resolve("opencl").toString())), err);
    assertTrue(err.contains("Figure1Relu on OpenCL"), err);
    java.util.List<String> java = Files.readAllLines(dir.resolve("java/figure1.csv"));
    java.util.List<String> opencl = Files.readAllLines(dir.resolve("opencl/figure1.csv"));
    assertEquals(java.size(), opencl.size());
    for (int i = 1; i < java.size(); i++) {
      String[] a = java.get(i).split(","), b = opencl.get(i).split(",");
      for (int k = 1; k < 3; k++) {
        assertEquals(Double.parseDouble(a[k]), Double.parseDouble(b[k]), 0.01, "row " + i + " column " + k);
      }
    }
  }

  private static String[] with(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  @Test
  void demoTrainsThenClassifiesWithTheInferenceModel() {
    // a directory that does not exist yet, as netc-demo/ on a fresh clone
    assertEquals(0, netc("demo", "--epochs", "1", "--out", dir.resolve("new/demo").toString()), err);
    assertTrue(out.contains("== 2. the trained model on the 10,000 test images"), out);
    assertTrue(out.contains("image 7 ("), out);
    double error = Double.parseDouble(out.replaceAll("(?s).*top-1 error ([0-9.]+)%.*", "$1"));
    assertTrue(error < 20, "one epoch of LeNet5 reaches about 85% accuracy: " + out);
  }

  @Test
  void flipAveragingEvaluatesEachImageAndItsMirror() {
    Path weights = dir.resolve("lenet.safetensors");
    assertEquals(0, netc(train(weights, 1)), err);
    assertEquals(0, netc("eval", "lenet5", "--weights", weights.toString(), "--data", "fashion-mnist", "--limit",
        "500", "--backend", "java"), err);
    String plain = out.replaceAll("(?s).*mean loss ([0-9.]+).*", "$1");
    assertEquals(0, netc("eval", "lenet5", "--weights", weights.toString(), "--data", "fashion-mnist", "--limit",
        "500", "--backend", "java", "--flip-average"), err);
    String averaged = out.replaceAll("(?s).*mean loss ([0-9.]+).*", "$1");
    assertTrue(!plain.equals(averaged), "averaging over mirror images changes the loss: " + plain + " " + out);
  }

  private static float[] floats(FloatBuffer b) {
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }
}
