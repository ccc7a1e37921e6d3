package dev.netc.graph;

import java.util.List;

/** Multiply-add counts per image, the unit AlexNet's paper and most summaries use. */
final class Cost {
  private Cost() {}

  static long macs(Node n, List<Shape> in) {
    Shape out = n.shape();
    if (n.op() instanceof Conv c) {
      return (long) out.size() * (in.get(0).channels() / c.groups()) * c.kernelH() * c.kernelW();
    }
    if (n.op() instanceof Dense d) return (long) d.units() * in.get(0).size();
    return 0L;
  }
}
