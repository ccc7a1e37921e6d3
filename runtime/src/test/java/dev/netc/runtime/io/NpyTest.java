package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.NetcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy files, checked against files NumPy 2.4 wrote (embedded as base64) and byte for byte against np.save. */
class NpyTest {
  @TempDir Path dir;

  // np.save(f, (np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.5 - 3))
  private static final String F4_2X3X4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMsIDQpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAEDAAAAgwAAAAMAAAMC/AACAvwAAAL8AAAAAAAAAPwAAgD8AAMA/AAAAQAAAIEAAAEBAAABgQAAAgEAAAJBAAACgQAAAsEAAAMBAAADQQAAA4EAAAPBAAAAAQQAACEE=";
  // np.save(f, (np.arange(6).reshape(2, 3) / 4 + 0.1).astype('<f8'))
  private static final String F8_2X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqamZmZmZm5P2ZmZmZmZtY/MzMzMzMz4z8zMzMzMzPrP5qZmZmZmfE/mpmZmZmZ9T8=";
  // np.save(f, (np.arange(6).reshape(2, 3) / 4).astype('>f8'))
  private static final String F8_BIG_ENDIAN = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAD/QAAAAAAAAP+AAAAAAAAA/6AAAAAAAAD/wAAAAAAAAP/QAAAAAAAA=";
  // np.lib.format.write_array(f, np.array([1.5, -2, 3], dtype='<f4'), version=(2, 0)) and (3, 0)
  private static final String V2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAQEA=";
  private static final String V3 = "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAQEA=";
  // np.save(f, np.float32(2.5))
  private static final String SCALAR = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAACBA";
  // np.save(f, np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)))
  private static final String FORTRAN = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=";
  // np.save(f, np.arange(3, dtype='<i8'))
  private static final String I64 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAEAAAAAAAAAAgAAAAAAAAA=";

  private Path fixture(String name, String base64) {
    return RawFiles.write(dir.resolve(name), Base64.getDecoder().decode(base64));
  }

