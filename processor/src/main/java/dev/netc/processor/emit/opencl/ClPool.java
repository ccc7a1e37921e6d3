package dev.netc.processor.emit.opencl;

import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.Lrn;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import java.util.List;

/**
 * Pooling, local response normalisation, the two fused ({@code LrnPool}), and adaptive and global average
 * pooling. One work-item per output value (global {@code {OH*OW, C, batch}}; global pooling {@code {C,
 * batch}}). Fused LRN + pool normalises each input of its window as it pools it, so the normalised tensor is
 * never stored; overlapping windows recompute a few values, which costs less than a round trip through memory.
 *
 * <p>Semantics as the Java backend and PyTorch: max pooling ignores padding and propagates NaN; average pooling
 * divides by the window clipped to the padded input ({@code countIncludePad}) or by its real cells.
 */
final class ClPool {
  private ClPool() {}

  /** A pool, an LRN, or both fused (either may be null, not both). */
  static void emit(ClContext ctx, Node node, Lrn lrn, Pool pool) {
    Shape in = ctx.inputShape(node);
    Shape out = node.shape();
    String k = ctx.kernelName(node, lrn == null ? "pool" : pool == null ? "lrn" : "lrnpool");
    ClContext.Dim0 dim = ClContext.dim0(out.plane());
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (output position, channel, image): global {" + dim.global() + ", "
        + out.channels() + ", batch}");
    cl.kernel(k, List.of());
    ctx.position("p", dim);
    cl.line("const int c = get_global_id(1);");
    cl.line("const int n = get_global_id(2);");
    cl.line("__global const float* x = %s;", ctx.image(node.input()));
    cl.line("__global float* y = %s;", ctx.image(node.name()));
    int lrnFlops = 0;
    if (lrn != null) {
      int half = lrn.size() / 2;
      cl.comment("LRN: b = a / (" + lrn.k() + " + " + lrn.coefficient() + " * sum of squares over channels c-" + half
          + " .. c+" + half + ")^" + lrn.beta());
      cl.line("const int lo = max(0, c - %d);", half);
      cl.line("const int hi = min(%d, c + %d);", in.channels() - 1, half);
      lrnFlops = 2 * lrn.size() + 4;
    }
    long flops;
    if (pool == null) {
      normalised(cl, lrn, in, "p", "v");
      cl.line("y[c * %d + p] = v;", out.plane());
      flops = (long) out.size() * lrnFlops;
    } else {
      pool(cl, lrn, pool, in, out);
      flops = (long) out.size() * pool.windowH() * pool.windowW() * (1 + lrnFlops);
    }
    cl.close();
    ctx.launch(k, node, new long[] {dim.global(), out.channels()}, new long[] {dim.local(), 1}, flops,
        4L * (in.size() + out.size()), 0, List.of());
  }

  /** Declares {@code float v}: the input at plane index {@code i} of channel c, LRN-normalised if there is one. */
  private static void normalised(ClWriter cl, Lrn lrn, Shape in, String i, String v) {
    if (lrn == null) {
      cl.line("const float %s = x[c * %d + %s];", v, in.plane(), i);
      return;
    }
    cl.line("float s = 0.0f;");
    cl.open("for (int j = lo; j <= hi; j++)");
    cl.line("const float a = x[j * %d + %s];", in.plane(), i);
    cl.line("s += a * a;");
    cl.close();
    cl.line("const float d = %s + %s * s;", ClWriter.f(lrn.k()), ClWriter.f(lrn.coefficient()));
    cl.line("const float %s = x[c * %d + %s] * %s;", v, in.plane(), i, ClExpr.lrnPower(lrn.beta(), "d"));
  }

