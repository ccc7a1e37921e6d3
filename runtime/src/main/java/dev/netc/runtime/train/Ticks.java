package dev.netc.runtime.train;

import java.util.Locale;

/**
 * "Nice" axis ticks (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990): a step of 1, 2 or 5 times
 * a power of ten, bounds rounded outwards to multiples of it, and labels with just enough decimals.
 */
final class Ticks {
  final double low;
  final double high;
  final double step;
  private final int decimals;

  private Ticks(double low, double high, double step) {
    this.low = low;
    this.high = high;
    this.step = step;
    int d = 0;
    // Enough decimals that every tick prints differently: 0.25 needs 2, 5000 needs 0.
    while (d < 10 && Math.abs(step * Math.pow(10, d) - Math.rint(step * Math.pow(10, d))) > 1e-6 * step * Math.pow(10, d)) d++;
    this.decimals = d;
  }

  /** Ticks covering [min, max] with about {@code target} of them; a degenerate range is widened. */
  static Ticks of(double min, double max, int target) {
    if (!(min <= max)) { // no finite data
      min = 0;
      max = 1;
    }
    if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
      double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
    double step = nice((max - min) / Math.max(1, target - 1));
    double low = Math.floor(min / step) * step;
    double high = Math.ceil(max / step) * step;
    return new Ticks(low, high, step);
  }

  /** The tick values from low to high. */
  double[] values() {
    int n = (int) Math.round((high - low) / step) + 1;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = low + i * step;
    return v;
  }

  /** A tick's label: grouped thousands ("20,000"), the decimals the step needs, no "-0". */
  String label(double v) {
    if (Math.abs(v) < step * 1e-9) v = 0;
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  /** The nice number (1, 2, 5 x 10^k) closest to {@code x} from above or near. */
  private static double nice(double x) {
    double exp = Math.floor(Math.log10(x));
    double f = x / Math.pow(10, exp);
    double nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    return nf * Math.pow(10, exp);
  }
}
