package dev.netc.runtime;

import java.util.List;

/**
 * A benchmarking hook: runs one fused group (one layer as netc computes it, e.g. {@code conv1} with its ReLU
 * and pooling) of a loaded model alone, so that a benchmark times each kernel of a network in isolation. Every
 * generated model implements it, on both backends; groups are numbered alike on both, in the order of the
 * model's fused graph ({@code FUSED}), the input left out.
 *
 * <p>{@link #runGroup} computes group {@code k} on whatever the model's activation arena holds: run one
 * {@link Model#forward} of the same batch first so that it holds real data. Its results are not meaningful
 * and cannot be read; it never changes what a later {@code forward} returns (every forward pass rewrites
 * every tensor it reads). Not for inference.
 *
 * <pre>{@code
 * Model m = Netc.load(LeNet5.class, new SyntheticWeights(), Backend.JAVA);
 * m.forward(input, output, 1);
 * FusedGroups g = (FusedGroups) m;
 * for (int k = 0; k < g.groups(); k++) g.runGroup(k, 1); // time each
 * }</pre>
 */
public interface FusedGroups {
  /** How many fused groups the model runs per forward pass (its fused graph's nodes but the input). */
  int groups();

  /** Group {@code k}'s name: the fused node's name, the last layer it absorbs (e.g. {@code conv1}). */
  String groupName(int k);

  /** Every group's name, in order. */
  default List<String> groupNames() {
    String[] names = new String[groups()];
    for (int k = 0; k < names.length; k++) names[k] = groupName(k);
    return List.of(names);
  }

  /**
   * Runs group {@code k} for {@code batch} images on the arena as it is, and returns when it has finished (the
   * OpenCL backend waits for its kernels). A group with no kernel does nothing: a concatenation whose inputs were
   * all written in place, or, on the Java backend with the Vector API, a max pool that the convolution before it
   * computes in its epilogue (LeNet-5's pools; the convolution's group then times both).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= k < groups()}
   * @throws IllegalArgumentException when {@code batch < 1}
   * @throws IllegalStateException after {@code close()}
   */
  void runGroup(int k, int batch);
}
