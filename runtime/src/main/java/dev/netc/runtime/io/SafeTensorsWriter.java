package dev.netc.runtime.io;

import dev.netc.runtime.WeightsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes float32 tensors to a safetensors file that {@link SafeTensors} and Python's {@code
 * safetensors.torch.load_file} both read.
 *
 * <pre>{@code
 * new SafeTensorsWriter()
 *     .put("conv1.weight", new int[] {96, 3, 11, 11}, w)
 *     .put("conv1.bias", new int[] {96}, b)
 *     .metadata("source", "alexnet.py")
 *     .write(Path.of("w.safetensors"));
 * }</pre>
 *
 * <p>Tensors are laid out in the order they were put. As the reference writer does, the JSON header is padded
 * with spaces to a multiple of 8 bytes, so the data section starts aligned. The file is written atomically (a
 * temporary file, forced to disk, then renamed over the target), so a crash never leaves a half-written file.
 */
public final class SafeTensorsWriter {
  private final Map<String, NamedTensor> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds a tensor (the arrays are kept, not copied, until {@link #write}). */
  public SafeTensorsWriter put(String name, int[] dims, float[] data) {
    return put(new NamedTensor(name, dims, data));
  }

  /**
   * Adds a tensor.
   *
   * @throws IllegalArgumentException if a tensor of this name was already put or the name is "__metadata__"
   */
  public SafeTensorsWriter put(NamedTensor tensor) {
    if (tensor.name().equals(SafeTensorsHeader.METADATA_KEY)) {
      throw new IllegalArgumentException("\"__metadata__\" is reserved by the safetensors format; rename the tensor");
    }
    if (tensors.putIfAbsent(tensor.name(), tensor) != null) {
      throw new IllegalArgumentException("tensor '" + tensor.name() + "' was already put");
    }
    return this;
  }

  /** Adds all these tensors, in order. */
  public SafeTensorsWriter putAll(Iterable<NamedTensor> all) {
    for (NamedTensor t : all) put(t);
    return this;
  }

  /** Adds one entry of the string-to-string {@code __metadata__}. */
  public SafeTensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** The names put so far, in order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(tensors.keySet()));
  }

  /**
   * Writes the file, replacing any file of that name only once the new one is complete.
   *
   * @throws WeightsException naming the file if it cannot be written
   */
  public void write(Path file) {
    byte[] header = header();
    List<NamedTensor> order = new ArrayList<>(tensors.values());
    try {
      AtomicFiles.write(file, ch -> {
        writeFully(ch, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
        writeFully(ch, ByteBuffer.wrap(header));
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (NamedTensor t : order) {
          writeFloats(ch, t.data(), buf);
        }
      });
    } catch (IOException e) {
      throw new WeightsException("cannot write weights file " + file.toAbsolutePath() + ": " + e, e);
    }
  }

  /** The JSON header, padded with spaces so that 8 + its length is a multiple of 8. */
  byte[] header() {
    StringBuilder json = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      Json.quote(SafeTensorsHeader.METADATA_KEY, json);
      json.append(":{");
      boolean first = true;
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        if (!first) json.append(',');
        first = false;
        Json.quote(e.getKey(), json);
        json.append(':');
        Json.quote(e.getValue(), json);
      }
      json.append('}');
    }
    long offset = 0;
    for (NamedTensor t : tensors.values()) {
      if (json.length() > 1) json.append(',');
      long end = offset + (long) t.data().length * Float.BYTES;
      Json.quote(t.name(), json);
      json.append(":{\"dtype\":\"F32\",\"shape\":[");
      int[] dims = t.dims();
      for (int i = 0; i < dims.length; i++) {
        if (i > 0) json.append(',');
        json.append(dims[i]);
      }
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (raw.length + 7) / 8 * 8;
    byte[] out = new byte[padded];
    System.arraycopy(raw, 0, out, 0, raw.length);
    for (int i = raw.length; i < padded; i++) out[i] = ' ';
    return out;
  }

  private static void writeFloats(FileChannel ch, float[] data, ByteBuffer buf) throws IOException {
    FloatBuffer floats = buf.clear().asFloatBuffer();
    int perBuffer = floats.capacity();
    for (int i = 0; i < data.length; i += perBuffer) {
      int n = Math.min(perBuffer, data.length - i);
      floats.clear();
      floats.put(data, i, n);
      writeFully(ch, buf.clear().limit(n * Float.BYTES));
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) ch.write(buf);
  }
}
