package dev.netc.processor.emit.opencl;

import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.TableConv;
import dev.netc.graph.WeightSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A convolution with a connection table (LeNet-5's C3), with its bias and activation epilogue. The table
 * becomes two program-scope {@code __constant} arrays next to the kernel: {@code <k>_first[f] ..
 * <k>_first[f + 1] - 1} are filter {@code f}'s kernels (rows of the {@code [connections, kh, kw]} weight),
 * {@code <k>_maps[j]} is kernel {@code j}'s input map.
 *
 * <p>The work is laid out as {@link ClConv}'s: a work-item computes a vector of 8 or 16 consecutive output
 * positions (one lane each, along the flattened output plane) of one filter of one image, global {@code
 * {ceil(OH*OW/lanes), filters, batch}}, taps outside and the filter's kernels inside, so each tap's gather
 * offsets and padding mask are computed once for all the maps the filter sees; padding by clamped gathers and
 * {@code select}, none for unpadded layers; lanes past the last position repeat it and are not stored.
 *
 * <p>Measured on PoCL (2 shared cores, under load): C3 at 1.9 GFLOP/s with a scalar work-item per output, 2.3
 * with a row of 16 columns per work-item, 2.8 with these vectors. Each gathered vector serves one filter's
 * kernel (16 loads per 16 multiply-adds), where {@link ClConv}'s filter blocks reuse a gather up to 32 times;
 * filters of a table see different maps, so they cannot share gathers that way.
 */
final class ClTableConv {
  private static final String LANES = "0123456789abcdef";

  private ClTableConv() {}

  static void emit(ClContext ctx, Node node, TableConv t) {
    Conv c = t.conv();
    Shape in = ctx.inputShape(node);
    Shape out = node.shape();
    String k = ctx.kernelName(node, "tableconv");
    List<WeightSpec> specs = ctx.graph.weightsOf(node);
    List<String> buffers = new ArrayList<>();
    List<String> params = new ArrayList<>();
    buffers.add(ctx.tensor(k, "Weight", specs.get(0)));
    params.add("weight");
    if (c.bias()) {
      buffers.add(ctx.tensor(k, "Bias", specs.get(1)));
      params.add("bias");
    }
    String first = ctx.uniqueKernel(k + "_first");
    String maps = ctx.uniqueKernel(k + "_maps");
    int[] firsts = t.table().first();
    int[] mapOf = t.table().maps();
    int positions = out.plane();
    int vw = ClConv.vectorWidth(positions);
    String fv = "float" + vw;
    String iv = "int" + vw;
    int vectors = (positions + vw - 1) / vw;
    ClContext.Dim0 dim = ClContext.dim0(vectors);
    ClWriter cl = ctx.cl;
    ctx.header(node, "connection table: filter f's kernels are rows " + first + "[f] .. " + first + "[f + 1] - 1 of"
        + " the weight,\nkernel j reading input map " + maps + "[j]\none work-item per (" + vw + " consecutive output"
        + " positions, filter, image): global {" + dim.global() + ", " + c.filters() + ", batch}");
    cl.line("__constant int %s[%d] = {%s};", first, firsts.length, join(firsts, 0, firsts.length));
    cl.line("__constant int %s[%d] = {", maps, mapOf.length);
    for (int f = 0; f < c.filters(); f++) {
      boolean last = f == c.filters() - 1;
      cl.line("    %s%s // filter %d", join(mapOf, firsts[f], firsts[f + 1]), last ? "" : ",", f);
    }
    cl.line("};");
    cl.kernel(k, params);
    ctx.position("g", dim);
    cl.line("const int f = get_global_id(1);");
    cl.line("const int n = get_global_id(2);");
    cl.line("const int p = g * %d;", vw);
    StringBuilder lanes = new StringBuilder("(" + iv + ")(");
    for (int l = 0; l < vw; l++) lanes.append(l == 0 ? "" : ", ").append(l);
    lanes.append(')');
    // as in ClConv: lanes past the last position compute the last one again and are not stored
    String lastPosition = "(" + iv + ")(" + (positions - 1) + ")";
    cl.line("const %s q = %s;", iv, positions % vw == 0 ? "p + " + lanes : "min(p + " + lanes + ", " + lastPosition + ")");
    cl.line("const %s oy = q / %d;", iv, out.width());
    cl.line("const %s ox = q - oy * %d;", iv, out.width());
    cl.line("const %s y0 = %s;", iv, ClConv.affine("oy", c.strideH(), c.padH()));
    cl.line("const %s x0 = %s;", iv, ClConv.affine("ox", c.strideW(), c.padW()));
    cl.line("__global const float* x = %s;", ctx.image(node.input()));
    cl.line("const int j0 = %s[f], j1 = %s[f + 1];", first, first);
    cl.line("%s acc = 0.0f;", fv);
    boolean padded = c.padH() > 0 || c.padW() > 0;
    // taps outside, the filter's kernels inside: each tap's gather offsets (and mask) serve all its input maps
    cl.open("for (int ky = 0; ky < %d; ky++)", c.kernelH());
    cl.line("const %s iy = y0 + ky;", iv);
    if (c.padH() > 0) {
      cl.line("const %s oky = (iy >= 0) & (iy < %d);", iv, in.height());
      cl.line("const %s ry = clamp(iy, (%s)(0), (%s)(%d)) * %d;", iv, iv, iv, in.height() - 1, in.width());
    } else {
      cl.line("const %s ry = iy * %d;", iv, in.width());
    }
    cl.open("for (int kx = 0; kx < %d; kx++)", c.kernelW());
    cl.line("const %s ix = x0 + kx;", iv);
    if (c.padW() > 0) {
      cl.line("const %s o = ry + clamp(ix, (%s)(0), (%s)(%d));", iv, iv, iv, in.width() - 1);
    } else {
      cl.line("const %s o = ry + ix;", iv);
    }
    if (padded) {
      String m = c.padH() > 0 && c.padW() > 0 ? "oky & (ix >= 0) & (ix < " + in.width() + ")"
          : c.padH() > 0 ? "oky" : "(ix >= 0) & (ix < " + in.width() + ")";
      cl.line("const %s ok = %s;", iv, m);
    }
    cl.line("__global const float* wt = weight + ky * %d + kx;", c.kernelW());
    cl.open("for (int j = j0; j < j1; j++)");
    cl.line("__global const float* xm = x + %s[j] * %d;", maps, in.plane());
    StringBuilder gather = new StringBuilder("(" + fv + ")(");
    for (int l = 0; l < vw; l++) gather.append(l == 0 ? "" : ", ").append("xm[o.s").append(LANES.charAt(l)).append(']');
    gather.append(')');
    cl.line("const %s a = %s;", fv, padded ? "select((" + fv + ")(0.0f), " + gather + ", ok)" : gather);
    cl.line("acc = fma(a, (%s)(wt[j * %d]), acc);", fv, c.kernelH() * c.kernelW());
    cl.close().close().close();
    cl.line("__global float* y = %s + f * %d + p;", ctx.image(node.name()), positions);
    cl.line("const %s v = acc%s;", fv, c.bias() ? " + bias[f]" : "");
    cl.line("const %s r = %s;", fv, ClExpr.activation(c.activation(), "v"));
    if (positions % vw == 0) {
      cl.line("vstore%d(r, 0, y);", vw);
    } else {
      cl.open("if (p + %d <= %d)", vw, positions);
      cl.line("vstore%d(r, 0, y);", vw);
      cl.close();
      cl.open("else");
      cl.comment("the last, partial vector: lane by lane");
      for (int l = 0; l < vw; l++) {
        if (l == 0) cl.line("y[0] = r.s0;");
        else cl.line("if (p + %d < %d) y[%d] = r.s%c;", l, positions, l, LANES.charAt(l));
      }
      cl.close();
    }
    cl.close();
    long macs = (long) out.plane() * t.table().connections() * c.kernelH() * c.kernelW();
    ctx.launch(k, node, new long[] {dim.global(), c.filters()}, new long[] {dim.local(), 1}, 2 * macs
        + (long) out.size() * ClExpr.flops(c.activation()), 4L * (in.size() + out.size()),
        4L * (specs.get(0).size() + (c.bias() ? c.filters() : 0)), buffers);
  }

  private static String join(int[] values, int from, int to) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < to; i++) s.append(i == from ? "" : ", ").append(values[i]);
    return s.toString();
  }
}
