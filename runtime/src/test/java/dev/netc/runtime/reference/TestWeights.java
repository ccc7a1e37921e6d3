package dev.netc.runtime.reference;

import dev.netc.graph.Graph;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import dev.netc.runtime.WeightsException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** In-memory weights for tests: given tensors, or random ones for every tensor a graph needs. */
final class TestWeights implements Weights {
  private final Map<String, float[]> tensors = new HashMap<>();

  TestWeights put(String name, float... values) {
    tensors.put(name, values);
    return this;
  }

  /**
   * Uniform values in [-scale, scale) for every tensor of {@code graph}; running variances are kept positive
   * so batch normalisation stays defined.
   */
  static TestWeights random(Graph graph, long seed, double scale) {
    TestWeights w = new TestWeights();
    SplittableRandom r = new SplittableRandom(seed);
    for (WeightSpec spec : graph.weights()) {
      float[] v = new float[(int) spec.size()];
      boolean variance = spec.name().endsWith(".running_var");
      for (int i = 0; i < v.length; i++) {
        v[i] = variance ? (float) (0.5 + r.nextDouble()) : (float) ((r.nextDouble() * 2 - 1) * scale);
      }
      w.tensors.put(spec.name(), v);
    }
    return w;
  }

  @Override
  public float[] get(WeightSpec spec) {
    float[] v = tensors.get(spec.name());
    if (v == null) throw new WeightsException(source() + ": no tensor " + spec.name());
    return v.clone();
  }

  @Override
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  @Override
  public String source() {
    return "test weights";
  }

  /** Values uniform in [-1, 1), never all zero, from a fixed seed. */
  static float[] randomInput(int length, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[length];
    for (int i = 0; i < length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
    return v;
  }
}