  private static void pool(ClWriter cl, Lrn lrn, Pool p, Shape in, Shape out) {
    boolean max = p.kind() == Pool.Kind.MAX;
    cl.line("const int oy = p / %d;", out.width());
    cl.line("const int ox = p - oy * %d;", out.width());
    cl.line("const int y0 = %s;", ClConv.affine("oy", p.strideH(), p.padH()));
    cl.line("const int x0 = %s;", ClConv.affine("ox", p.strideW(), p.padW()));
    cl.line(max ? "float m = -INFINITY;" : "float sum = 0.0f;");
    if (windowsInside(p, in, out)) {
      // The common case (AlexNet's, LeNet's pools): constant trip counts the compiler unrolls, no clamping, and
      // a select instead of a branch, so the work-items of a group run as vector lanes.
      cl.comment("every window lies inside the input: fixed bounds, no clamping");
      cl.open("for (int ky = 0; ky < %d; ky++)", p.windowH());
      cl.open("for (int kx = 0; kx < %d; kx++)", p.windowW());
      normalised(cl, lrn, in, "(y0 + ky) * " + in.width() + " + x0 + kx", "v");
      cl.line(max ? "m = (v > m || isnan(v)) ? v : m;" : "sum += v;");
      cl.close().close();
      if (max) {
        cl.line("y[c * %d + p] = m;", out.plane());
      } else {
        cl.line("y[c * %d + p] = sum / %s;", out.plane(), ClWriter.f((float) (p.windowH() * p.windowW())));
      }
      return;
    }
    cl.line("const int ys = max(y0, 0), ye = min(y0 + %d, %d);", p.windowH(), in.height());
    cl.line("const int xs = max(x0, 0), xe = min(x0 + %d, %d);", p.windowW(), in.width());
    cl.open("for (int yy = ys; yy < ye; yy++)");
    cl.open("for (int xx = xs; xx < xe; xx++)");
    normalised(cl, lrn, in, "yy * " + in.width() + " + xx", "v");
    cl.line(max ? "if (v > m || isnan(v)) m = v;" : "sum += v;");
    cl.close().close();
    if (max) {
      cl.line("y[c * %d + p] = m;", out.plane());
      return;
    }
    if (p.countIncludePad()) {
      cl.comment("PyTorch divides by the window clipped to the padded input");
      cl.line("const int count = (min(y0 + %d, %d) - y0) * (min(x0 + %d, %d) - x0);", p.windowH(),
          in.height() + p.padH(), p.windowW(), in.width() + p.padW());
    } else {
      cl.line("const int count = (ye - ys) * (xe - xs);");
    }
    cl.line("y[c * %d + p] = sum / (float) count;", out.plane());
  }

  /** Whether every window lies wholly inside the input: no padding, and the last window ends by the edge. */
  static boolean windowsInside(Pool p, Shape in, Shape out) {
    return p.padH() == 0 && p.padW() == 0
        && (out.height() - 1) * p.strideH() + p.windowH() <= in.height()
        && (out.width() - 1) * p.strideW() + p.windowW() <= in.width();
  }

  /** PyTorch's AdaptiveAvgPool2d cells: rows floor(i*H/OH) .. ceil((i+1)*H/OH) - 1, likewise columns. */
  static void adaptive(ClContext ctx, Node node, AdaptiveAvgPool a) {
    Shape in = ctx.inputShape(node);
    Shape out = node.shape();
    String k = ctx.kernelName(node, "adaptiveavgpool");
    ClContext.Dim0 dim = ClContext.dim0(out.plane());
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (output cell, channel, image): global {" + dim.global() + ", "
        + out.channels() + ", batch}");
    cl.kernel(k, List.of());
    ctx.position("p", dim);
    cl.line("const int c = get_global_id(1);");
    cl.line("const int n = get_global_id(2);");
    cl.line("__global const float* x = %s + c * %d;", ctx.image(node.input()), in.plane());
    cl.line("__global float* y = %s;", ctx.image(node.name()));
    cl.line("const int oy = p / %d;", a.width());
    cl.line("const int ox = p - oy * %d;", a.width());
    cl.line("const int ys = oy * %d / %d, ye = ((oy + 1) * %d + %d) / %d;", in.height(), a.height(), in.height(),
        a.height() - 1, a.height());
    cl.line("const int xs = ox * %d / %d, xe = ((ox + 1) * %d + %d) / %d;", in.width(), a.width(), in.width(),
        a.width() - 1, a.width());
    cl.line("float sum = 0.0f;");
    cl.open("for (int yy = ys; yy < ye; yy++)");
    cl.line("for (int xx = xs; xx < xe; xx++) sum += x[yy * %d + xx];", in.width());
    cl.close();
    cl.line("y[c * %d + p] = sum / (float) ((ye - ys) * (xe - xs));", out.plane());
    cl.close();
    ctx.launch(k, node, new long[] {dim.global(), out.channels()}, new long[] {dim.local(), 1}, in.size(),
        4L * (in.size() + out.size()), 0, List.of());
  }

  /** The mean of each channel's plane: one work-item per (channel, image), global {@code {C, batch}}. */
  static void global(ClContext ctx, Node node) {
    Shape in = ctx.inputShape(node);
    String k = ctx.kernelName(node, "globalavgpool");
    ClContext.Dim0 dim = ClContext.dim0(in.channels());
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (channel, image): global {" + dim.global() + ", batch}");
    cl.kernel(k, List.of());
    ctx.position("c", dim);
    cl.line("const int n = get_global_id(1);");
    cl.line("__global const float* x = %s + c * %d;", ctx.image(node.input()), in.plane());
    cl.line("float sum = 0.0f;");
    cl.line("for (int i = 0; i < %d; i++) sum += x[i];", in.plane());
    cl.line("__global float* y = %s;", ctx.image(node.name()));
    cl.line("y[c] = sum / %s;", ClWriter.f((float) in.plane()));
    cl.close();
    ctx.launch(k, node, new long[] {dim.global()}, new long[] {dim.local()}, in.size(),
        4L * (in.size() + in.channels()), 0, List.of());
  }
}
