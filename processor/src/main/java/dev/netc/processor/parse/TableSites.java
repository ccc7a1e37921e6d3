package dev.netc.processor.parse;

import dev.netc.graph.ConnectionTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;

/**
 * Reads {@code @Conv(table = {@Sees({...}), ...})} into a {@link ConnectionTable} and records where each row
 * ({@code table[i]}) and each map ({@code table[i][j]}) was written, so that the graph's
 * connection-table problems ({@code netc.connection-table}) land on the very value at fault. Inside an expanded block every site is
 * the {@code @Use} (as for all attributes there); there the rows share the table's site.
 */
final class TableSites {
  private TableSites() {}

  /**
   * @param rows the unwrapped {@code table} member: one {@code @Sees} mirror per row
   * @param sites the layer's attribute sites, to which the rows' and maps' sites are added
   */
  static ConnectionTable read(List<?> rows, Map<String, Site> sites) {
    Site table = sites.get("table");
    List<? extends AnnotationValue> written = rowValues(table, rows);
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      AnnotationValue maps = value((AnnotationMirror) rows.get(i));
      List<Integer> row = new ArrayList<>();
      List<?> items = maps == null ? List.of() : (List<?>) maps.getValue();
      Site rowSite = table == null ? null : written == null ? table : table.at(table.mirror(), written.get(i));
      if (rowSite != null) sites.put("table[" + i + "]", rowSite);
      for (int j = 0; j < items.size(); j++) {
        AnnotationValue item = (AnnotationValue) items.get(j);
        row.add((Integer) item.getValue());
        if (rowSite != null) sites.put("table[" + i + "][" + j + "]", written == null ? table : table.at(table.mirror(), item));
      }
      out.add(row);
    }
    return new ConnectionTable(out);
  }

  /** The table's element values as written, or null when its site is not the table itself (inside a block). */
  private static List<? extends AnnotationValue> rowValues(Site table, List<?> rows) {
    if (table == null || table.value() == null || !(table.value().getValue() instanceof List<?> list)
        || list.size() != rows.size()) {
      return null;
    }
    List<AnnotationValue> values = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof AnnotationValue v) || v.getValue() != rows.get(i)) return null;
      values.add(v);
    }
    return values;
  }

  /** The {@code value} member of one {@code @Sees}. */
  private static AnnotationValue value(AnnotationMirror sees) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : sees.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals("value")) return e.getValue();
    }
    return null;
  }
}
