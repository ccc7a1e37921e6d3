package dev.netc.examples.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table: a header row, a rule of dashes, then the rows; columns two spaces apart, each left- or
 * right-aligned, no trailing spaces. Output is independent of the default locale, so it is the same everywhere.
 *
 * <pre>{@code
 * Table t = new Table().left("name").right("parameters");
 * t.row("conv1", Table.count(34_944));
 * out.print(t.render());
 * }</pre>
 */
public final class Table {
  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> rightAligned = new ArrayList<>();
  private final List<String[]> rows = new ArrayList<>();
  private String indent = "";

  /** Adds a left-aligned column (text). */
  public Table left(String header) {
    return column(header, false);
  }

  /** Adds a right-aligned column (numbers). */
  public Table right(String header) {
    return column(header, true);
  }

  private Table column(String header, boolean right) {
    if (!rows.isEmpty()) throw new IllegalStateException("add every column before the first row");
    headers.add(header);
    rightAligned.add(right);
    return this;
  }

  /** Prefixes every line with this text. */
  public Table indent(String prefix) {
    this.indent = prefix;
    return this;
  }

  /** Adds a row of exactly one cell per column; {@code null} cells print empty. */
  public Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells but the table has " + headers.size()
          + " columns: " + Arrays.toString(cells));
    }
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "" : cells[i].toString();
    rows.add(r);
    return this;
  }

  public int rowCount() {
    return rows.size();
  }

  /** The table as lines ending in {@code \n}. */
  public String render() {
    int n = headers.size();
    int[] width = new int[n];
    for (int c = 0; c < n; c++) {
      width[c] = headers.get(c).length();
      for (String[] r : rows) width[c] = Math.max(width[c], r[c].length());
    }
    StringBuilder s = new StringBuilder();
    line(s, headers.toArray(new String[0]), width);
    String[] rule = new String[n];
    for (int c = 0; c < n; c++) rule[c] = "-".repeat(width[c]);
    line(s, rule, width);
    for (String[] r : rows) line(s, r, width);
    return s.toString();
  }

  private void line(StringBuilder s, String[] cells, int[] width) {
    StringBuilder l = new StringBuilder(indent);
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) l.append("  ");
      String pad = " ".repeat(width[c] - cells[c].length());
      if (rightAligned.get(c)) {
        l.append(pad).append(cells[c]);
      } else {
        l.append(cells[c]).append(pad);
      }
    }
    int end = l.length();
    while (end > 0 && l.charAt(end - 1) == ' ') end--;
    s.append(l, 0, end).append('\n');
  }

  @Override
  public String toString() {
    return render();
  }

  /** A whole number with comma thousands separators: {@code 62,378,344}; the same in every locale. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@link #count}, but {@code -} for zero (a layer without parameters or multiply-adds). */
  public static String countOrDash(long n) {
    return n == 0 ? "-" : count(n);
  }

  /** A decimal with thousands separators and {@code digits} decimals: {@code 1,234.57}; locale-independent. */
  public static String decimal(double x, int digits) {
    if (Double.isNaN(x) || Double.isInfinite(x)) return String.valueOf(x);
    return String.format(Locale.ROOT, "%,." + digits + "f", x);
  }

  /** Label-value lines, labels left-aligned and values right-aligned: {@code parameters   61,706}. */
  public static String pairs(String indent, List<String[]> pairs) {
    return pairs(indent, pairs, true);
  }

  /** Label-value lines with the values aligned right (numbers) or left (text). */
  public static String pairs(String indent, List<String[]> pairs, boolean rightAlignValues) {
    int w = 0;
    int v = 0;
    for (String[] p : pairs) {
      w = Math.max(w, p[0].length());
      v = Math.max(v, p[1].length());
    }
    StringBuilder s = new StringBuilder();
    for (String[] p : pairs) {
      int valuePad = rightAlignValues ? v - p[1].length() : 0;
      s.append(indent).append(p[0]).append(" ".repeat(w - p[0].length() + 2 + valuePad)).append(p[1]).append('\n');
    }
    return s.toString();
  }
}
