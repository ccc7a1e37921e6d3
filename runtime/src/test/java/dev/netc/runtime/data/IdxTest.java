package dev.netc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.NetcException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  /** An IDX file: magic 0x0000TTRR, dims, data; gzip-compressed if asked. */
  static Path write(Path file, int type, int[] dims, byte[] data, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt((type << 8) | dims.length);
      for (int d : dims) out.writeInt(d);
      out.write(data);
    }
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes.toByteArray());
    }
    return file;
  }

  @Test
  void readsPlainAndGzippedFiles() throws IOException {
    byte[] data = new byte[2 * 3 * 4];
    for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 11);
    for (boolean gzip : new boolean[] {false, true}) {
      Path f = write(dir.resolve("x" + gzip), 0x08, new int[] {2, 3, 4}, data, gzip);
      Idx.Array a = Idx.read(f, 3);
      assertArrayEquals(new int[] {2, 3, 4}, a.dims());
      assertArrayEquals(data, a.data());
      assertEquals(2, a.count());
      assertEquals(12, a.itemSize());
      assertEquals(253, a.data()[23] & 0xff, "unsigned");
    }
  }

  @Test
  void everyMalformedFileIsAnErrorNamingIt() throws IOException {
    Path wrongRank = write(dir.resolve("rank"), 0x08, new int[] {5}, new byte[5], true);
    NetcException e = assertThrows(NetcException.class, () -> Idx.read(wrongRank, 3));
    assertEquals("IDX file " + wrongRank + " has 1 dimensions but 3 were expected (images)", e.getMessage());

    Path floats = write(dir.resolve("float"), 0x0D, new int[] {1}, new byte[4], false);
    e = assertThrows(NetcException.class, () -> Idx.read(floats, 1));
    assertTrue(e.getMessage().contains("type 0x0d; only unsigned bytes (0x08)"), e.getMessage());

    Path truncated = write(dir.resolve("short"), 0x08, new int[] {10}, new byte[7], true);
    e = assertThrows(NetcException.class, () -> Idx.read(truncated, 1));
    assertEquals("IDX file " + truncated + " is truncated: it ends before its header says it does", e.getMessage());

    Path longer = write(dir.resolve("long"), 0x08, new int[] {3}, new byte[4], false);
    e = assertThrows(NetcException.class, () -> Idx.read(longer, 1));
    assertTrue(e.getMessage().contains("has data past the 3 values"), e.getMessage());

    Path text = Files.writeString(dir.resolve("text"), "hello, world");
    e = assertThrows(NetcException.class, () -> Idx.read(text, 1));
    assertTrue(e.getMessage().startsWith(text + " is not an IDX file"), e.getMessage());

    Path missing = dir.resolve("none.gz");
    e = assertThrows(NetcException.class, () -> Idx.read(missing, 1));
    assertEquals("IDX file " + missing + " does not exist", e.getMessage());
  }

  @Test
  void fashionMnistFromADirectoryOfItsOwn() throws IOException {
    byte[] pixels = new byte[3 * 28 * 28];
    Arrays.fill(pixels, (byte) 255);
    pixels[0] = 0;
    for (String split : new String[] {"train", "t10k"}) {
      write(dir.resolve(split + "-images-idx3-ubyte.gz"), 0x08, new int[] {3, 28, 28}, pixels, true);
      write(dir.resolve(split + "-labels-idx1-ubyte.gz"), 0x08, new int[] {3}, new byte[] {9, 0, 4}, true);
    }
    assertTrue(FashionMnist.isInstalled(dir));
    LabelledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
    assertEquals("fashion-mnist test", test.name());
    assertEquals(3, test.size());
    assertArrayEquals(new int[] {9, 0, 4}, test.labels());
    assertEquals(0f, test.pixels()[0]);
    assertEquals(1f, test.pixels()[1]);
    assertEquals("Ankle boot", test.classNames()[test.labels()[0]]);

    write(dir.resolve("t10k-labels-idx1-ubyte.gz"), 0x08, new int[] {3}, new byte[] {9, 10, 4}, true);
    NetcException e = assertThrows(NetcException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
    assertTrue(e.getMessage().contains("label 10 of image 1 is not a Fashion-MNIST class"), e.getMessage());
  }

  @Test
  void aMissingDataSetSaysHowToInstallIt() {
    NetcException e = assertThrows(NetcException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
    assertTrue(e.getMessage().startsWith("Fashion-MNIST is not in " + dir), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
  }
}
