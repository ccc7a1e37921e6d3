package dev.netc.runtime.train;

import dev.netc.graph.Graph;
import dev.netc.runtime.io.MapWeights;
import java.util.Locale;

/**
 * How a network's weights start before training. Both strategies create every tensor {@link Graph#weights()}
 * lists (learned parameters and batch-norm buffers) with its spec's dims, deterministically for a seed: each
 * tensor draws from its own {@link java.util.SplittableRandom} seeded from the seed and the tensor's name, so a
 * tensor's values do not change when layers are added elsewhere in the network.
 *
 * <ul>
 *   <li>{@link #PAPER}, the AlexNet paper's (section 5): weights from N(0, 0.01); biases 1 for hidden
 *       convolutional and fully connected layers whose output goes through a ReLU (the layer's fused
 *       activation, or every consumer a ReLU, looking through dropout and max-pooling, which keep the sign),
 *       except the first such layer fed by the network input; every other bias 0 (the output layer, layers
 *       followed by tanh, a batch norm, an add, ...). "This initialization accelerates the early stages of
 *       learning by providing the ReLUs with positive inputs." The paper names conv2, conv4, conv5 and the
 *       hidden FC layers; this rule generalises that to any network and differs for AlexNet itself in one
 *       layer: conv3 gets bias 1 here (it feeds a ReLU like conv4), 0 in the paper. The rule depends only on
 *       the graph, so it is the same for the described and the fused graph.
 *   <li>{@link #KAIMING}, He et al. 2015 (PyTorch's {@code kaiming_normal_}, fan-in mode, ReLU gain): weights
 *       from N(0, 2 / fan_in) with fan_in = input channels per group x kernel area for a convolution, the
 *       number of input features for a dense layer; biases 0.
 * </ul>
 *
 * <p>In both: batch norm gamma 1, beta 0, running mean 0, running variance 1 (also for a batch norm folded into
 * a layer). Tensors of LeNet-5's special layers: a connection-table convolution's kernels as a convolution's,
 * with fan_in per filter = the maps its table row reads x kernel area under {@link #KAIMING}; a trainable
 * subsampling's coefficient 1 / window area (so it starts as average pooling, keeping the scale of its input)
 * and its bias 0. A future layer's own {@code .weight} would be drawn as a dense layer's (fan_in = the product
 * of all dims but the first) and its other tensors set to 0, so no graph the runtime can build is refused.
 */
public enum Initialisation {
  /** N(0, 0.01) weights, biases 1 where ReLUs follow (see the class comment). */
  PAPER,
  /** He et al. normal, std sqrt(2 / fan_in), zero biases. */
  KAIMING;

  /** The accepted names, for messages and help texts. */
  public static final String NAMES = "paper | kaiming";

  /**
   * Reads "paper" or "kaiming" (case ignored).
   *
   * @throws IllegalArgumentException quoting the name and listing the accepted ones
   */
  public static Initialisation parse(String name) {
    if (name != null) {
      switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "paper": return PAPER;
        case "kaiming": return KAIMING;
        default: break;
      }
    }
    throw new IllegalArgumentException("unknown weight initialisation " + (name == null ? "(null)" : "\"" + name + "\"")
        + "; accepted: " + NAMES);
  }

  /** The name {@link #parse} reads. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every tensor of the graph, freshly initialised; the source names the strategy, network and seed. */
  public MapWeights initialise(Graph graph, long seed) {
    return new Initialiser(this, graph, seed).run();
  }
}
