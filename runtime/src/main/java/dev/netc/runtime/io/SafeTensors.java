package dev.netc.runtime.io;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import dev.netc.runtime.WeightsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * Weights read from a <a href="https://github.com/huggingface/safetensors">safetensors</a> file, the format
 * PyTorch users save with {@code safetensors.torch.save_file(model.state_dict(), "w.safetensors")}.
 *
 * <p>The file is an 8-byte little-endian header length N, N bytes of JSON naming each tensor's dtype, shape and
 * byte range in the data section, then the data section. {@link #open} reads and checks the whole header, so a
 * corrupt or truncated file fails at once with a message naming the file; the data is memory-mapped and only
 * touched when a tensor is read. netc computes in float32, so {@link #get} reads F32 tensors; others (such as
 * BatchNorm's I64 {@code num_batches_tracked}) are listed and skipped unless asked for.
 *
 * <p>Files may exceed 2 GiB while a Java buffer cannot, so the data section is mapped lazily in chunks of
 * 1 GiB; a tensor that straddles two chunks is copied across the boundary or, for
 * {@link #view}, mapped on its own.
 *
 * <p>Reads are safe from several threads. After {@link #close()} every method throws a {@link
 * WeightsException} saying so; buffers from {@link #view} stay readable until garbage collected, as Java
 * cannot unmap a file explicitly.
 */
public final class SafeTensors implements Weights {
  /** 1 GiB: few chunks for any real model, far from the 2 GiB limit of one buffer. */
  static final long DEFAULT_CHUNK_BYTES = 1L << 30;
  /** The reference implementation refuses larger headers; a bigger length means a damaged or foreign file. */
  private static final long MAX_HEADER_BYTES = 100_000_000;

  private final String source;
  private final SafeTensorsHeader header;
  private final FileChannel channel;
  private final long dataStart;
  private final long dataBytes;
  private final long chunkBytes;
  private final MappedByteBuffer[] chunks;
  private volatile boolean closed;

  private SafeTensors(String source, SafeTensorsHeader header, FileChannel channel, long dataStart,
      long dataBytes, long chunkBytes) {
    this.source = source;
    this.header = header;
    this.channel = channel;
    this.dataStart = dataStart;
    this.dataBytes = dataBytes;
    this.chunkBytes = chunkBytes;
    this.chunks = new MappedByteBuffer[(int) ((dataBytes + chunkBytes - 1) / chunkBytes)];
  }

  /**
   * Opens a safetensors file and checks its header.
   *
   * @throws WeightsException if the file is missing or unreadable, truncated, or its header is not valid
   *     safetensors JSON; the message names the file and, where one is at fault, the tensor
   */
  public static SafeTensors open(Path file) {
    return open(file, DEFAULT_CHUNK_BYTES);
  }

  /** As {@link #open(Path)} with a chosen chunk size, so tests can cross chunk boundaries with small files. */
  static SafeTensors open(Path file, long chunkBytes) {
    if (chunkBytes <= 0 || chunkBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("chunk size must be in (0, 2^31): " + chunkBytes);
    }
    String source = file.toAbsolutePath().normalize().toString();
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new WeightsException("weights file " + source + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new WeightsException("weights file " + source + " cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new WeightsException("weights file " + source + " cannot be opened: " + e, e);
    }
    try {
      return read(source, channel, chunkBytes);
    } catch (RuntimeException e) {
      closeQuietly(channel, e);
      throw e;
    } catch (IOException e) {
      closeQuietly(channel, e);
      throw new WeightsException("cannot read weights file " + source + ": " + e, e);
    }
  }

  private static SafeTensors read(String source, FileChannel channel, long chunkBytes) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new WeightsException(source + " is " + size + " bytes, too short to be a safetensors file"
          + " (it must start with an 8-byte header length)");
    }
    ByteBuffer lenBuf = readFully(channel, 0, 8);
    long headerLen = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    // Compare as unsigned: a u64 above 2^63 reads as negative here.
    if (Long.compareUnsigned(headerLen, size - 8) > 0) {
      throw new WeightsException(source + " declares a " + Long.toUnsignedString(headerLen)
          + "-byte header but the file has only " + size + " bytes; truncated or not a safetensors file");
    }
    if (headerLen > MAX_HEADER_BYTES) {
      throw new WeightsException(source + " declares a " + headerLen + "-byte header, more than the "
          + MAX_HEADER_BYTES + " bytes safetensors allows; not a safetensors file");
    }
    byte[] headerBytes = readFully(channel, 8, (int) headerLen).array();
    SafeTensorsHeader header = SafeTensorsHeader.parse(headerBytes, source);
    long dataStart = 8 + headerLen;
    long dataBytes = size - dataStart;
    if (header.dataBytesNeeded > dataBytes) {
      throw new WeightsException(source + " is truncated: its data section should hold "
          + header.dataBytesNeeded + " bytes (tensor '" + header.lastTensor + "' ends there) but holds only "
          + dataBytes + " (expected a file of at least " + (dataStart + header.dataBytesNeeded)
          + " bytes, actual " + size + ")");
    }
    return new SafeTensors(source, header, channel, dataStart, dataBytes, chunkBytes);
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new IOException("unexpected end of file at byte " + (position + buf.position()));
      }
    }
    return buf.flip();
  }

  /**
   * Copies an F32 tensor out as a new array, after checking it exists with exactly the dims the spec asks for.
   *
   * @throws WeightsException if the tensor is missing (similar names are listed), is not F32, or has another
   *     shape (both shapes are given)
   */
  @Override
  public float[] get(WeightSpec spec) {
    SafeTensorsHeader.Entry e = entry(spec.name());
    checkF32(e);
    WeightChecks.checkShape(spec, e.shape(), source);
    int bytes = (int) e.byteSize();
    float[] out = new float[bytes / Float.BYTES];
    ByteBuffer inOneChunk = sliceInOneChunk(e);
    if (inOneChunk != null) {
      inOneChunk.asFloatBuffer().get(out);
      return out;
    }
    // Straddles chunks: gather the bytes first, since a float may itself be split by the boundary.
    ByteBuffer gathered = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long pos = e.begin();
    while (pos < e.end()) {
      int chunk = (int) (pos / chunkBytes);
      long chunkStart = chunk * chunkBytes;
      int from = (int) (pos - chunkStart);
      int n = (int) Math.min(e.end() - pos, chunkBytes - from);
      gathered.put(chunk(chunk).duplicate().position(from).limit(from + n));
      pos += n;
    }
    gathered.flip().asFloatBuffer().get(out);
    return out;
  }

  /**
   * The tensor as a view of the mapped file (shape checked as by {@link #get}) when the machine is
   * little-endian like the file, so a device upload copies straight from the page cache; else a copy.
   */
  @Override
  public FloatBuffer buffer(WeightSpec spec) {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) return Weights.super.buffer(spec);
    SafeTensorsHeader.Entry e = entry(spec.name());
    checkF32(e);
    WeightChecks.checkShape(spec, e.shape(), source);
    return view(spec.name());
  }

  /**
   * A read-only, little-endian view of an F32 tensor's data in the mapped file, without copying. The buffer
   * is independent of other calls (its position and limit are its own).
   *
   * @throws WeightsException if the tensor is missing or not F32
   */
  public FloatBuffer view(String name) {
    SafeTensorsHeader.Entry e = entry(name);
    checkF32(e);
    ByteBuffer bytes = sliceInOneChunk(e);
    if (bytes == null) {
      try {
        bytes = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteSize());
      } catch (IOException ex) {
        throw new WeightsException("cannot map tensor '" + name + "' of " + source + ": " + ex, ex);
      }
    }
    return bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().asReadOnlyBuffer();
  }

  @Override
  public boolean contains(String name) {
    checkOpen();
    return header.entries.containsKey(name);
  }

  /** The file's absolute path. */
  @Override
  public String source() {
    return source;
  }

  /** The file's {@code __metadata__} (string to string, in file order); empty when it has none. */
  public Map<String, String> metadata() {
    checkOpen();
    return header.metadata;
  }

  /** The names of all tensors, whatever their dtype, in the order the header lists them. */
  public Set<String> names() {
    checkOpen();
    return header.entries.keySet();
  }

  /** The tensor's dtype as the format spells it: "F32", "F16", "BF16", "I64", ... */
  public String dtype(String name) {
    return entry(name).dtype();
  }

  /** The tensor's shape as stored (a scalar has shape {@code []}); a new array each call. */
  public long[] shape(String name) {
    return entry(name).shape().clone();
  }

  /** Closes the file; later calls throw. Closing twice is harmless. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      throw new WeightsException("cannot close " + source + ": " + e, e);
    }
  }

  private SafeTensorsHeader.Entry entry(String name) {
    checkOpen();
    SafeTensorsHeader.Entry e = header.entries.get(name);
    if (e == null) {
      throw WeightChecks.missing(name, source, header.entries.keySet());
    }
    return e;
  }

  private void checkF32(SafeTensorsHeader.Entry e) {
    if (!e.dtype().equals("F32")) {
      throw WeightChecks.wrongDtype(e.name(), e.dtype(), source);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new WeightsException("weights file " + source + " was closed; read the weights before closing it");
    }
  }

  /** The tensor's bytes as a little-endian slice if one chunk holds them all, else null. */
  private ByteBuffer sliceInOneChunk(SafeTensorsHeader.Entry e) {
    if (e.byteSize() == 0) {
      return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    int first = (int) (e.begin() / chunkBytes);
    int last = (int) ((e.end() - 1) / chunkBytes);
    if (first != last) {
      return null;
    }
    int from = (int) (e.begin() - first * chunkBytes);
    return chunk(first).duplicate().position(from).limit(from + (int) e.byteSize())
        .slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Maps chunk {@code i} of the data section on first use. */
  private MappedByteBuffer chunk(int i) {
    synchronized (chunks) {
      checkOpen();
      if (chunks[i] == null) {
        long start = i * chunkBytes;
        long length = Math.min(chunkBytes, dataBytes - start);
        try {
          chunks[i] = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + start, length);
        } catch (IOException ex) {
          throw new WeightsException("cannot map bytes " + start + " to " + (start + length)
              + " of the data section of " + source + ": " + ex, ex);
        }
      }
      return chunks[i];
    }
  }

  private static void closeQuietly(FileChannel channel, Exception primary) {
    try {
      channel.close();
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }
}
