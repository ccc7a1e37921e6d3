package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Model;
import dev.netc.runtime.WeightsException;
import dev.netc.runtime.io.SafeTensorsWriter;
import dev.netc.runtime.io.SyntheticWeights;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generated model refuses bad weights and bad calls with clear messages, never a wrong answer. */
class ModelErrorsTest {
  @TempDir Path dir;

  /** LeNet5's weights as a file, optionally without one tensor or with one of another shape. */
  private Path weights(String skip, String reshape) throws Exception {
    SafeTensorsWriter w = new SafeTensorsWriter();
    SyntheticWeights synthetic = new SyntheticWeights();
    for (WeightSpec spec : LeNet5_Model.GRAPH.weights()) {
      if (spec.name().equals(skip)) continue;
      int[] dims = spec.dims();
      if (spec.name().equals(reshape)) dims[0] += 1;
      w.put(spec.name(), dims, synthetic.get(new WeightSpec(spec.name(), dims)));
    }
    Path file = dir.resolve("lenet5.safetensors");
    w.write(file);
    return file;
  }

  @Test
  void loadsFromAFileAndMatchesSyntheticWeights() throws Exception {
    float[] input = SyntheticWeights.input(3, 1, 28, 28);
    try (Model fromFile = LeNet5_Model.load(weights("", ""));
        Model direct = LeNet5_Model.load(new SyntheticWeights())) {
      float[] a = fromFile.forward(input, 3);
      float[] b = direct.forward(input, 3);
      for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 0f);
    }
  }

  @Test
  void missingTensorNamesTheTensorAndTheFile() throws Exception {
    Path file = weights("fc3.bias", "");
    WeightsException e = assertThrows(WeightsException.class, () -> LeNet5_Model.load(file));
    assertTrue(e.getMessage().contains("fc3.bias"), e.getMessage());
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
  }

  @Test
  void wrongShapeNamesExpectedAndActual() throws Exception {
    Path file = weights("", "conv2.weight");
    WeightsException e = assertThrows(WeightsException.class, () -> LeNet5_Model.load(file));
    assertTrue(e.getMessage().contains("conv2.weight"), e.getMessage());
    assertTrue(e.getMessage().contains("[16, 6, 5, 5]"), e.getMessage());
    assertTrue(e.getMessage().contains("[17, 6, 5, 5]"), e.getMessage());
  }

  @Test
  void truncatedFileIsRefused() throws Exception {
    Path file = weights("", "");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    WeightsException e = assertThrows(WeightsException.class, () -> LeNet5_Model.load(file));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void wrongInputLengthAndBatchAreRefused() {
    try (Model m = LeNet5_Model.load(new SyntheticWeights())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(new float[783], 1));
      assertTrue(e.getMessage().contains("784"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.forward(new float[784], 0));
      assertThrows(IllegalArgumentException.class, () -> m.forward(new float[784], new float[9], 1));
      assertThrows(IllegalArgumentException.class,
          () -> m.forward(FloatBuffer.allocate(100), FloatBuffer.allocate(10), 1));
    }
  }

  @Test
  void closedModelRefusesCalls() {
    Model m = LeNet5_Model.load(new SyntheticWeights());
    m.close();
    m.close(); // idempotent
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forward(new float[784], 1));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void bufferApiMatchesArrayApi() {
    float[] input = SyntheticWeights.input(2, 1, 28, 28);
    try (Model m = LeNet5_Model.load(new SyntheticWeights())) {
      float[] expected = m.forward(input, 2);
      FloatBuffer out = FloatBuffer.allocate(20);
      m.forward(FloatBuffer.wrap(input), out, 2);
      for (int i = 0; i < 20; i++) assertEquals(expected[i], out.get(i), 0f);
    }
  }

  /**
   * A batch of 20 in slices of 9 (9 + 9 + 2, -Dnetc.microBatch); from direct buffers read and written from their
   * positions, it gives each image's batch-1 result, and leaves the buffers' positions as they were.
   */
  @Test
  void slicedBatchesFromBufferPositionsMatchSingleImages() {
    int batch = 20;
    float[] input = SyntheticWeights.input(batch, 1, 28, 28);
    FloatBuffer in = java.nio.ByteBuffer.allocateDirect((3 + input.length) * 4)
        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    in.position(3);
    in.put(input).position(3);
    FloatBuffer out = java.nio.ByteBuffer.allocateDirect((5 + batch * 10) * 4)
        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    out.position(5);
    System.setProperty("netc.microBatch", "9"); // read at the first forward pass
    try (Model m = LeNet5_Model.load(new SyntheticWeights())) {
      m.forward(in, out, batch);
      System.clearProperty("netc.microBatch");
      assertEquals(3, in.position());
      assertEquals(5, out.position());
      for (int n = 0; n < batch; n++) {
        float[] one = m.forward(java.util.Arrays.copyOfRange(input, n * 784, (n + 1) * 784), 1);
        for (int k = 0; k < 10; k++) {
          assertEquals(one[k], out.get(5 + n * 10 + k), 1e-6f, "image " + n + " class " + k);
        }
      }
    } finally {
      System.clearProperty("netc.microBatch");
    }
  }

  /** Several threads sharing one model get the same answers as one thread (calls are serialised). */
  @Test
  void concurrentCallersGetCorrectResults() throws Exception {
    try (Model m = LeNet5_Model.load(new SyntheticWeights())) {
      float[][] inputs = new float[4][];
      float[][] expected = new float[4][];
      for (int t = 0; t < 4; t++) {
        inputs[t] = SyntheticWeights.values("input" + t, new int[] {t + 1, 1, 28, 28}, 0, 1);
        expected[t] = m.forward(inputs[t], t + 1);
      }
      Thread[] threads = new Thread[4];
      Throwable[] failure = new Throwable[1];
      for (int t = 0; t < 4; t++) {
        int id = t;
        threads[t] = new Thread(() -> {
          try {
            for (int r = 0; r < 200; r++) {
              float[] got = m.forward(inputs[id], id + 1);
              for (int i = 0; i < got.length; i++) if (got[i] != expected[id][i]) throw new AssertionError("thread " + id);
            }
          } catch (Throwable x) {
            failure[0] = x;
          }
        });
        threads[t].start();
      }
      for (Thread t : threads) t.join();
      if (failure[0] != null) throw new AssertionError(failure[0]);
    }
  }
}
