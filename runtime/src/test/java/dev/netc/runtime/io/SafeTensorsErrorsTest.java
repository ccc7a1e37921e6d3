package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.WeightsException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a safetensors file or a request can be wrong, and that the message says what and where. */
class SafeTensorsErrorsTest {
  @TempDir Path dir;

  private static String openFails(Path file) {
    return assertThrows(WeightsException.class, () -> SafeTensors.open(file).close()).getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
    }
  }

  private Path alexnetLike() {
    Path file = dir.resolve("w.safetensors");
    new SafeTensorsWriter()
        .put("features.0.weight", new int[] {96, 3, 11, 11}, new float[96 * 3 * 11 * 11])
        .put("features.0.bias", new int[] {96}, new float[96])
        .put("features.3.weight", new int[] {256, 48, 5, 5}, new float[256 * 48 * 5 * 5])
        .put("features.3.bias", new int[] {256}, new float[256])
        .put("conv1.weight", new int[] {96, 3, 11, 11}, new float[96 * 3 * 11 * 11])
        .write(file);
    return file;
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("nope.safetensors");
    assertContains(openFails(file), file.toString(), "does not exist");
  }

  @Test
  void unreadableFile() throws Exception {
    Path file = RawFiles.write(dir.resolve("locked.safetensors"), new byte[16]);
    boolean locked = file.toFile().setReadable(false) && !Files.isReadable(file);
    Assumptions.assumeTrue(locked, "running as root, or a file system without permissions");
    assertContains(openFails(file), file.toString(), "cannot be read");
  }

  @Test
  void directoryIsNotAFile() {
    assertContains(openFails(dir), dir.toString());
  }

  @Test
  void shorterThan8Bytes() {
    Path file = RawFiles.write(dir.resolve("short.safetensors"), new byte[5]);
    assertContains(openFails(file), file.toString(), "5 bytes", "too short");
  }

  @Test
  void headerLongerThanTheFile() {
    byte[] b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
    Path file = RawFiles.write(dir.resolve("t.safetensors"), b);
    assertContains(openFails(file), file.toString(), "1000-byte header", "20 bytes", "truncated or not a safetensors file");
  }

  @Test
  void headerLengthAboveTwoToThe63IsNotNegative() {
    byte[] b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
    Path file = RawFiles.write(dir.resolve("t.safetensors"), b);
    assertContains(openFails(file), "18446744073709551615-byte header", "truncated or not a safetensors file");
  }

  @Test
  void aPngIsNotASafetensorsFile() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    Path file = RawFiles.write(dir.resolve("cat.png"), png);
    assertContains(openFails(file), file.toString(), "not a safetensors file");
  }

  @Test
  void headerNotJsonSaysWhere() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"),
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1] \"data_offsets\":[0,4]}}", new byte[4]);
    assertContains(openFails(file), file.toString(), "not valid JSON", "line 1, column 33", "expected ',' or '}'");
  }

  @Test
  void headerNotUtf8() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"), "{}", new byte[0]);
    byte[] bytes = readAll(file);
    bytes[8] = (byte) 0xff;
    RawFiles.write(file, bytes);
    assertContains(openFails(file), file.toString(), "not valid UTF-8");
  }

  @Test
  void headerNotAnObject() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"), "[1,2]", new byte[0]);
    assertContains(openFails(file), file.toString(), "corrupt", "array, not an object");
  }

  @Test
  void offsetsOutsideTheDataSection() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", new byte[8]);
    assertContains(openFails(file), file.toString(), "corrupt", "'w'", "[8, 4]", "outside the data section");
  }

  @Test
  void negativeOffsetIsCorrupt() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", new byte[8]);
    assertContains(openFails(file), file.toString(), "corrupt", "'w'", "data_offsets");
  }

  @Test
  void byteSizeDisagreesWithShape() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[24]);
    assertContains(openFails(file), file.toString(), "corrupt", "'w'", "[2, 3] of F32 needs 24 bytes", "hold 20 bytes");
  }

  @Test
  void overlappingTensorsAreCorrupt() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"),
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
    assertContains(openFails(file), "corrupt", "'b'", "overlap", "'a'");
  }

  @Test
  void missingFieldsAreCorrupt() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]);
    assertContains(openFails(file), "corrupt", "'w'", "\"shape\" is missing");
  }

  @Test
  void metadataMustBeStrings() {
    Path file = RawFiles.safetensors(dir.resolve("bad.safetensors"), "{\"__metadata__\":{\"epochs\":90}}", new byte[0]);
    assertContains(openFails(file), "corrupt", "epochs", "only strings");
  }

  @Test
  void truncatedFileSaysExpectedAndActualBytes() throws Exception {
    Path file = alexnetLike();
    byte[] bytes = readAll(file);
    Path cut = RawFiles.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 1000));
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    long dataBytes = bytes.length - 8 - headerLen;
    assertContains(openFails(cut), cut.toString(), "truncated", "should hold " + dataBytes + " bytes",
        "'conv1.weight' ends there", "holds only " + (dataBytes - 1000),
        "at least " + bytes.length + " bytes, actual " + (bytes.length - 1000));
  }

  @Test
  void missingTensorSuggestsSimilarNames() {
    try (SafeTensors st = SafeTensors.open(alexnetLike())) {
      String m = assertThrows(WeightsException.class, () -> st.get(new WeightSpec("conv2.weight", 256, 48, 5, 5)))
          .getMessage();
      assertContains(m, "no tensor 'conv2.weight'", st.source(), "similar names: 'conv1.weight'",
          "'features.0.weight'", "'features.3.weight'", "5 tensors in all");
      assertTrue(!m.contains("bias"), m);
      String prefixed = assertThrows(WeightsException.class, () -> st.shape("module.features.3.bias")).getMessage();
      assertContains(prefixed, "similar names: 'features.3.bias'");
    }
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    Path file = alexnetLike();
    try (SafeTensors st = SafeTensors.open(file)) {
      String m = assertThrows(WeightsException.class, () -> st.get(new WeightSpec("conv1.weight", 64, 3, 11, 11)))
          .getMessage();
      assertEquals("tensor 'conv1.weight' in " + file.toAbsolutePath()
          + " has shape [96, 3, 11, 11] but the model expects [64, 3, 11, 11]", m);
      String rank = assertThrows(WeightsException.class, () -> st.get(new WeightSpec("features.0.bias", 96, 1)))
          .getMessage();
      assertContains(rank, "has shape [96] but the model expects [96, 1]");
    }
  }

  @Test
  void dtypeMismatchExplainsHowToConvert() {
    Path file = RawFiles.safetensors(dir.resolve("half.safetensors"),
        "{\"conv1.weight\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]);
    try (SafeTensors st = SafeTensors.open(file)) {
      String m = assertThrows(WeightsException.class, () -> st.get(new WeightSpec("conv1.weight", 2))).getMessage();
      assertContains(m, "tensor 'conv1.weight' in " + file, "has dtype F16 but netc reads F32", "tensor.float()");
    }
  }

  @Test
  void unknownDtypeIsListedButNotSizeChecked() {
    Path file = RawFiles.safetensors(dir.resolve("future.safetensors"),
        "{\"q\":{\"dtype\":\"Q4_K\",\"shape\":[32],\"data_offsets\":[0,18]}}", new byte[18]);
    try (SafeTensors st = SafeTensors.open(file)) {
      assertEquals("Q4_K", st.dtype("q"));
      assertContains(assertThrows(WeightsException.class, () -> st.view("q")).getMessage(), "has dtype Q4_K");
    }
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
