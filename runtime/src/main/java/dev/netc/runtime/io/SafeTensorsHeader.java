package dev.netc.runtime.io;

import dev.netc.runtime.WeightsException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and checked JSON header of a safetensors file: each tensor's dtype, shape and byte range, and the
 * optional {@code __metadata__}. Everything a later read relies on is checked here, once, so that reads only
 * fail for the reasons a caller can act on (a missing name, a wrong shape or dtype).
 */
final class SafeTensorsHeader {

  /** One tensor's header entry; {@code begin} and {@code end} are relative to the data section. */
  record Entry(String name, String dtype, long[] shape, long begin, long end) {
    long byteSize() {
      return end - begin;
    }
  }

  /** Bits per element of the dtypes the safetensors format defines; unknown ones are listed but unchecked. */
  private static final Map<String, Integer> DTYPE_BITS = Map.ofEntries(
      Map.entry("BOOL", 8), Map.entry("U8", 8), Map.entry("I8", 8),
      Map.entry("F8_E5M2", 8), Map.entry("F8_E4M3", 8), Map.entry("F8_E8M0", 8),
      Map.entry("F4", 4), Map.entry("F6_E2M3", 6), Map.entry("F6_E3M2", 6),
      Map.entry("I16", 16), Map.entry("U16", 16), Map.entry("F16", 16), Map.entry("BF16", 16),
      Map.entry("I32", 32), Map.entry("U32", 32), Map.entry("F32", 32),
      Map.entry("I64", 64), Map.entry("U64", 64), Map.entry("F64", 64));

  static final String METADATA_KEY = "__metadata__";

  final Map<String, Entry> entries;
  final Map<String, String> metadata;
  /** The largest end offset: how many data bytes the file must hold. */
  final long dataBytesNeeded;
  /** The tensor whose data ends last, for the truncation message. */
  final String lastTensor;

  private SafeTensorsHeader(Map<String, Entry> entries, Map<String, String> metadata, long needed, String last) {
    this.entries = Collections.unmodifiableMap(entries);
    this.metadata = Collections.unmodifiableMap(metadata);
    this.dataBytesNeeded = needed;
    this.lastTensor = last;
  }

