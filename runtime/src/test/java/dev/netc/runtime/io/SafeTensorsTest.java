package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.WeightsException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path dir;

  @Test
  void roundTripKeepsValuesShapesOrderAndMetadata() {
    float[] w = RawFiles.iota(2 * 3 * 2 * 2);
    w[5] = -0.0f;
    w[6] = Float.NaN;
    w[7] = Float.MIN_VALUE;
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter()
        .put("z.weight", new int[] {2, 3, 2, 2}, w)
        .put("a.bias", new int[] {2}, new float[] {1.5f, -2.25f})
        .put("scalar", new int[] {}, new float[] {7f})
        .put("empty", new int[] {0, 4}, new float[0])
        .metadata("format", "pt")
        .metadata("note", "quote \" and ünïcode")
        .write(file);

    try (SafeTensors st = SafeTensors.open(file)) {
      assertEquals(List.of("z.weight", "a.bias", "scalar", "empty"), List.copyOf(st.names()));
      assertEquals(Map.of("format", "pt", "note", "quote \" and ünïcode"), st.metadata());
      assertArrayEquals(w, st.get(new WeightSpec("z.weight", 2, 3, 2, 2)));
      assertArrayEquals(new float[] {1.5f, -2.25f}, st.get(new WeightSpec("a.bias", 2)));
      assertArrayEquals(new float[] {7f}, st.get(new WeightSpec("scalar")));
      assertArrayEquals(new float[0], st.get(new WeightSpec("empty", 0, 4)));
      assertArrayEquals(new long[] {2, 3, 2, 2}, st.shape("z.weight"));
      assertEquals("F32", st.dtype("a.bias"));
      assertTrue(st.contains("a.bias"));
      assertFalse(st.contains("b.bias"));
      assertEquals(file.toAbsolutePath().toString(), st.source());
    }
  }

  @Test
  void getReturnsAFreshCopy() {
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().put("b", new int[] {2}, new float[] {1, 2}).write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      float[] first = st.get(new WeightSpec("b", 2));
      first[0] = 99;
      assertArrayEquals(new float[] {1, 2}, st.get(new WeightSpec("b", 2)));
    }
  }

  @Test
  void viewIsReadOnlyLittleEndianAndUncopied() {
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().put("a", new int[] {3}, new float[] {1, 2, 3})
        .put("b", new int[] {2, 2}, new float[] {4, 5, 6, 7}).write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      FloatBuffer v = st.view("b");
      assertTrue(v.isReadOnly());
      assertEquals(4, v.remaining());
      assertEquals(4f, v.get(0));
      assertEquals(7f, v.get(3));
      assertTrue(v.isDirect(), "a view of the mapped file, not a heap copy");
      // Each view has its own position.
      v.get();
      assertEquals(0, st.view("b").position());
    }
  }

  @Test
  void bufferIsAShapeCheckedDirectViewForUploads() {
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().put("b", new int[] {2, 2}, new float[] {4, 5, 6, 7}).write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      FloatBuffer b = st.buffer(new WeightSpec("b", 2, 2));
      assertTrue(b.isDirect(), "uploads copy straight from the mapped pages");
      assertTrue(b.isReadOnly());
      float[] values = new float[b.remaining()];
      b.get(values);
      assertArrayEquals(st.get(new WeightSpec("b", 2, 2)), values);
      WeightsException e = assertThrows(WeightsException.class, () -> st.buffer(new WeightSpec("b", 4)));
      assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("[4]") && e.getMessage().contains("[2, 2]"),
          e.getMessage());
    }
  }

  @Test
  void fileAsPythonsWriterMakesItWithAnI64Tensor() {
    // What safetensors.torch.save_file writes for a BatchNorm: serde_json compact header with tensors sorted by
    // alignment then name (the I64 first), padded with spaces to a multiple of 8, then the raw data.
    String header = "{\"bn1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
        + "\"bn1.weight\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}}";
    assertTrue(header.length() % 8 != 0, "the test should exercise the padding");
    Path file = RawFiles.safetensors(dir.resolve("bn1.safetensors"), header,
        RawFiles.concat(RawFiles.i64(42), RawFiles.f32(0.5f, 1f, -3f)));

    try (SafeTensors st = SafeTensors.open(file)) {
      assertEquals(List.of("bn1.num_batches_tracked", "bn1.weight"), List.copyOf(st.names()));
      assertArrayEquals(new float[] {0.5f, 1f, -3f}, st.get(new WeightSpec("bn1.weight", 3)));
      assertEquals("I64", st.dtype("bn1.num_batches_tracked"));
      assertArrayEquals(new long[0], st.shape("bn1.num_batches_tracked"));
      assertTrue(st.contains("bn1.num_batches_tracked"));
      assertTrue(st.metadata().isEmpty());

      WeightsException e = assertThrows(WeightsException.class,
          () -> st.get(new WeightSpec("bn1.num_batches_tracked")));
      assertTrue(e.getMessage().contains("'bn1.num_batches_tracked'"), e.getMessage());
      assertTrue(e.getMessage().contains("has dtype I64 but netc reads F32"), e.getMessage());
      assertTrue(e.getMessage().contains("tensor.float()"), e.getMessage());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      WeightsException v = assertThrows(WeightsException.class, () -> st.view("bn1.num_batches_tracked"));
      assertTrue(v.getMessage().contains("has dtype I64"), v.getMessage());
    }
  }

  @Test
  void writerPadsHeaderWithSpacesToAMultipleOf8() throws Exception {
    Path file = dir.resolve("p.safetensors");
    new SafeTensorsWriter().put("x", new int[] {1}, new float[] {2f}).write(file);
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    long n = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8);
    String header = new String(bytes, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
    assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header.stripTrailing());
    assertTrue(header.endsWith(" "));
    assertEquals(8 + n + 4, bytes.length);
  }

  @Test
  void closedFileRefusesEveryAccess() {
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter().put("a", new int[] {1}, new float[] {1}).write(file);
    SafeTensors st = SafeTensors.open(file);
    FloatBuffer before = st.view("a");
    st.close();
    st.close(); // twice is fine
    List<Runnable> calls = List.of(
        () -> st.get(new WeightSpec("a", 1)), () -> st.contains("a"), () -> st.names(),
        () -> st.metadata(), () -> st.dtype("a"), () -> st.shape("a"), () -> st.view("a"));
    for (Runnable call : calls) {
      WeightsException e = assertThrows(WeightsException.class, call::run);
      assertTrue(e.getMessage().contains("was closed"), e.getMessage());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
    assertEquals(1f, before.get(0), "a view taken before close stays readable");
    assertEquals(file.toAbsolutePath().toString(), st.source(), "source() still describes it for messages");
  }
}
