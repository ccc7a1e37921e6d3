package dev.netc.examples.cli;

import dev.netc.graph.Graph;
import dev.netc.graph.Softmax;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.data.FashionMnist;
import dev.netc.runtime.data.LabelledImages;
import dev.netc.runtime.train.Evaluation;
import dev.netc.runtime.train.ops.TensorOps;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code netc eval NAME --weights W --data fashion-mnist [--split test|train] [--backend B] [--batch N]
 * [--limit N] [--show K] [--flip-average]}: runs the generated inference model (the same one {@code netc run} uses) over a
 * labelled split and prints top-1/top-5 error, the mean loss and the confusion matrix; {@code --show K} also
 * prints the best classes of the first K images next to their true class; {@code --flip-average} averages the
 * probabilities of each image and its mirror image (the paper averaged ten crops and their mirrors).
 */
final class EvalCommand implements Command {
  @Override
  public int run(Args args, Context context) {
    args.expect(List.of("NAME"), "weights", "data", "split", "backend", "batch", "limit", "show", "threads",
        "kernels", "flip-average");
    Catalog catalog = context.catalog();
    String name = catalog.resolve(args.positional(0));
    String weightsArg = args.required("weights");
    FashionMnist.Split split = switch (args.string("split", "test")) {
      case "test" -> FashionMnist.Split.TEST;
      case "train" -> FashionMnist.Split.TRAIN;
      default -> throw new UsageException("--split must be test or train, not '" + args.string("split", "") + "'");
    };
    int batch = args.integer("batch", 256, 1);
    int limit = args.integer("limit", 0, 0);
    int show = args.integer("show", 0, 0);
    int threads = args.integer("threads", 0, 1);
    boolean flipAverage = args.flag("flip-average");
    Backend requested = Backend.parse(args.string("backend", "auto"));
    Graph graph = catalog.graph(name);
    LabelledImages data = Datasets.load(args.string("data", null), split, graph);
    int count = limit > 0 ? Math.min(limit, data.size()) : data.size();
    int classes = graph.outputShape().size();
    boolean probabilities = graph.node(graph.output()).op() instanceof Softmax;

    Backend backend = requested.resolve();
    String kernels = KernelsOption.parse(args, backend);
    Evaluation eval = new Evaluation(Arrays.asList(data.classNames()));
    StringBuilder shown = new StringBuilder();
    long start = System.nanoTime();
    try (Model model = KernelsOption.with(kernels, () -> load(catalog, name, backend, weightsArg, threads))) {
      int size = data.shape().size();
      float[] images = new float[batch * size];
      int[] labels = new int[batch];
      for (int first = 0; first < count; first += batch) {
        int n = Math.min(batch, count - first);
        for (int i = 0; i < n; i++) {
          data.copyImage(first + i, images, i * size);
          labels[i] = data.labels()[first + i];
        }
        float[] batchImages = Arrays.copyOf(images, n * size);
        float[] out = model.forward(batchImages, n);
        if (!probabilities) TensorOps.softmax(n, classes, 1, out, out); // in place
        if (flipAverage) { // the paper's test-time averaging, over an image and its mirror
          mirror(batchImages, n, data.shape().channels() * data.shape().height(), data.shape().width());
          float[] mirrored = model.forward(batchImages, n);
          if (!probabilities) TensorOps.softmax(n, classes, 1, mirrored, mirrored);
          for (int i = 0; i < out.length; i++) out[i] = (out[i] + mirrored[i]) / 2;
        }
        eval.add(out, n, labels);
        for (int i = 0; i < n && first + i < show; i++) shown.append(describe(first + i, out, i, classes, labels[i], data));
      }
      context.err().printf("netc: %s on %s, %,d images of %s in %.1f s%n", name, model.backend(), count, data.name(),
          (System.nanoTime() - start) / 1e9);
    }
    context.out().print(shown);
    context.out().printf(Locale.ROOT, "%s on %s (%,d images): top-1 error %.2f%% (accuracy %.2f%%), top-5 error %.2f%%,"
        + " mean loss %.4f%n", name, data.name(), eval.count(), 100 * eval.top1Error(), 100 * (1 - eval.top1Error()),
        100 * eval.top5Error(), eval.meanLoss());
    context.out().println("confusion matrix (rows: true class, columns: predicted):");
    context.out().print(eval.confusion().format());
    return 0;
  }

  private static String describe(int index, float[] out, int row, int classes, int label, LabelledImages data) {
    List<TopK.Entry> best = TopK.of(out, row * classes, classes, 3);
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "image %d (%s):", index, data.classNames()[label]));
    for (TopK.Entry e : best) {
      s.append(String.format(Locale.ROOT, " %s %.1f%%", data.classNames()[e.index()], 100 * e.score()));
    }
    return s.append(best.get(0).index() == label ? "  right\n" : "  WRONG\n").toString();
  }

  /** Mirrors every row of every image left to right, in place. */
  private static void mirror(float[] images, int batch, int rowsPerImage, int width) {
    for (int row = 0; row < batch * rowsPerImage; row++) {
      int base = row * width;
      for (int x = 0; x < width / 2; x++) {
        float t = images[base + x];
        images[base + x] = images[base + width - 1 - x];
        images[base + width - 1 - x] = t;
      }
    }
  }

  private static Model load(Catalog catalog, String name, Backend backend, String weightsArg, int threads) {
    try (Weights weights = Weighting.open(weightsArg)) {
      return Weighting.withThreads(threads, () -> catalog.load(name, backend, weights));
    }
  }
}
