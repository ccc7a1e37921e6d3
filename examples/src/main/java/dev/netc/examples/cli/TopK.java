package dev.netc.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The best-scoring classes of each image of a batch output. */
public final class TopK {
  private TopK() {}

  /** One class and its score. */
  public record Entry(int index, float score) {}

  /**
   * The {@code k} highest of {@code scores[from .. from+count)}, best first; ties and NaNs are ordered so the
   * result is deterministic: higher score first, then lower index; NaN ranks below every number.
   */
  public static List<Entry> of(float[] scores, int from, int count, int k) {
    if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
    int n = Math.min(k, count);
    List<Entry> best = new ArrayList<>(n + 1);
    for (int i = 0; i < count; i++) {
      float v = scores[from + i];
      int pos = best.size();
      while (pos > 0 && better(v, best.get(pos - 1).score())) pos--;
      if (pos < n) {
        best.add(pos, new Entry(i, v));
        if (best.size() > n) best.remove(n);
      }
    }
    return best;
  }

  /** Whether {@code a} ranks strictly above {@code b} (an earlier index wins ties, so equal is not better). */
  private static boolean better(float a, float b) {
    if (Float.isNaN(a)) return false;
    if (Float.isNaN(b)) return true;
    return a > b;
  }

  /** Per image of a batch: {@code image i} then a table of rank, class and score. */
  public static String format(float[] output, int batch, int classes, int k) {
    StringBuilder s = new StringBuilder();
    for (int b = 0; b < batch; b++) {
      if (b > 0) s.append('\n');
      s.append("image ").append(b).append('\n');
      Table t = new Table().indent("  ").right("rank").right("class").right("score");
      int rank = 1;
      for (Entry e : of(output, b * classes, classes, k)) {
        t.row(rank++, e.index(), String.format(Locale.ROOT, "%.6f", e.score()));
      }
      s.append(t.render());
    }
    return s.toString();
  }
}
