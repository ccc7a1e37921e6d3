package dev.netc.runtime.reference;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.io.SafeTensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** One PyTorch-made operation fixture: its metadata ({@code op} and attributes) and its float32 tensors. */
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

  /** Reads every tensor and the metadata of {@code file} with the runtime's safetensors reader. */
  static Fixture load(Path file) {
    try (SafeTensors st = SafeTensors.open(file)) {
      Map<String, long[]> shapes = new LinkedHashMap<>();
      Map<String, float[]> data = new LinkedHashMap<>();
      for (String name : st.names()) {
        long[] dims = st.shape(name);
        shapes.put(name, dims);
        data.put(name, st.get(new WeightSpec(name, Arrays.stream(dims).mapToInt(Math::toIntExact).toArray())));
      }
      String name = file.getFileName().toString().replace(".safetensors", "");
      return new Fixture(name, Map.copyOf(st.metadata()), shapes, data);
    }
  }
}
