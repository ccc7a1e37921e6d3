package dev.netc.examples.cli;

import java.util.Arrays;

/** Order statistics of a sample of timings. */
public final class Stats {
  private final double[] sorted;

  public Stats(double[] samples) {
    if (samples.length == 0) throw new IllegalArgumentException("no samples");
    this.sorted = samples.clone();
    Arrays.sort(this.sorted);
  }

  public int count() {
    return sorted.length;
  }

  public double min() {
    return sorted[0];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  public double median() {
    return percentile(50);
  }

  /** The p-th percentile, interpolating linearly between the closest ranks (NumPy's default). */
  public double percentile(double p) {
    if (p < 0 || p > 100) throw new IllegalArgumentException("percentile " + p);
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
  }
}