  /** Decodes and checks a header; {@code file} is only used in messages. */
  static SafeTensorsHeader parse(byte[] bytes, String file) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WeightsException("the header of " + file + " is not valid UTF-8; truncated or not a safetensors file", e);
    }
    Object root;
    try {
      root = Json.parse(text);
    } catch (Json.SyntaxError e) {
      throw new WeightsException("the header of " + file + " is not valid JSON: " + e.getMessage()
          + "; truncated or not a safetensors file", e);
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw corrupt(file, "the header is a JSON " + kind(root) + ", not an object");
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : top.entrySet()) {
      String name = (String) e.getKey();
      if (name.equals(METADATA_KEY)) {
        readMetadata(e.getValue(), file, metadata);
      } else {
        entries.put(name, entry(name, e.getValue(), file));
      }
    }
    checkNoOverlap(entries, file);
    long needed = 0;
    String last = null;
    for (Entry en : entries.values()) {
      if (en.end() > needed || last == null) {
        needed = Math.max(needed, en.end());
        last = en.name();
      }
    }
    return new SafeTensorsHeader(entries, metadata, needed, last);
  }

  private static void readMetadata(Object value, String file, Map<String, String> out) {
    if (value == null) return; // Some writers emit "__metadata__": null for "none".
    if (!(value instanceof Map<?, ?> m)) {
      throw corrupt(file, "__metadata__ is a JSON " + kind(value) + ", not an object of strings");
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw corrupt(file, "__metadata__ value for '" + e.getKey() + "' is a JSON " + kind(e.getValue())
            + "; the format allows only strings");
      }
      out.put((String) e.getKey(), s);
    }
  }

  private static Entry entry(String name, Object value, String file) {
    if (!(value instanceof Map<?, ?> m)) {
      throw corruptTensor(file, name, "its header entry is a JSON " + kind(value) + ", not an object");
    }
    if (!(m.get("dtype") instanceof String dtype)) {
      throw corruptTensor(file, name, "its \"dtype\" is missing or not a string");
    }
    long[] shape = longs(m.get("shape"), "shape", -1, file, name);
    long[] offsets = longs(m.get("data_offsets"), "data_offsets", 2, file, name);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end) {
      throw corruptTensor(file, name, "its data_offsets [" + begin + ", " + end
          + "] lie outside the data section (begin after end)");
    }
    Integer bits = DTYPE_BITS.get(dtype);
    if (bits != null) {
      BigInteger elements = BigInteger.ONE;
      for (long d : shape) elements = elements.multiply(BigInteger.valueOf(d));
      BigInteger expectedBits = elements.multiply(BigInteger.valueOf(bits));
      BigInteger actualBits = BigInteger.valueOf(end - begin).shiftLeft(3);
      if (!expectedBits.equals(actualBits)) {
        throw corruptTensor(file, name, "shape " + Arrays.toString(shape) + " of " + dtype + " needs "
            + describeBits(expectedBits) + " but its data_offsets [" + begin + ", " + end + "] hold "
            + (end - begin) + " bytes");
      }
    }
    if (end - begin > Integer.MAX_VALUE - 8) {
      // Java arrays and buffers index with int; no single layer of a CNN comes near this.
      throw new WeightsException("tensor '" + name + "' in " + file + " is " + (end - begin)
          + " bytes; netc reads tensors of under 2 GiB");
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static String describeBits(BigInteger bits) {
    BigInteger[] qr = bits.divideAndRemainder(BigInteger.valueOf(8));
    return qr[1].signum() == 0 ? qr[0] + " bytes" : bits + " bits (not a whole number of bytes)";
  }

  /** Reads a JSON array of non-negative integers that fit a long; {@code length} -1 means any length. */
  private static long[] longs(Object value, String field, int length, String file, String tensor) {
    if (!(value instanceof List<?> list)) {
      throw corruptTensor(file, tensor, "its \"" + field + "\" is missing or not an array");
    }
    if (length >= 0 && list.size() != length) {
      throw corruptTensor(file, tensor, "its \"" + field + "\" has " + list.size() + " numbers, not " + length);
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object o = list.get(i);
      if (!(o instanceof Long l) || l < 0) {
        throw corruptTensor(file, tensor, "its \"" + field + "\" " + list
            + " holds something other than a non-negative integer below 2^63");
      }
      out[i] = l;
    }
    return out;
  }

  /** Two tensors sharing bytes would silently alias each other; real writers never produce that. */
  private static void checkNoOverlap(Map<String, Entry> entries, String file) {
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.removeIf(e -> e.byteSize() == 0);
    sorted.sort((a, b) -> Long.compare(a.begin(), b.begin()));
    for (int i = 1; i < sorted.size(); i++) {
      Entry prev = sorted.get(i - 1);
      Entry cur = sorted.get(i);
      if (cur.begin() < prev.end()) {
        throw corruptTensor(file, cur.name(), "its data_offsets [" + cur.begin() + ", " + cur.end()
            + "] overlap those of '" + prev.name() + "' [" + prev.begin() + ", " + prev.end() + "]");
      }
    }
  }

  private static String kind(Object o) {
    if (o == null) return "null";
    if (o instanceof Map) return "object";
    if (o instanceof List) return "array";
    if (o instanceof String) return "string";
    if (o instanceof Boolean) return "boolean";
    return "number";
  }

  private static WeightsException corrupt(String file, String what) {
    return new WeightsException(file + " is corrupt: " + what);
  }

  private static WeightsException corruptTensor(String file, String tensor, String what) {
    return new WeightsException(file + " is corrupt: tensor '" + tensor + "': " + what);
  }
}
