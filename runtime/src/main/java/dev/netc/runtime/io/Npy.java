package dev.netc.runtime.io;

import dev.netc.runtime.NetcException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files, the format of {@code np.save}: test inputs and expected outputs
 * made with PyTorch travel this way.
 *
 * <p>Reads format versions 1.0, 2.0 and 3.0, C order, dtype float32 ({@code '<f4'}) or float64 ({@code
 * '<f8'}, rounded to float), either byte order. Writes version 1.0, float32, C order, byte for byte what {@code
 * np.save} writes for the same float32 array (so files can be compared with ones made in Python). Errors are
 * {@link NetcException}s naming the file.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** NumPy aligns the data to 64 bytes so it can be memory-mapped for any dtype. */
  private static final int ALIGN = 64;
  private static final int IO_BYTES = 1 << 20;
  /** NumPy leaves room for the first dimension to grow to this many digits without rewriting the file. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  private Npy() {}

  /**
   * Reads a float32 or float64 array.
   *
   * @throws NetcException naming the file if it is missing, not a .npy file, truncated, in Fortran order, or of
   *     another dtype
   */
  public static NpyArray read(Path file) {
    String name = file.toAbsolutePath().normalize().toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch, name);
    } catch (NoSuchFileException e) {
      throw new NetcException(".npy file " + name + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new NetcException(".npy file " + name + " cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new NetcException("cannot read .npy file " + name + ": " + e, e);
    }
  }

  private static NpyArray read(FileChannel ch, String file) throws IOException {
    long size = ch.size();
    ByteBuffer start = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    int got = readUpTo(ch, start, 0);
    byte[] magic = Arrays.copyOf(start.array(), Math.min(got, MAGIC.length));
    if (!Arrays.equals(magic, MAGIC)) {
      throw new NetcException(file + " is not a .npy file: it does not start with \\x93NUMPY");
    }
    if (got < 10) {
      throw new NetcException(file + " is truncated: " + size + " bytes, too short for a .npy header");
    }
    int major = start.get(6) & 0xff;
    int minor = start.get(7) & 0xff;
    long headerLen;
    int prefix;
    if (major == 1) {
      headerLen = start.getShort(8) & 0xffff;
      prefix = 10;
    } else if (major == 2 || major == 3) {
      if (got < 12) throw new NetcException(file + " is truncated: too short for a .npy " + major + ".0 header");
      headerLen = start.getInt(8) & 0xffffffffL;
      prefix = 12;
    } else {
      throw new NetcException(file + " is .npy format version " + major + "." + minor
          + "; netc reads versions 1.0, 2.0 and 3.0");
    }
    if (prefix + headerLen > size) {
      throw new NetcException(file + " is truncated: its header needs " + (prefix + headerLen)
          + " bytes but the file has " + size);
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readUpTo(ch, hb, prefix);
    // Version 3.0 exists only to allow UTF-8 in the header (structured field names); earlier ones are latin-1.
    String headerText = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = header(headerText, file);

    long n = 1;
    for (int d : h.shape) n *= d;
    long dataStart = prefix + headerLen;
    long needed = n * h.itemSize;
    if (size - dataStart < needed) {
      throw new NetcException(file + " is truncated: shape " + Arrays.toString(h.shape) + " of " + h.descr
          + " needs " + needed + " data bytes but the file holds " + (size - dataStart) + " (expected "
          + (dataStart + needed) + " bytes, actual " + size + ")");
    }
    float[] data = new float[(int) n];
    readData(ch, dataStart, data, h);
    return new NpyArray(h.shape, data);
  }

  private record Header(String descr, ByteOrder order, int itemSize, int[] shape) {}

  private static Header header(String text, String file) {
    Map<String, Object> dict;
    try {
      dict = NpyHeader.parse(text);
    } catch (NpyHeader.SyntaxError e) {
      throw new NetcException("the header of " + file + " is not a valid .npy header: " + e.getMessage()
          + " (header: " + text.strip() + ")", e);
    }
    Object descr = dict.get("descr");
    if (!(descr instanceof String d)) {
      throw new NetcException(file + " has dtype " + describe(descr) + "; netc reads float32 ('<f4') arrays,"
          + " not structured ones");
    }
    ByteOrder order;
    if (d.startsWith("<") || d.startsWith("|")) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else if (d.startsWith(">")) {
      order = ByteOrder.BIG_ENDIAN;
    } else {
      order = ByteOrder.nativeOrder(); // '=' or no prefix
    }
    String kind = d.replaceFirst("^[<>|=]", "");
    int itemSize;
    if (kind.equals("f4")) {
      itemSize = 4;
    } else if (kind.equals("f8")) {
      itemSize = 8;
    } else {
      throw new NetcException(file + " has dtype '" + d + "'; netc reads float32 ('<f4') or float64 ('<f8')"
          + " arrays only; save it with np.save(path, a.astype(np.float32))");
    }
    if (!Boolean.FALSE.equals(dict.get("fortran_order"))) {
      if (Boolean.TRUE.equals(dict.get("fortran_order"))) {
        throw new NetcException(file + " is stored in Fortran (column-major) order; netc reads C order only:"
            + " save it with np.save(path, np.ascontiguousarray(a))");
      }
      throw new NetcException("the header of " + file + " has no valid 'fortran_order' (True or False)");
    }
    return new Header(d, order, itemSize, shape(dict.get("shape"), file));
  }

  private static int[] shape(Object value, String file) {
    if (!(value instanceof List<?> list)) {
      throw new NetcException("the header of " + file + " has no valid 'shape' tuple: " + describe(value));
    }
    int[] shape = new int[list.size()];
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!(list.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
        throw new NetcException("the header of " + file + " has an invalid shape " + list);
      }
      shape[i] = (int) (long) d;
      n *= d;
      if (n > Integer.MAX_VALUE - 8) {
        throw new NetcException(file + " has shape " + list + ", too many values for one Java array");
      }
    }
    return shape;
  }

  private static String describe(Object o) {
    return o == null ? "None" : o.toString();
  }

  private static void readData(FileChannel ch, long position, float[] out, Header h) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(IO_BYTES).order(h.order);
    int perRead = IO_BYTES / h.itemSize;
    long pos = position;
    for (int i = 0; i < out.length; i += perRead) {
      int count = Math.min(perRead, out.length - i);
      buf.clear().limit(count * h.itemSize);
      pos += readUpTo(ch, buf, pos);
      buf.flip();
      if (h.itemSize == 4) {
        buf.asFloatBuffer().get(out, i, count);
      } else {
        for (int k = 0; k < count; k++) out[i + k] = (float) buf.getDouble(k * 8);
      }
    }
  }

  /** Reads until the buffer is full or the file ends; returns how many bytes were read. */
  private static int readUpTo(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    int total = 0;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, position + total);
      if (r < 0) break;
      total += r;
    }
    return total;
  }

  /** Writes a float32, C-order, version 1.0 .npy file (atomically: a temp file renamed over the target). */
  public static void write(Path file, NpyArray array) {
    byte[] header = header(array.shape());
    float[] data = array.data();
    try {
      AtomicFiles.write(file, ch -> {
        writeFully(ch, ByteBuffer.wrap(header));
        ByteBuffer buf = ByteBuffer.allocateDirect(IO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = buf.asFloatBuffer();
        for (int i = 0; i < data.length; i += floats.capacity()) {
          int n = Math.min(floats.capacity(), data.length - i);
          floats.clear();
          floats.put(data, i, n);
          writeFully(ch, buf.clear().limit(n * Float.BYTES));
        }
      });
    } catch (IOException e) {
      throw new NetcException("cannot write .npy file " + file.toAbsolutePath() + ": " + e, e);
    }
  }

  /** Writes a float32, C-order .npy file of this shape. */
  public static void write(Path file, int[] shape, float[] data) {
    write(file, new NpyArray(shape, data));
  }

  /**
   * Magic, version 1.0, length, and the dict byte for byte as NumPy's {@code np.save} writes it: the keys in
   * sorted order, spare spaces so the first dimension can grow to 21 digits in place, then spaces and a newline
   * up to a multiple of 64 bytes (a whole 64 more when it already is one, as NumPy does).
   */
  static byte[] header(int[] shape) {
    StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) dict.append(", ");
      dict.append(shape[i]);
    }
    if (shape.length == 1) dict.append(','); // Python's one-element tuple
    dict.append("), }");
    if (shape.length > 0) {
      dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
    }
    int hlen = dict.length() + 1; // + 1 for the final '\n'
    int pad = ALIGN - (10 + hlen) % ALIGN;
    dict.append(" ".repeat(pad)).append('\n');
    int total = 10 + hlen + pad;
    if (total - 10 > 0xffff) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too long for a .npy 1.0 header");
    }
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) (total - 10));
    b.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
    return b.array();
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) ch.write(buf);
  }
}
