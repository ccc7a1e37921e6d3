package dev.netc.examples.cli;

import dev.netc.graph.Graph;
import dev.netc.runtime.data.FashionMnist;
import dev.netc.runtime.data.LabelledImages;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The {@code --data} value of {@code netc train} and {@code netc eval}: {@code fashion-mnist} (Debian's
 * dataset-fashion-mnist, or {@code NETC_FASHION_MNIST}) or a directory holding the four Fashion-MNIST IDX files.
 */
final class Datasets {
  static final String FASHION_MNIST = "fashion-mnist";

  private Datasets() {}

  /** Training images and the held-out validation images (null when none are held out). */
  record Split(LabelledImages train, LabelledImages validation) {}

  /**
   * The training split of {@code data}, shuffled once by {@code seed} and cut into {@code validation} held-out
   * images and the rest (of which the first {@code limit} when positive: quick runs and demos).
   */
  static Split trainingSplit(String data, Graph graph, int validation, int limit, long seed) {
    LabelledImages all = load(data, FashionMnist.Split.TRAIN, graph);
    if (validation >= all.size()) {
      throw new UsageException("--validation " + validation + " leaves nothing to train on (" + all.size()
          + " training images)");
    }
    int[] order = new int[all.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int trainCount = all.size() - validation;
    if (limit > 0) trainCount = Math.min(trainCount, limit);
    LabelledImages train = all.select(Arrays.copyOfRange(order, 0, trainCount), all.name() + " (training part)");
    LabelledImages held = validation == 0 ? null
        : all.select(Arrays.copyOfRange(order, all.size() - validation, all.size()), all.name() + " (validation part)");
    return new Split(train, held);
  }

  /** One split of {@code data}, checked against the network's input. */
  static LabelledImages load(String data, FashionMnist.Split split, Graph graph) {
    if (data == null) throw new UsageException("give the data set: --data " + FASHION_MNIST + " (or a directory)");
    LabelledImages images = data.equals(FASHION_MNIST) ? FashionMnist.load(split)
        : FashionMnist.load(Path.of(data), split);
    if (!images.shape().equals(graph.inputShape())) {
      throw new CliException(graph.name() + " takes " + graph.inputShape() + " images but " + images.name()
          + " has " + images.shape() + "; train a network made for it, e.g. LeNet5 or FashionAlexNet");
    }
    if (graph.outputShape().size() < images.classes()) {
      throw new CliException(graph.name() + " outputs " + graph.outputShape().size() + " scores but " + images.name()
          + " has " + images.classes() + " classes");
    }
    return images;
  }
}
