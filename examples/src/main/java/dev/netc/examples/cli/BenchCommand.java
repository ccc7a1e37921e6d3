package dev.netc.examples.cli;

import dev.netc.graph.Shape;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SyntheticWeights;
import java.util.Arrays;
import java.util.List;

/**
 * {@code netc bench NAME [--weights W] [--backend B] [--batch N] [--warmup S] [--seconds S] [--threads T]
 * [--profile] [--kernels K]}: times repeated forward passes on synthetic input (and synthetic weights unless a
 * weights file is given), after a warm-up that lets the JIT compile the hot loops. It also reports the start-up:
 * the load (weights read, mapped or generated; kernels built or taken from the binary cache) and the first
 * forward pass, whose sum is the time from asking for a model to its first result.
 */
final class BenchCommand implements Command {
  static final double DEFAULT_WARMUP_S = 3;
  static final double DEFAULT_SECONDS = 5;

  /** The outcome of a benchmark: load time, and the time of each measured forward pass. */
  record Result(String network, String backend, int batch, double loadMs, double firstMs, int warmupRuns,
      double warmupS, double measuredS, double[] msPerBatch) {}

  @Override
  public int run(Args args, Context context) {
    args.expect(List.of("NAME"), "weights", "backend", "batch", "warmup", "seconds", "threads", "profile", "kernels");
    Catalog catalog = context.catalog();
    String name = catalog.resolve(args.positional(0));
    Backend requested = Backend.parse(args.string("backend", "java"));
    int batch = args.integer("batch", 1, 1);
    double warmup = args.seconds("warmup", DEFAULT_WARMUP_S, 0);
    double seconds = args.seconds("seconds", DEFAULT_SECONDS, 0.001);
    int threads = args.integer("threads", 0, 1);
    Backend backend = requested.resolve();
    String kernels = KernelsOption.parse(args, backend);

    Shape in = catalog.graph(name).inputShape();
    float[] input = SyntheticWeights.input(batch, in.channels(), in.height(), in.width());
    String weightsArg = args.string("weights", Weighting.SYNTHETIC);
    long t0 = System.nanoTime();
    try (Model model = load(catalog, name, backend, weightsArg, threads, kernels)) {
      double loadMs = (System.nanoTime() - t0) / 1e6;
      context.err().println("netc: benchmarking " + name + " on " + model.backend()
          + (requested == Backend.AUTO ? " (chosen by --backend auto)" : "") + ", batch " + batch + ": warm-up "
          + Table.decimal(warmup, 1) + " s, then " + Table.decimal(seconds, 1) + " s");
      Result r = measure(model, input, batch, loadMs, warmup, seconds);
      context.out().print(report(r));
      if (args.flag("profile")) context.out().print(KernelProfile.of(model, input, batch));
    }
    return 0;
  }

  /** The model on the given weights; the file (if any) is closed once the model has taken what it needs. */
  private static Model load(Catalog catalog, String name, Backend backend, String weightsArg, int threads,
      String kernels) {
    try (Weights weights = Weighting.open(weightsArg)) {
      return Weighting.withThreads(threads, () -> KernelsOption.with(kernels, () -> catalog.load(name, backend, weights)));
    }
  }

  /**
   * Times the first forward pass on its own (it pays one-time costs: class loading, interpreted code, the first
   * kernel launches), then warms up for {@code warmupS} seconds and times forward passes for {@code seconds} (at
   * least one).
   */
  static Result measure(Model model, float[] input, int batch, double loadMs, double warmupS, double seconds) {
    float[] output = new float[batch * model.outputShape().size()];
    long firstStart = System.nanoTime();
    model.forward(input, output, batch);
    double firstMs = (System.nanoTime() - firstStart) / 1e6;
    long start = System.nanoTime();
    long warmupEnd = start + (long) (warmupS * 1e9);
    int warmupRuns = 0;
    while (System.nanoTime() < warmupEnd) {
      model.forward(input, output, batch);
      warmupRuns++;
    }
    long measureStart = System.nanoTime();
    long measureEnd = measureStart + (long) (seconds * 1e9);
    double[] ms = new double[64];
    int n = 0;
    long now = measureStart;
    while (n == 0 || now < measureEnd) {
      long before = System.nanoTime();
      model.forward(input, output, batch);
      now = System.nanoTime();
      if (n == ms.length) ms = Arrays.copyOf(ms, n * 2);
      ms[n++] = (now - before) / 1e6;
    }
    return new Result(model.name(), model.backend(), batch, loadMs, firstMs, warmupRuns, (measureStart - start) / 1e9,
        (now - measureStart) / 1e9, Arrays.copyOf(ms, n));
  }

  /** The result as text: a header, load and run counts, then a table of median and spread. */
  static String report(Result r) {
    Stats s = new Stats(r.msPerBatch());
    StringBuilder out = new StringBuilder();
    out.append(r.network()).append(" on ").append(r.backend()).append(", batch ").append(r.batch()).append('\n');
    out.append(Table.pairs("  ", List.of(
        new String[] {"load", Table.decimal(r.loadMs(), 1) + " ms"},
        new String[] {"first pass", Table.decimal(r.firstMs(), 1) + " ms (first result "
            + Table.decimal(r.loadMs() + r.firstMs(), 1) + " ms after the load began)"},
        new String[] {"warm-up", Table.decimal(r.warmupS(), 2) + " s, " + Table.count(r.warmupRuns()) + " runs"},
        new String[] {"measured", Table.decimal(r.measuredS(), 2) + " s, " + Table.count(s.count()) + " runs"}), false));
    out.append('\n');
    Table t = new Table().left("").right("median").right("min").right("p10").right("p90").right("max");
    double[] q = {s.median(), s.min(), s.percentile(10), s.percentile(90), s.max()};
    t.row(row("ms per batch", q, 1, 3));
    t.row(row("ms per image", q, 1.0 / r.batch(), 3));
    // Throughput is the reciprocal of time, so its minimum comes from the slowest pass: mirror the order.
    double[] perSecond = new double[5];
    double[] mirrored = {s.median(), s.max(), s.percentile(90), s.percentile(10), s.min()};
    for (int i = 0; i < 5; i++) perSecond[i] = mirrored[i] > 0 ? r.batch() * 1000.0 / mirrored[i] : Double.POSITIVE_INFINITY;
    t.row(row("images/s", perSecond, 1, 1));
    out.append(t.render());
    return out.toString();
  }

  private static Object[] row(String label, double[] values, double scale, int digits) {
    Object[] cells = new Object[values.length + 1];
    cells[0] = label;
    for (int i = 0; i < values.length; i++) cells[i + 1] = Table.decimal(values[i] * scale, digits);
    return cells;
  }
}
