package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.WeightsException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapWeightsTest {
  @TempDir Path dir;

  private final MapWeights weights = new MapWeights("weights built by MapWeightsTest")
      .put("conv1.weight", new int[] {2, 1, 1, 1}, new float[] {1, 2})
      .put("conv1.bias", new int[] {2}, new float[] {3, 4});

  @Test
  void getReturnsACopyOfTheValues() {
    float[] w = weights.get(new WeightSpec("conv1.weight", 2, 1, 1, 1));
    assertArrayEquals(new float[] {1, 2}, w);
    w[0] = 9;
    assertArrayEquals(new float[] {1, 2}, weights.get(new WeightSpec("conv1.weight", 2, 1, 1, 1)));
    assertTrue(weights.contains("conv1.bias"));
    assertFalse(weights.contains("conv2.bias"));
    assertEquals(List.of("conv1.weight", "conv1.bias"), List.copyOf(weights.names()));
  }

  @Test
  void sameMessagesAsSafeTensors() {
    String shape = assertThrows(WeightsException.class, () -> weights.get(new WeightSpec("conv1.bias", 3)))
        .getMessage();
    assertEquals("tensor 'conv1.bias' in weights built by MapWeightsTest has shape [2] but the model expects [3]",
        shape);
    String missing = assertThrows(WeightsException.class, () -> weights.get(new WeightSpec("conv2.bias", 2)))
        .getMessage();
    assertTrue(missing.startsWith("no tensor 'conv2.bias' in weights built by MapWeightsTest; similar names: "
        + "'conv1.bias'"), missing);
  }

  @Test
  void dataMustMatchDims() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MapWeights("m").put("x", new int[] {2, 3}, new float[5]));
    assertTrue(e.getMessage().contains("[2, 3] (6 values) but 5 values"), e.getMessage());
  }

  @Test
  void writesToSafetensorsAndReadsBackTheSame() {
    Path file = dir.resolve("m.safetensors");
    new SafeTensorsWriter().putAll(List.of(weights.tensor("conv1.weight"), weights.tensor("conv1.bias"))).write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      for (String name : weights.names()) {
        WeightSpec spec = new WeightSpec(name, weights.tensor(name).dims());
        assertArrayEquals(weights.get(spec), st.get(spec));
      }
    }
  }
}
