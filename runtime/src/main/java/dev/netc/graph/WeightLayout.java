package dev.netc.graph;

import java.util.List;

/** Which tensors each operation reads, named and shaped as PyTorch names and shapes them. */
final class WeightLayout {
  private WeightLayout() {}

  static List<WeightSpec> of(Node n, List<Shape> in) {
    String p = n.weightPrefix();
    if (n.op() instanceof Conv c) {
      WeightSpec w = new WeightSpec(p + ".weight", c.filters(), in.get(0).channels() / c.groups(), c.kernelH(),
          c.kernelW());
      List<WeightSpec> own = c.bias() ? List.of(w, new WeightSpec(p + ".bias", c.filters())) : List.of(w);
      return withNorm(own, c.norm(), c.filters());
    }
    if (n.op() instanceof TableConv t) { // the connected kernels only, see ConnectionTable
      Conv c = t.conv();
      WeightSpec w = new WeightSpec(p + ".weight", t.table().connections(), c.kernelH(), c.kernelW());
      return c.bias() ? List.of(w, new WeightSpec(p + ".bias", c.filters())) : List.of(w);
    }
    if (n.op() instanceof Subsample s) { // one coefficient and one bias per channel
      int c = in.get(0).channels();
      WeightSpec w = new WeightSpec(p + ".weight", c);
      return s.bias() ? List.of(w, new WeightSpec(p + ".bias", c)) : List.of(w);
    }
    if (n.op() instanceof Dense d) {
      WeightSpec w = new WeightSpec(p + ".weight", d.units(), in.get(0).size());
      List<WeightSpec> own = d.bias() ? List.of(w, new WeightSpec(p + ".bias", d.units())) : List.of(w);
      return withNorm(own, d.norm(), d.units());
    }
    if (n.op() instanceof BatchNorm) {
      int c = in.get(0).channels();
      return List.of(new WeightSpec(p + ".weight", c), new WeightSpec(p + ".bias", c),
          new WeightSpec(p + ".running_mean", false, c), new WeightSpec(p + ".running_var", false, c));
    }
    return List.of();
  }

  /** A layer's own tensors, then those of the batch norm folded into it (under the batch norm's names). */
  private static List<WeightSpec> withNorm(List<WeightSpec> own, FoldedBatchNorm norm, int channels) {
    if (norm == null) return own;
    List<WeightSpec> all = new java.util.ArrayList<>(own);
    all.addAll(norm.weights(channels));
    return List.copyOf(all);
  }
}
