package dev.netc.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of a {@link ConnectionTable} ({@link Problem.Kind#CONNECTION_TABLE}), for {@link ShapeInference}.
 * Problems name the value at fault as precisely as possible: the attribute {@code table} for the table as a
 * whole, {@code table[i]} for row {@code i}, {@code table[i][j]} for its {@code j}-th map as written; the
 * processor's source map turns these into the exact annotation value.
 */
final class TableChecks {
  private TableChecks() {}

  /** What holds whatever the input: one non-empty row per filter, no map twice, no groups. */
  static List<Problem> attributes(Node n, TableConv t) {
    List<Problem> p = new ArrayList<>();
    Conv c = t.conv();
    List<List<Integer>> rows = t.table().rows();
    if (c.groups() != 1) {
      p.add(problem(n, "table", "layer " + n.name() + ": a connection table cannot be combined with groups = "
          + c.groups() + "; the table already says which input maps each filter sees (groups are one such"
          + " table), so remove groups"));
    }
    if (rows.size() != c.filters()) {
      p.add(problem(n, "table", "layer " + n.name() + ": the connection table has " + rows.size() + " row"
          + (rows.size() == 1 ? "" : "s") + " but the layer has " + c.filters() + " filters; give one @Sees per"
          + " filter, in filter order"));
    }
    for (int i = 0; i < rows.size(); i++) {
      List<Integer> row = rows.get(i);
      if (row.isEmpty()) {
        p.add(problem(n, "table[" + i + "]", "layer " + n.name() + ": row " + i + " of the connection table"
            + " (filter " + i + ") lists no input map; every filter must see at least one map"));
        continue;
      }
      Set<Integer> seen = new HashSet<>();
      for (int j = 0; j < row.size(); j++) {
        if (!seen.add(row.get(j))) {
          p.add(problem(n, "table[" + i + "][" + j + "]", "layer " + n.name() + ": row " + i + " of the"
              + " connection table lists input map " + row.get(j) + " twice; list each map once"));
        }
      }
    }
    return p;
  }

  /** What needs the input: every map an input channel. */
  static List<Problem> maps(Node n, TableConv t, Shape in) {
    List<Problem> p = new ArrayList<>();
    List<List<Integer>> rows = t.table().rows();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < rows.get(i).size(); j++) {
        int m = rows.get(i).get(j);
        if (m < 0 || m >= in.channels()) {
          p.add(problem(n, "table[" + i + "][" + j + "]", "layer " + n.name() + ": row " + i + " of the"
              + " connection table names input map " + m + ", but the input has " + in.channels() + " maps,"
              + " numbered 0 to " + (in.channels() - 1)));
        }
      }
    }
    return p;
  }

  private static Problem problem(Node n, String attribute, String message) {
    return new Problem(Problem.Kind.CONNECTION_TABLE, n.name(), attribute, message);
  }
}
