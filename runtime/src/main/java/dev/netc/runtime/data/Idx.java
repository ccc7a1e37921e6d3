package dev.netc.runtime.data;

import dev.netc.runtime.NetcException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format (LeCun's MNIST files, also Fashion-MNIST): a 4-byte magic {@code 0, 0, type, rank},
 * {@code rank} big-endian 32-bit dimensions, then the values in row-major order. Only unsigned bytes (type
 * {@code 0x08}), the type of every image and label file of these data sets, are read. Files may be
 * gzip-compressed (recognised by content, not by name). Every error names the file and what was expected.
 */
public final class Idx {
  private static final int UNSIGNED_BYTE = 0x08;

  private Idx() {}

  /**
   * An IDX array of unsigned bytes.
   *
   * @param dims the dimensions, outermost first (e.g. {@code [60000, 28, 28]})
   * @param data the values, row-major, each {@code 0..255} stored in a byte (read with {@code & 0xff})
   */
  public record Array(int[] dims, byte[] data) {
    /** The number of items along the first dimension. */
    public int count() {
      return dims[0];
    }

    /** Values per item: the product of all dimensions but the first. */
    public int itemSize() {
      int n = 1;
      for (int i = 1; i < dims.length; i++) n *= dims[i];
      return n;
    }
  }

  /**
   * Reads a whole file.
   *
   * @param expectedRank the number of dimensions the caller needs (3 for images, 1 for labels)
   * @throws NetcException when the file is missing, unreadable, not IDX, of another rank or type, or truncated
   */
  public static Array read(Path file, int expectedRank) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      try (DataInputStream in = new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16)
          : raw)) {
        return read(in, file, expectedRank);
      }
    } catch (NoSuchFileException e) {
      throw new NetcException("IDX file " + file + " does not exist");
    } catch (EOFException e) {
      throw new NetcException("IDX file " + file + " is truncated: it ends before its header says it does");
    } catch (IOException e) {
      throw new NetcException("cannot read IDX file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Array read(DataInputStream in, Path file, int expectedRank) throws IOException {
    int magic = in.readInt();
    int type = (magic >>> 8) & 0xff;
    int rank = magic & 0xff;
    if ((magic >>> 16) != 0) {
      throw new NetcException(String.format("%s is not an IDX file: it starts with 0x%08x, not 0x0000TTRR", file, magic));
    }
    if (type != UNSIGNED_BYTE) {
      throw new NetcException(String.format("IDX file %s holds values of type 0x%02x; only unsigned bytes (0x08) are"
          + " supported", file, type));
    }
    if (rank != expectedRank) {
      throw new NetcException("IDX file " + file + " has " + rank + " dimensions but " + expectedRank
          + " were expected (" + (expectedRank == 1 ? "labels" : "images") + ")");
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readInt();
      if (dims[i] < 0) throw new NetcException("IDX file " + file + " declares a negative dimension " + dims[i]);
      total *= dims[i];
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new NetcException("IDX file " + file + " declares " + total + " values " + Arrays.toString(dims)
          + ", more than one Java array holds");
    }
    byte[] data = new byte[(int) total];
    in.readFully(data);
    if (in.read() != -1) {
      throw new NetcException("IDX file " + file + " has data past the " + total + " values its header declares "
          + Arrays.toString(dims));
    }
    return new Array(dims, data);
  }
}
