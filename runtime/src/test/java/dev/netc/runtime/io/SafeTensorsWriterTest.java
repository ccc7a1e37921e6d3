package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.WeightsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsWriterTest {
  @TempDir Path dir;

  private List<Path> listDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().put("a", new int[] {1}, new float[] {1}).write(file);
    new SafeTensorsWriter().put("b", new int[] {2}, new float[] {2, 3}).write(file);
    assertEquals(List.of(file), listDir());
    try (SafeTensors st = SafeTensors.open(file)) {
      assertEquals(List.of("b"), List.copyOf(st.names()));
      assertArrayEquals(new float[] {2, 3}, st.get(new WeightSpec("b", 2)));
    }
  }

  @Test
  void aFailureMidWriteKeepsTheOldFileWhole() throws Exception {
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().put("a", new int[] {1}, new float[] {1}).write(file);
    byte[] before = Files.readAllBytes(file);
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, ch -> {
      ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(List.of(file), listDir(), "the temporary file is removed");
  }

  @Test
  void largeTensorsCrossTheWriteBuffer() {
    // More than the 1 MiB staging buffer, and not a multiple of it.
    float[] big = SyntheticWeights.values("big", new int[] {300_007}, 0, 1);
    Path file = dir.resolve("big.safetensors");
    new SafeTensorsWriter().put("big", new int[] {300_007}, big).put("tail", new int[] {1}, new float[] {5}).write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      assertArrayEquals(big, st.get(new WeightSpec("big", 300_007)));
      assertArrayEquals(new float[] {5}, st.get(new WeightSpec("tail", 1)));
    }
  }

  @Test
  void unwritableDirectoryIsAClearError() {
    Path file = dir.resolve("no/such/dir/w.safetensors");
    WeightsException e = assertThrows(WeightsException.class,
        () -> new SafeTensorsWriter().put("a", new int[] {1}, new float[] {1}).write(file));
    assertTrue(e.getMessage().contains("cannot write weights file " + file.toAbsolutePath()), e.getMessage());
  }

  @Test
  void refusesDuplicateAndReservedNames() {
    SafeTensorsWriter w = new SafeTensorsWriter().put("a", new int[] {1}, new float[] {1});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> w.put("a", new int[] {1}, new float[] {2}))
        .getMessage().contains("'a' was already put"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> w.put("__metadata__", new int[] {1}, new float[] {2})).getMessage().contains("reserved"));
    assertThrows(IllegalArgumentException.class, () -> w.put("", new int[] {1}, new float[] {2}));
  }

  @Test
  void namesAndMetadataWithCharactersJsonMustEscape() {
    Path file = dir.resolve("esc.safetensors");
    String odd = "layer \"1\"\\weight\n\u0001é";
    new SafeTensorsWriter().put(odd, new int[] {1}, new float[] {4}).metadata("k\"", "v\n").write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      assertArrayEquals(new float[] {4}, st.get(new WeightSpec(odd, 1)));
      assertEquals("v\n", st.metadata().get("k\""));
    }
  }
}
