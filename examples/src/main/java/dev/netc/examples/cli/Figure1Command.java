package dev.netc.examples.cli;

import dev.netc.graph.Graph;
import dev.netc.runtime.train.Initialisation;
import dev.netc.runtime.train.Trainer;
import dev.netc.runtime.train.LineChart;
import dev.netc.runtime.train.Training;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code netc figure1 --data fashion-mnist --out DIR [--epochs N] [--batch B] [--lr R] [--seed S] [--init I]
 * [--limit N]}: the AlexNet
 * paper's Figure 1 redone. The four-layer network is trained twice, with ReLU ({@code Figure1Relu}) and with tanh
 * ({@code Figure1Tanh}), from the same initial weights, on the same batches, with the same SGD settings; the
 * training error (the mean over the last {@value #WINDOW} batches) is recorded at every iteration. Prints the
 * iterations each needed to reach {@value #TARGET_PERCENT}% training error and their ratio; writes
 * {@code DIR/figure1.csv} and {@code DIR/figure1.png}.
 */
final class Figure1Command implements Command {
  static final int WINDOW = 20;
  static final int TARGET_PERCENT = 25;

  @Override
  public int run(Args args, Context context) {
    args.expect(List.of(), "data", "out", "epochs", "batch", "lr", "seed", "threads", "limit", "init", "backend");
    Path dir = Path.of(args.required("out"));
    int epochs = args.integer("epochs", 2, 1);
    int batch = args.integer("batch", 64, 1);
    double lr = args.decimal("lr", 0.01, Double.MIN_VALUE);
    long seed = args.integer("seed", 1, 0);
    int threads = args.integer("threads", 0, 1);
    int limit = args.integer("limit", 0, 0);
    Backend requested = Backend.parse(args.string("backend", "java"));
    if (requested == Backend.REFERENCE) {
      throw new UsageException("netc figure1 trains on --backend java, opencl or auto; the reference interpreter only"
          + " runs networks forward");
    }
    Initialisation init;
    try {
      init = Initialisation.parse(args.string("init", "kaiming"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    String[] networks = {"Figure1Relu", "Figure1Tanh"};
    List<double[]> curves = new ArrayList<>();
    int[] reached = new int[networks.length];
    for (int k = 0; k < networks.length; k++) {
      String name = context.catalog().resolve(networks[k]);
      Graph graph = context.catalog().graph(name);
      Datasets.Split data = Datasets.trainingSplit(args.string("data", null), graph, 0, limit, seed);
      List<Double> curve = new ArrayList<>();
      int workers = threads > 0 ? threads : dev.netc.runtime.java.Parallel.defaultThreads();
      try (Trainer trainer = context.catalog().trainer(name, init.initialise(graph, seed), workers, requested)) {
        context.err().printf("netc: training %s on %s, %d epochs of batch %d, lr %s, momentum 0.9, weight decay"
            + " 0.0005, %s initialisation%n", name, trainer.backend(), epochs, batch, lr, init.label());
        double[] recent = new double[WINDOW];
        Training training = new Training(trainer, new Training.Config(epochs, batch, lr, 0.9, 0.0005, "constant",
            seed, null), data.train(), null, new Training.Outputs(null, null, null, null), context.err(), false);
        training.listener(new Training.Listener() {
          @Override
          public void iteration(long iteration, Trainer.Step step) {
            recent[(int) ((iteration - 1) % WINDOW)] = step.error();
            int n = (int) Math.min(iteration, WINDOW);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += recent[i];
            curve.add(sum / n);
          }
        });
        training.run(null);
      }
      reached[k] = firstBelow(curve, TARGET_PERCENT / 100.0);
      curves.add(curve.stream().mapToDouble(Double::doubleValue).toArray());
    }
    write(dir, networks, curves);
    for (int k = 0; k < networks.length; k++) {
      if (reached[k] < 0) {
        context.out().printf(Locale.ROOT, "%s did not reach %d%% training error within %d iterations%n", networks[k],
            TARGET_PERCENT, curves.get(k).length);
      } else {
        context.out().printf(Locale.ROOT, "%s reached %d%% training error after %d iterations%n", networks[k],
            TARGET_PERCENT, reached[k]);
      }
    }
    if (reached[0] > 0 && reached[1] > 0) {
      context.out().printf(Locale.ROOT, "tanh / ReLU: %.2f times as many iterations (the paper: about 6 on CIFAR-10)%n",
          (double) reached[1] / reached[0]);
    }
    context.out().printf("wrote %s and %s%n", dir.resolve("figure1.csv"), dir.resolve("figure1.png"));
    return 0;
  }

  /** The first iteration (1-based) whose windowed error is at most {@code target}, from a full window on; -1 if none. */
  static int firstBelow(List<Double> curve, double target) {
    for (int i = WINDOW - 1; i < curve.size(); i++) {
      if (curve.get(i) <= target) return i + 1;
    }
    return -1;
  }

  private static void write(Path dir, String[] networks, List<double[]> curves) {
    try {
      Files.createDirectories(dir);
      StringBuilder csv = new StringBuilder("iteration," + String.join(",", networks) + "\n");
      int length = Math.max(curves.get(0).length, curves.get(1).length);
      LineChart chart = new LineChart("Figure 1: training error, ReLU against tanh (mean of the last " + WINDOW
          + " batches)", "iteration", "training error");
      for (int i = 0; i < length; i++) {
        csv.append(i + 1);
        for (int k = 0; k < networks.length; k++) {
          double[] c = curves.get(k);
          csv.append(',').append(i < c.length ? String.format(Locale.ROOT, "%.5f", c[i]) : "");
          if (i < c.length && i >= WINDOW - 1) chart.add(networks[k], i + 1, c[i]);
        }
        csv.append('\n');
        chart.add(TARGET_PERCENT + "% error", i + 1, TARGET_PERCENT / 100.0);
      }
      dev.netc.runtime.io.AtomicFiles.write(dir.resolve("figure1.csv"), csv.toString().getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      chart.write(dir.resolve("figure1.png"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
