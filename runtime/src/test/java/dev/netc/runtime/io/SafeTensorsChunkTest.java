package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.graph.WeightSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code path for files over 2 GiB, exercised with tiny chunks: tensors inside one chunk, straddling two or
 * many, and chunk sizes that split a float in the middle.
 */
class SafeTensorsChunkTest {
  @TempDir Path dir;

  @Test
  void everyTensorReadsTheSameWhateverTheChunkSize() {
    int[] sizes = {1, 3, 5, 16, 2, 7, 40};
    SafeTensorsWriter writer = new SafeTensorsWriter();
    float[][] data = new float[sizes.length][];
    for (int t = 0; t < sizes.length; t++) {
      data[t] = new float[sizes[t]];
      for (int i = 0; i < sizes[t]; i++) data[t][i] = t * 1000 + i + 0.25f;
      writer.put("t" + t, new int[] {sizes[t]}, data[t]);
    }
    Path file = dir.resolve("c.safetensors");
    writer.write(file);

    // 1 and 3 split floats; 4 aligns; 13 is prime; 64 covers several tensors; the default is one chunk.
    long[] chunkSizes = {1, 3, 4, 13, 64, SafeTensors.DEFAULT_CHUNK_BYTES};
    for (long chunk : chunkSizes) {
      try (SafeTensors st = SafeTensors.open(file, chunk)) {
        for (int t = 0; t < sizes.length; t++) {
          String name = "t" + t;
          assertArrayEquals(data[t], st.get(new WeightSpec(name, sizes[t])), name + " with chunks of " + chunk);
          FloatBuffer v = st.view(name);
          float[] viewed = new float[v.remaining()];
          v.get(viewed);
          assertArrayEquals(data[t], viewed, "view of " + name + " with chunks of " + chunk);
          assertEquals(true, v.isReadOnly());
        }
      }
    }
  }
}
