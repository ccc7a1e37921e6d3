package dev.netc.runtime.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PyTorch-made operation fixture: its metadata and its float32 tensors.
 *
 * <p>Stopgap: a minimal test-only safetensors reader (F32 only) until the real reader,
 * {@code dev.netc.runtime.io.SafeTensors}, is merged from branch {@code io}; then this delegates to it.
 */
record Fixture(String name, Map<String, String> metadata, Map<String, long[]> shapes, Map<String, float[]> data) {

  String attr(String key) {
    String v = metadata.get(key);
    if (v == null) throw new IllegalArgumentException(name + ": no metadata '" + key + "' in " + metadata);
    return v;
  }

  int intAttr(String key) {
    return Integer.parseInt(attr(key));
  }

  double doubleAttr(String key) {
    return Double.parseDouble(attr(key));
  }

  boolean boolAttr(String key, boolean absent) {
    return metadata.containsKey(key) ? Boolean.parseBoolean(attr(key)) : absent;
  }

  float[] tensor(String key) {
    float[] v = data.get(key);
    if (v == null) throw new IllegalArgumentException(name + ": no tensor '" + key + "'");
    return v;
  }

  static Fixture load(Path file) {
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength = Math.toIntExact(b.getLong(0));
      String json = new String(b.array(), 8, headerLength, java.nio.charset.StandardCharsets.UTF_8);
      @SuppressWarnings("unchecked")
      Map<String, Object> header = (Map<String, Object>) new Json(json).value();
      Map<String, String> meta = new LinkedHashMap<>();
      Map<String, long[]> shapes = new LinkedHashMap<>();
      Map<String, float[]> data = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : header.entrySet()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) e.getValue();
        if (e.getKey().equals("__metadata__")) {
          v.forEach((k, s) -> meta.put(k, (String) s));
          continue;
        }
        if (!"F32".equals(v.get("dtype"))) throw new IllegalArgumentException(file + ": " + e.getKey() + " is not F32");
        @SuppressWarnings("unchecked")
        List<Long> shape = (List<Long>) v.get("shape");
        @SuppressWarnings("unchecked")
        List<Long> offsets = (List<Long>) v.get("data_offsets");
        int start = 8 + headerLength + Math.toIntExact(offsets.get(0));
        float[] f = new float[Math.toIntExact((offsets.get(1) - offsets.get(0)) / 4)];
        for (int i = 0; i < f.length; i++) f[i] = b.getFloat(start + 4 * i);
        shapes.put(e.getKey(), shape.stream().mapToLong(Long::longValue).toArray());
        data.put(e.getKey(), f);
      }
      String name = file.getFileName().toString().replace(".safetensors", "");
      return new Fixture(name, meta, shapes, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Just enough JSON for a safetensors header: objects, arrays, strings, integers. */
  private static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        skip();
        if (s.charAt(i) == '}') { i++; return m; }
        while (true) {
          String k = (String) value();
          skip();
          expect(':');
          m.put(k, value());
          skip();
          if (s.charAt(i++) == '}') return m;
        }
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        skip();
        if (s.charAt(i) == ']') { i++; return l; }
        while (true) {
          l.add(value());
          skip();
          if (s.charAt(i++) == ']') return l;
        }
      }
      if (c == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (s.charAt(i) != '"') {
          if (s.charAt(i) == '\\') i++; // escapes do not occur in these headers beyond \" and \\
          b.append(s.charAt(i++));
        }
        i++;
        return b.toString();
      }
      int start = i;
      while (i < s.length() && "-0123456789".indexOf(s.charAt(i)) >= 0) i++;
      return Long.parseLong(s.substring(start, i));
    }

    private void expect(char c) {
      if (s.charAt(i++) != c) throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }
  }
}
