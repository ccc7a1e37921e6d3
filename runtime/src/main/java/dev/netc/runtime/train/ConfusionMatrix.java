package dev.netc.runtime.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) over an evaluation: row = true class, column = predicted. Its
 * diagonal gives the top-1 error and each class's accuracy; {@link #format()} prints it as a table.
 */
public final class ConfusionMatrix {
  private final int classes;
  private final List<String> names;
  private final long[] counts;

  /** Classes named by their index. */
  public ConfusionMatrix(int classes) {
    this(indexNames(classes));
  }

  /** One class per name, e.g. {@code FashionMnist.CLASSES}. */
  public ConfusionMatrix(List<String> names) {
    if (names.isEmpty()) throw new IllegalArgumentException("a confusion matrix needs at least one class");
    this.classes = names.size();
    this.names = List.copyOf(names);
    this.counts = new long[classes * classes];
  }

  private static List<String> indexNames(int classes) {
    if (classes < 1) throw new IllegalArgumentException("a confusion matrix needs at least one class, got " + classes);
    List<String> n = new ArrayList<>();
    for (int i = 0; i < classes; i++) n.add(Integer.toString(i));
    return n;
  }

  public int classes() {
    return classes;
  }

  public List<String> names() {
    return names;
  }

  /** Counts one example. */
  public void add(int label, int predicted) {
    check(label, "label");
    check(predicted, "prediction");
    counts[label * classes + predicted]++;
  }

  private void check(int c, String what) {
    if (c < 0 || c >= classes) {
      throw new IllegalArgumentException(what + " " + c + " is not a class: expected 0 to " + (classes - 1));
    }
  }

  /** Examples of class {@code label} predicted as {@code predicted}. */
  public long count(int label, int predicted) {
    check(label, "label");
    check(predicted, "prediction");
    return counts[label * classes + predicted];
  }

  /** Examples counted. */
  public long total() {
    long n = 0;
    for (long c : counts) n += c;
    return n;
  }

  /** Examples of class {@code label}. */
  public long support(int label) {
    long n = 0;
    for (int p = 0; p < classes; p++) n += count(label, p);
    return n;
  }

  /** Examples predicted correctly. */
  public long correct() {
    long n = 0;
    for (int c = 0; c < classes; c++) n += counts[c * classes + c];
    return n;
  }

  /** The fraction predicted wrongly; NaN before any example. */
  public double top1Error() {
    long t = total();
    return t == 0 ? Double.NaN : 1 - (double) correct() / t;
  }

  /** The fraction of class {@code label}'s examples predicted correctly (its recall); NaN if it had none. */
  public double classAccuracy(int label) {
    long s = support(label);
    return s == 0 ? Double.NaN : (double) count(label, label) / s;
  }

  /**
   * The matrix as an aligned text table: one row per true class (its full name, then the counts, then the
   * class's accuracy), one column per predicted class, headed by names abbreviated to the column width (class
   * indices when the abbreviations would collide).
   */
  public String format() {
    long max = 0;
    for (long c : counts) max = Math.max(max, c);
    int width = Math.max(5, String.format(Locale.ROOT, "%,d", max).length());
    List<String> heads = abbreviations(width);
    int nameWidth = "true \\ predicted".length();
    for (String n : names) nameWidth = Math.max(nameWidth, n.length());

    StringBuilder s = new StringBuilder();
    s.append(pad("true \\ predicted", nameWidth, false));
    for (String h : heads) s.append(' ').append(pad(h, width, true));
    s.append("  accuracy\n");
    for (int r = 0; r < classes; r++) {
      s.append(pad(names.get(r), nameWidth, false));
      for (int c = 0; c < classes; c++) {
        s.append(' ').append(pad(String.format(Locale.ROOT, "%,d", counts[r * classes + c]), width, true));
      }
      double a = classAccuracy(r);
      s.append("  ").append(pad(Double.isNaN(a) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * a), 8, true))
          .append('\n');
    }
    s.append(String.format(Locale.ROOT, "top-1 error %.2f%% of %,d", 100 * top1Error(), total()));
    return s.toString();
  }

  private List<String> abbreviations(int width) {
    List<String> a = new ArrayList<>();
    for (String n : names) a.add(n.length() <= width ? n : n.substring(0, width));
    if (new HashSet<>(a).size() == a.size()) return a;
    List<String> indices = new ArrayList<>();
    for (int i = 0; i < classes; i++) indices.add(Integer.toString(i));
    return indices;
  }

  private static String pad(String s, int width, boolean right) {
    String spaces = " ".repeat(Math.max(0, width - s.length()));
    return right ? spaces + s : s + spaces;
  }
}
