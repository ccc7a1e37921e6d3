package dev.netc.runtime.opencl;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The measured tuning step: runs a loaded model's forward pass with each kernel variant on random inputs and
 * picks the fastest by median time. The budget (system property {@code netc.opencl.tuneBudgetMs}, default
 * 4000) is split evenly between the variants; each gets one warm-up pass and then as many timed passes as fit,
 * at least two and at most ten, so a slow variant on a slow device costs about its share and no more. A
 * variant that fails on the device (build error, out of resources) is reported and skipped.
 */
final class Tuning {
  /** The batch tuned for: the latency case, which is what a variant's tiling most affects. */
  static final int BATCH = 1;
  static final String BUDGET_PROPERTY = "netc.opencl.tuneBudgetMs";
  private static final long DEFAULT_BUDGET_MS = 4000;
  private static final int MIN_RUNS = 2;
  private static final int MAX_RUNS = 10;

  private Tuning() {}

  /**
   * @param winner the fastest variant; the model runs it when {@link #run} returns
   * @param summary the median time per variant, e.g. {@code cpu 19.1 ms, gpu 80.4 ms per batch of 1}
   */
  record Result(KernelVariant winner, String summary) {}

  static Result run(OpenClModel model, Set<KernelVariant> variants) {
    long budgetNanos = budgetMs() * 1_000_000L / variants.size();
    float[] input = new float[BATCH * model.inputShape().size()];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < input.length; i++) input[i] = (float) random.nextDouble(-1, 1);
    float[] output = new float[BATCH * model.outputShape().size()];
    KernelVariant first = model.kernelVariant();
    Map<KernelVariant, Double> medians = new EnumMap<>(KernelVariant.class);
    List<String> failures = new ArrayList<>();
    for (KernelVariant v : variants) {
      try {
        model.use(v);
        medians.put(v, medianMs(model, input, output, budgetNanos));
      } catch (RuntimeException e) {
        if (v == first) throw e; // the variant the model was loaded with must work
        failures.add(v.id() + " failed (" + e.getMessage() + ")");
        System.getLogger("dev.netc.runtime.opencl").log(Level.WARNING, "netc: tuning " + model.name() + ": the "
            + v.id() + " kernels failed on this device and are skipped: " + e.getMessage());
        model.use(first);
      }
    }
    KernelVariant winner = first;
    for (Map.Entry<KernelVariant, Double> e : medians.entrySet()) {
      if (e.getValue() < medians.get(winner)) winner = e.getKey();
    }
    model.use(winner);
    StringBuilder summary = new StringBuilder();
    for (Map.Entry<KernelVariant, Double> e : medians.entrySet()) {
      if (summary.length() > 0) summary.append(", ");
      summary.append(e.getKey().id()).append(' ').append(String.format("%.2f ms", e.getValue()));
    }
    summary.append(" per batch of ").append(BATCH);
    for (String f : failures) summary.append(", ").append(f);
    return new Result(winner, summary.toString());
  }

  private static double medianMs(OpenClModel model, float[] input, float[] output, long budgetNanos) {
    long start = System.nanoTime();
    model.forward(input, output, BATCH); // warm-up: first launches create kernels
    double[] times = new double[MAX_RUNS];
    int n = 0;
    while (n < MAX_RUNS && (n < MIN_RUNS || System.nanoTime() - start < budgetNanos)) {
      long t = System.nanoTime();
      model.forward(input, output, BATCH);
      times[n++] = (System.nanoTime() - t) / 1e6;
    }
    double[] sorted = Arrays.copyOf(times, n);
    Arrays.sort(sorted);
    return sorted[n / 2];
  }

  static long budgetMs() {
    String p = System.getProperty(BUDGET_PROPERTY);
    if (p == null || p.isBlank()) return DEFAULT_BUDGET_MS;
    try {
      long ms = Long.parseLong(p.trim());
      if (ms > 0) return ms;
    } catch (NumberFormatException ignored) {
      // fall through to the message
    }
    throw new dev.netc.runtime.NetcException("system property " + BUDGET_PROPERTY + " is '" + p
        + "'; it must be a positive number of milliseconds");
  }
}
