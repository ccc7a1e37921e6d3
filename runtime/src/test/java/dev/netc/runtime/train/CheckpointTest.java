package dev.netc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.WeightsException;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;
  private final Random r = new Random();
  private final Map<String, float[]> tensors = new LinkedHashMap<>();
  private final Map<String, int[]> dims = new LinkedHashMap<>();

  private void put(String name, int... d) {
    float[] v = new float[Arrays.stream(d).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
    tensors.put(name, v);
    dims.put(name, d);
  }

  private void network() {
    put("conv1.weight", 6, 1, 5, 5);
    put("conv1.bias", 6);
    put("fc.weight", 10, 24);
    put("fc.bias", 10);
    put(Checkpoint.velocityName("conv1.weight"), 6, 1, 5, 5);
    put(Checkpoint.velocityName("fc.weight"), 10, 24);
  }

  private Map<String, String> metadata(String network, int epoch) {
    LearningRateSchedule s = LearningRateSchedule.parse("plateau");
    s.afterEpoch(1, 0.01, 0.4);
    return Checkpoint.metadata(network, epoch, 0.001, "plateau", s.state(), TrainingHistoryTest.random(r, epoch),
        r.nextLong());
  }

  @Test
  void roundTripKeepsTensorsDimsAndMetadata() {
    network();
    Map<String, String> meta = metadata("LeNet5", 7);
    Path file = dir.resolve("ckpt.safetensors");
    Checkpoint.write(file, tensors, dims, meta);
    Checkpoint c = Checkpoint.read(file, "LeNet5");
    assertEquals(List.copyOf(tensors.keySet()), List.copyOf(c.tensors().keySet()));
    for (String n : tensors.keySet()) {
      assertArrayEquals(tensors.get(n), c.tensors().get(n), n);
      assertArrayEquals(dims.get(n), c.dims().get(n), n);
    }
    assertEquals("LeNet5", c.network());
    assertEquals(7, c.epoch());
    assertEquals(0.001, c.learningRate());
    assertEquals("plateau", c.schedule());
    assertEquals(meta.get(Checkpoint.SEED), Long.toString(c.seed()));
    assertEquals(TrainingHistory.fromJson(meta.get(Checkpoint.HISTORY)).epochs(), c.history().epochs());
    LearningRateSchedule resumed = LearningRateSchedule.parse(c.schedule());
    resumed.restore(c.scheduleState());
    assertEquals(meta.get(Checkpoint.SCHEDULE_STATE), resumed.state());
    assertArrayEquals(tensors.get("optimizer.velocity.fc.weight"), c.velocity("fc.weight"));
    assertNull(c.velocity("conv1.bias"));
    assertEquals(List.of("conv1.weight", "conv1.bias", "fc.weight", "fc.bias"), List.copyOf(c.weights().names()));
  }

  @Test
  void weightsOnlyLeavesTheOptimiserOut() {
    network();
    Path file = dir.resolve("weights.safetensors");
    Checkpoint.weightsOnly(file, tensors, dims, "LeNet5");
    try (SafeTensors st = SafeTensors.open(file)) {
      assertEquals(List.of("conv1.weight", "conv1.bias", "fc.weight", "fc.bias"), List.copyOf(st.names()));
      assertArrayEquals(tensors.get("fc.weight"), st.get(new WeightSpec("fc.weight", 10, 24)));
    }
    WeightsException e = assertThrows(WeightsException.class, () -> Checkpoint.read(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a netc training checkpoint"),
        e.getMessage());
  }

  @Test
  void aCheckpointOfAnotherNetworkIsRefused() {
    network();
    Path file = dir.resolve("ckpt.safetensors");
    Checkpoint.write(file, tensors, dims, metadata("LeNet5", 3));
    WeightsException e = assertThrows(WeightsException.class, () -> Checkpoint.read(file, "AlexNet"));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("LeNet5") && e.getMessage().contains("AlexNet"), e.getMessage());
  }

  @Test
  void aFailedWriteLeavesThePreviousCheckpointWholeAndNoTemporaryFile() throws Exception {
    network();
    Path file = dir.resolve("ckpt.safetensors");
    Checkpoint.write(file, tensors, dims, metadata("LeNet5", 1));
    byte[] before = Files.readAllBytes(file);

    // A tensor whose dims do not match is refused before anything is written.
    dims.put("fc.bias", new int[] {11});
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.write(file, tensors, dims, metadata("LeNet5", 2)));
    dims.put("fc.bias", new int[] {10});
    // The final rename fails (a non-empty directory is in the way) after the whole temporary file was written.
    Path blocked = dir.resolve("blocked.safetensors");
    Files.createDirectories(blocked.resolve("inside"));
    WeightsException e = assertThrows(WeightsException.class,
        () -> Checkpoint.write(blocked, tensors, dims, metadata("LeNet5", 2)));
    assertTrue(e.getMessage().contains("blocked.safetensors"), e.getMessage());
    // A directory that does not exist: the temporary file cannot even be created.
    assertThrows(WeightsException.class,
        () -> Checkpoint.write(dir.resolve("no/such/dir/c.safetensors"), tensors, dims, metadata("LeNet5", 2)));

    assertArrayEquals(before, Files.readAllBytes(file));
    try (var s = Files.list(dir)) {
      assertEquals(List.of("blocked.safetensors", "ckpt.safetensors"),
          s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file is left behind");
    }
    assertEquals(1, Checkpoint.read(file).epoch());
  }

  @Test
  void missingTruncatedAndMalformedFilesNameTheFile() throws Exception {
    Path missing = dir.resolve("missing.safetensors");
    WeightsException e = assertThrows(WeightsException.class, () -> Checkpoint.read(missing));
    assertTrue(e.getMessage().contains("missing.safetensors") && e.getMessage().contains("does not exist"),
        e.getMessage());

    network();
    Path file = dir.resolve("ckpt.safetensors");
    Checkpoint.write(file, tensors, dims, metadata("LeNet5", 4));
    byte[] whole = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 1 - r.nextInt(100)));
    e = assertThrows(WeightsException.class, () -> Checkpoint.read(cut));
    assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("truncated"), e.getMessage());

    Path bad = dir.resolve("bad.safetensors");
    new SafeTensorsWriter().put("w", new int[] {1}, new float[] {1}).metadata(Checkpoint.FORMAT, "1")
        .metadata(Checkpoint.NETWORK, "LeNet5").metadata(Checkpoint.EPOCH, "three")
        .metadata(Checkpoint.HISTORY, "{\"format\":\"netc-history-1\"}").write(bad);
    Checkpoint c = Checkpoint.read(bad, "LeNet5");
    e = assertThrows(WeightsException.class, c::epoch);
    assertTrue(e.getMessage().contains("bad.safetensors") && e.getMessage().contains("three"), e.getMessage());
    e = assertThrows(WeightsException.class, c::history);
    assertTrue(e.getMessage().contains("bad.safetensors") && e.getMessage().contains("epochs"), e.getMessage());
    e = assertThrows(WeightsException.class, c::seed);
    assertTrue(e.getMessage().contains(Checkpoint.SEED), e.getMessage());
  }

  @Test
  void writeRequiresTheNetworkNameAndDimsForEveryTensor() {
    network();
    Path file = dir.resolve("c.safetensors");
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.write(file, tensors, dims, Map.of()));
    dims.remove("fc.bias");
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.write(file, tensors, dims, metadata("X", 1)));
  }
}
