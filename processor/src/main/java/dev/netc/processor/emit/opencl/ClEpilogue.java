package dev.netc.processor.emit.opencl;

import dev.netc.graph.Conv;
import dev.netc.graph.Node;

/**
 * The epilogue of a convolution kernel, shared by every convolution kernel variant: bias (a folded batch norm's
 * shift included: its scale is in the weights), the residual operand of a fused residual add, the activation. A
 * variant calls {@link #residualBase} once after computing its filter index, then {@link #store} per accumulator.
 */
final class ClEpilogue {
  private ClEpilogue() {}

  /**
   * For a convolution with a residual operand (its second input), declares {@code __global const float* res}: the
   * residual's plane of filter {@code f} in image {@code n}. Nothing otherwise.
   *
   * @param f the C expression of the kernel's first filter
   */
  static void residualBase(ClContext ctx, Node node, Conv c, String f) {
    if (!c.residual()) return;
    ctx.cl.line("__global const float* res = %s + %s * %d;", ctx.image(node.inputs().get(1)), f,
        node.shape().plane());
  }

  /**
   * Declares {@code const <type> v<suffix> = acc + bias[f + j] + residual} and {@code r<suffix> =
   * activation(v<suffix>)}, the value to store.
   *
   * @param type the accumulator's type, {@code float} or {@code floatN}
   * @param f the C expression of the kernel's first filter; {@code j} is added for the {@code j}-th accumulator
   * @param residual the C expression of the residual value(s) at the accumulator's positions, read from {@code
   *     res + j * plane} (see {@link #residualVector}); ignored without a residual
   */
  static void store(ClWriter cl, Conv c, boolean bias, String type, String acc, String f, int j, String residual,
      String suffix) {
    StringBuilder v = new StringBuilder(acc);
    if (bias) v.append(" + bias[").append(f).append(j == 0 ? "" : " + " + j).append(']');
    if (c.residual()) v.append(" + ").append(residual);
    cl.line("const %s v%s = %s;", type, suffix, v);
    cl.line("const %s r%s = %s;", type, suffix, ClExpr.activation(c.activation(), "v" + suffix));
  }

  /**
   * The residual at {@code vw} positions of filter {@code f + j}: {@code vloadN} from position {@code p} when every
   * lane is a real position, else a gather at the lanes' (clamped) positions {@code q}, which never reads past
   * the plane.
   */
  static String residualVector(int vw, boolean tail, int plane, int j) {
    String base = j == 0 ? "res" : "(res + " + j * plane + ")";
    if (!tail) return "vload" + vw + "(0, " + base + " + p)";
    StringBuilder g = new StringBuilder("(float" + vw + ")(");
    for (int l = 0; l < vw; l++) g.append(l == 0 ? "" : ", ").append(base).append("[q.s").append(LANES.charAt(l)).append(']');
    return g.append(')').toString();
  }

  private static final String LANES = "0123456789abcdef";
}