  private static String fails(Path file) {
    return assertThrows(NetcException.class, () -> Npy.read(file)).getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
    }
  }

  @Test
  void readsNumpyFloat32() {
    NpyArray a = Npy.read(fixture("a.npy", F4_2X3X4));
    assertArrayEquals(new int[] {2, 3, 4}, a.shape());
    float[] expected = new float[24];
    for (int i = 0; i < 24; i++) expected[i] = i * 0.5f - 3;
    assertArrayEquals(expected, a.data());
  }

  @Test
  void readsFloat64RoundedToFloatInEitherByteOrder() {
    NpyArray little = Npy.read(fixture("le.npy", F8_2X3));
    assertArrayEquals(new int[] {2, 3}, little.shape());
    assertArrayEquals(new float[] {0.1f, 0.35f, 0.6f, 0.85f, 1.1f, 1.35f}, little.data());
    NpyArray big = Npy.read(fixture("be.npy", F8_BIG_ENDIAN));
    assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, big.data());
  }

  @Test
  void readsVersions2And3AndScalars() {
    assertEquals(new NpyArray(new int[] {3}, new float[] {1.5f, -2, 3}), Npy.read(fixture("v2.npy", V2)));
    assertEquals(new NpyArray(new int[] {3}, new float[] {1.5f, -2, 3}), Npy.read(fixture("v3.npy", V3)));
    assertEquals(new NpyArray(new int[] {}, new float[] {2.5f}), Npy.read(fixture("s.npy", SCALAR)));
  }

  @Test
  void writesTheSameBytesAsNumpy() throws Exception {
    Path file = dir.resolve("out.npy");
    float[] data = new float[24];
    for (int i = 0; i < 24; i++) data[i] = i * 0.5f - 3;
    Npy.write(file, new int[] {2, 3, 4}, data);
    assertArrayEquals(Base64.getDecoder().decode(F4_2X3X4), Files.readAllBytes(file));
    Npy.write(file, new int[] {}, new float[] {2.5f});
    assertArrayEquals(Base64.getDecoder().decode(SCALAR), Files.readAllBytes(file));
  }

  @Test
  void headerMatchesNumpyForAnImageBatch() {
    // np.save(f, np.zeros((2, 3, 227, 227), np.float32)): 128 bytes, with NumPy's spare room to grow axis 0.
    byte[] h = Npy.header(new int[] {2, 3, 227, 227});
    assertEquals(128, h.length);
    String text = new String(h, 10, h.length - 10, StandardCharsets.ISO_8859_1);
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 227, 227), }" + " ".repeat(48) + "\n", text);
  }

  @Test
  void roundTripsManyShapes() {
    int[][] shapes = {{}, {0}, {1}, {7}, {2, 3}, {1, 3, 227, 227}, {5, 0, 2}, {300000}};
    for (int[] shape : shapes) {
      int n = 1;
      for (int d : shape) n *= d;
      float[] data = SyntheticWeights.values("npy" + Arrays.toString(shape), shape, 0, 10);
      assertEquals(n, data.length);
      Path file = dir.resolve("rt.npy");
      Npy.write(file, shape, data);
      NpyArray back = Npy.read(file);
      assertArrayEquals(shape, back.shape(), Arrays.toString(shape));
      assertArrayEquals(data, back.data(), Arrays.toString(shape));
    }
  }

  @Test
  void writeIsAtomicAndLeavesNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("x.npy");
    Npy.write(file, new int[] {1}, new float[] {1});
    Npy.write(file, new int[] {2}, new float[] {1, 2});
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
    assertArrayEquals(new float[] {1, 2}, Npy.read(file).data());
  }

  @Test
  void fortranOrderIsRefused() {
    Path file = fixture("f.npy", FORTRAN);
    assertContains(fails(file), file.toString(), "Fortran", "np.ascontiguousarray");
  }

  @Test
  void otherDtypesAreRefusedByName() {
    Path file = fixture("i.npy", I64);
    assertContains(fails(file), file.toString(), "dtype '<i8'", "astype(np.float32)");
  }

  @Test
  void missingNotNpyTruncatedAndBadHeaders() {
    Path missing = dir.resolve("none.npy");
    assertContains(fails(missing), missing.toString(), "does not exist");

    Path text = RawFiles.write(dir.resolve("t.npy"), "hello, world".getBytes(StandardCharsets.US_ASCII));
    assertContains(fails(text), text.toString(), "not a .npy file");

    byte[] good = Base64.getDecoder().decode(F4_2X3X4);
    Path cut = RawFiles.write(dir.resolve("cut.npy"), Arrays.copyOf(good, good.length - 4));
    assertContains(fails(cut), cut.toString(), "truncated", "[2, 3, 4]", "needs 96 data bytes",
        "holds 92", "expected 224 bytes, actual 220");

    Path headerCut = RawFiles.write(dir.resolve("hc.npy"), Arrays.copyOf(good, 40));
    assertContains(fails(headerCut), headerCut.toString(), "truncated", "header needs 128 bytes");

    byte[] v9 = good.clone();
    v9[6] = 9;
    Path future = RawFiles.write(dir.resolve("v9.npy"), v9);
    assertContains(fails(future), future.toString(), "version 9.0");

    byte[] broken = good.clone();
    broken[60] = '@'; // inside the shape tuple
    Path bad = RawFiles.write(dir.resolve("bad.npy"), broken);
    assertContains(fails(bad), bad.toString(), "not a valid .npy header", "at character 50");
  }

  @Test
  void headerParserHandlesWhatNumpyEverWrote() {
    assertEquals(Arrays.asList(2L, 3L),
        NpyHeader.parse("{\"descr\": \"<f4\", 'fortran_order': False, 'shape': (2L, 3L)}").get("shape"));
    assertEquals(Arrays.asList(), NpyHeader.parse("{'shape': ()}").get("shape"));
    assertEquals(Arrays.asList(5L), NpyHeader.parse("{'shape': (5,), }").get("shape"));
    assertEquals(null, NpyHeader.parse("{'x': None}").get("x"));
    assertThrows(NpyHeader.SyntaxError.class, () -> NpyHeader.parse("{'shape': (2 3)}"));
    assertThrows(NpyHeader.SyntaxError.class, () -> NpyHeader.parse("{'a': nope}"));
    assertThrows(NpyHeader.SyntaxError.class, () -> NpyHeader.parse("{'a': 1} x"));
  }
}
