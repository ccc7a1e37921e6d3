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
    if (n.op() instanceof TableConv t) {
      return (long) out.plane() * t.table().connections() * t.conv().kernelH() * t.conv().kernelW();
    }
    // Subsampling is counted as the depthwise convolution it equals (every window cell times the coefficient).
    if (n.op() instanceof Subsample s) return (long) out.size() * s.windowH() * s.windowW();
    if (n.op() instanceof Dense d) return (long) d.units() * in.get(0).size();
    return 0L;
  }
}
