package dev.netc.processor.parse;

import dev.netc.graph.Activation;
import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.Add;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Concat;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.GlobalAvgPool;
import dev.netc.graph.Lrn;
import dev.netc.graph.Op;
import dev.netc.graph.Pool;
import dev.netc.graph.Softmax;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import dev.netc.processor.report.Diagnostics;
import dev.netc.processor.report.Message;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one layer annotation (its simple name and member values, block bindings already applied) into an IR
 * operation. Range rules are not checked here but in {@link dev.netc.graph.ShapeInference}, so they hold for
 * every graph; only what cannot even be represented (a kernel of three numbers) is reported here.
 */
final class LayerReader {
  /** The annotations of dev.netc.dsl that are operations, by simple name. */
  static final Set<String> OPS = Set.of("Conv", "Relu", "LeakyRelu", "Elu", "Selu", "Tanh", "Sigmoid", "Lrn",
      "MaxPool", "AvgPool", "GlobalAvgPool", "AdaptiveAvgPool", "Dense", "Dropout", "Softmax", "BatchNorm",
      "Concat", "Add", "Subsample");

  /**
   * The numeric attributes that {@code bind} may set, per annotation; each value is converted to the
   * attribute's own type (whole number, decimal, or one or two whole numbers), see {@link Bindings}.
   */
  static final Map<String, List<String>> BINDABLE = Map.ofEntries(
      Map.entry("Conv", List.of("filters", "kernel", "stride", "padding", "groups")),
      Map.entry("Dense", List.of("units")),
      Map.entry("MaxPool", List.of("window", "stride", "padding")),
      Map.entry("AvgPool", List.of("window", "stride", "padding")),
      Map.entry("AdaptiveAvgPool", List.of("height", "width")),
      Map.entry("BatchNorm", List.of("eps")),
      Map.entry("Dropout", List.of("rate")),
      Map.entry("LeakyRelu", List.of("slope")),
      Map.entry("Elu", List.of("alpha")),
      Map.entry("Lrn", List.of("size", "alpha", "beta", "k")),
      Map.entry("Subsample", List.of("window", "stride")));

  private LayerReader() {}

  /** The operation, or null after reporting why there is none. */
  static Op read(String kind, Map<String, Object> a, Map<String, Site> sites, Site layer, Diagnostics diag) {
    switch (kind) {
      case "Conv": {
        int[] k = pair(a, "kernel", sites, layer, diag, true);
        int[] s = pair(a, "stride", sites, layer, diag, false);
        int[] p = pair(a, "padding", sites, layer, diag, false);
        if (k == null || s == null || p == null) return null;
        Conv conv = new Conv((Integer) a.get("filters"), k[0], k[1], s[0], s[1], p[0], p[1],
            (Integer) a.get("groups"), (Boolean) a.get("bias"), Activation.NONE);
        List<?> table = (List<?>) a.getOrDefault("table", List.of());
        return table.isEmpty() ? conv : new TableConv(conv, TableSites.read(table, sites));
      }
      case "Subsample": {
        int[] w = pair(a, "window", sites, layer, diag, false);
        int[] s = ((List<?>) a.get("stride")).isEmpty() ? w : pair(a, "stride", sites, layer, diag, false);
        if (w == null || s == null) return null;
        return new Subsample(w[0], w[1], s[0], s[1], (Boolean) a.get("bias"), Activation.NONE);
      }
      case "Relu":
        return Activation.of(Activation.Kind.RELU);
      case "LeakyRelu":
        return new Activation(Activation.Kind.LEAKY_RELU, ((Double) a.get("slope")).floatValue());
      case "Elu":
        return new Activation(Activation.Kind.ELU, ((Double) a.get("alpha")).floatValue());
      case "Selu":
        return Activation.of(Activation.Kind.SELU);
      case "Tanh":
        return Activation.of(Activation.Kind.TANH);
      case "Sigmoid":
        return Activation.of(Activation.Kind.SIGMOID);
      case "Lrn":
        return new Lrn((Integer) a.get("size"), (Double) a.get("alpha"), (Double) a.get("beta"), (Double) a.get("k"),
            "PER_SIZE".equals(a.get("convention")));
      case "MaxPool":
      case "AvgPool": {
        int[] w = pair(a, "window", sites, layer, diag, true);
        int[] s = ((List<?>) a.get("stride")).isEmpty() ? w : pair(a, "stride", sites, layer, diag, false);
        int[] p = pair(a, "padding", sites, layer, diag, false);
        if (w == null || s == null || p == null) return null;
        boolean max = kind.equals("MaxPool");
        return new Pool(max ? Pool.Kind.MAX : Pool.Kind.AVG, w[0], w[1], s[0], s[1], p[0], p[1],
            (Boolean) a.get("ceil"), !max && (Boolean) a.get("countIncludePad"));
      }
      case "GlobalAvgPool":
        return new GlobalAvgPool();
      case "AdaptiveAvgPool":
        return new AdaptiveAvgPool((Integer) a.get("height"), (Integer) a.get("width"));
      case "Dense":
        return new Dense((Integer) a.get("units"), (Boolean) a.get("bias"), Activation.NONE, false);
      case "Dropout":
        return new Dropout((Double) a.get("rate"));
      case "Softmax":
        return new Softmax();
      case "BatchNorm":
        return new BatchNorm((Double) a.get("eps"));
      case "Concat":
        return new Concat();
      case "Add":
        return new Add();
      default:
        throw new IllegalArgumentException("not an operation: " + kind);
    }
  }

  /** A one-or-two-number attribute as {height, width}. */
  private static int[] pair(Map<String, Object> a, String name, Map<String, Site> sites, Site layer,
      Diagnostics diag, boolean required) {
    int[] v = AnnotationValues.ints(a.get(name));
    if (v.length == 1) return new int[] {v[0], v[0]};
    if (v.length == 2) return v;
    Site site = sites.getOrDefault(name, layer);
    if (v.length == 0 && required && name.equals("kernel")) {
      diag.error(site, Message.MISSING_KERNEL);
    } else {
      diag.error(site, Message.ARRAY_ARITY, name, v.length);
    }
    return null;
  }
}
