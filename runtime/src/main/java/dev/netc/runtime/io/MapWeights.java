package dev.netc.runtime.io;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Weights held in memory, for tests and for models whose weights are computed rather than loaded. Requests are
 * checked exactly as {@link SafeTensors} checks them, with the same messages.
 *
 * <pre>{@code
 * Weights w = new MapWeights("weights made by MyTest")
 *     .put("conv1.weight", new int[] {96, 3, 11, 11}, data)
 *     .put("conv1.bias", new int[] {96}, bias);
 * }</pre>
 *
 * <p>{@link #put} keeps the arrays given; {@link #get} returns a copy. Fill it before sharing it across threads.
 */
public final class MapWeights implements Weights {
  private final String source;
  private final Map<String, NamedTensor> tensors = new LinkedHashMap<>();

  /** @param source how messages name these weights, e.g. "weights built by AlexNetTest" */
  public MapWeights(String source) {
    this.source = source;
  }

  /** Holds these tensors, e.g. to write them with {@link SafeTensorsWriter#putAll} later or to test a model. */
  public static MapWeights of(String source, Iterable<NamedTensor> tensors) {
    MapWeights w = new MapWeights(source);
    for (NamedTensor t : tensors) w.put(t);
    return w;
  }

  /**
   * Adds or replaces a tensor.
   *
   * @throws IllegalArgumentException if {@code data} does not hold the product of {@code dims} values
   */
  public MapWeights put(String name, int[] dims, float[] data) {
    return put(new NamedTensor(name, dims, data));
  }

  /** Adds or replaces a tensor. */
  public MapWeights put(NamedTensor tensor) {
    tensors.put(tensor.name(), tensor);
    return this;
  }

  /**
   * A copy of the tensor's values.
   *
   * @throws dev.netc.runtime.WeightsException if it is missing (similar names are listed) or has other dims
   */
  @Override
  public float[] get(WeightSpec spec) {
    NamedTensor t = tensor(spec.name());
    WeightChecks.checkShape(spec, WeightChecks.toLong(t.dims()), source);
    return t.data().clone();
  }

  /** The tensor as held (not copied). */
  public NamedTensor tensor(String name) {
    NamedTensor t = tensors.get(name);
    if (t == null) {
      throw WeightChecks.missing(name, source, tensors.keySet());
    }
    return t;
  }

  @Override
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  @Override
  public String source() {
    return source;
  }

  /** The names, in the order they were first put. */
  public Set<String> names() {
    return Collections.unmodifiableSet(tensors.keySet());
  }
}
