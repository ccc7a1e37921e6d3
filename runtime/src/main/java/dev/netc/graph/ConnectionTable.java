package dev.netc.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A partial connection table: for each output map (filter), the input maps it reads, as LeNet-5's C3 has
 * (LeCun et al. 1998, Table I). Rows are kept as written so that mistakes can be reported on the value that
 * was written; {@link ShapeInference} checks them (one row per filter, none empty, no map twice, every map
 * an input channel).
 *
 * <p>The weights of the connected kernels are stored one after another, filter by filter and, within a
 * filter, by ascending input map ({@link #maps()}, {@link #first()}). That is the order of PyTorch's boolean
 * indexing {@code weight[mask]} of a dense {@code [filters, inChannels, kh, kw]} weight with a
 * {@code [filters, inChannels]} mask, so a masked PyTorch convolution exports with one line.
 *
 * @param rows for each filter, the input maps as written
 */
public record ConnectionTable(List<List<Integer>> rows) {

  public ConnectionTable {
    List<List<Integer>> copy = new ArrayList<>(rows.size());
    for (List<Integer> r : rows) copy.add(List.copyOf(r));
    rows = List.copyOf(copy);
  }

  /** Builds a table from {@code int} rows. */
  public static ConnectionTable of(int[]... rows) {
    List<List<Integer>> r = new ArrayList<>();
    for (int[] row : rows) {
      List<Integer> l = new ArrayList<>();
      for (int m : row) l.add(m);
      r.add(l);
    }
    return new ConnectionTable(r);
  }

  /** Number of connections: the kernels stored (the sum of the row lengths). */
  public int connections() {
    int n = 0;
    for (List<Integer> r : rows) n += r.size();
    return n;
  }

  /**
   * The input map of each stored kernel, filter by filter and within a filter ascending (duplicates, which
   * {@link ShapeInference} rejects, collapse).
   */
  public int[] maps() {
    List<Integer> all = new ArrayList<>();
    for (List<Integer> r : rows) all.addAll(new TreeSet<>(r));
    int[] out = new int[all.size()];
    for (int i = 0; i < out.length; i++) out[i] = all.get(i);
    return out;
  }

  /**
   * Where each filter's kernels start in {@link #maps()} and in the weight tensor: {@code rows().size() + 1}
   * entries, the last one the number of connections.
   */
  public int[] first() {
    int[] f = new int[rows.size() + 1];
    for (int i = 0; i < rows.size(); i++) f[i + 1] = f[i] + new TreeSet<>(rows.get(i)).size();
    return f;
  }

  /** {@code 0 1 2 | 1 2 3 | ...}, as summaries and generated comments show the table. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) s.append(" | ");
      for (int j = 0; j < rows.get(i).size(); j++) s.append(j == 0 ? "" : " ").append(rows.get(i).get(j));
    }
    return s.toString();
  }
}
