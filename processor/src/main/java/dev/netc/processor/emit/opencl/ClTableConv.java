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
 * {@code <k>_maps[j]} is kernel {@code j}'s input map. One work-item per (output position, filter, image),
 * global {@code {OH*OW, filters, batch}}, summing directly over its filter's kernels and taps: the layers
 * this serves are tiny (C3: 150,000 multiply-adds per image), so the register tiles of {@link ClConv} would
 * buy nothing, and a direct sum keeps the kernel obviously right. Padding checks only for padded layers.
 */
final class ClTableConv {
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
    ClContext.Dim0 dim = ClContext.dim0(out.plane());
    ClWriter cl = ctx.cl;
    ctx.header(node, "connection table: filter f's kernels are rows " + first + "[f] .. " + first + "[f + 1] - 1 of"
        + " the weight,\nkernel j reading input map " + maps + "[j]\none work-item per (output position, filter, image): global {"
        + dim.global() + ", " + c.filters() + ", batch}");
    cl.line("__constant int %s[%d] = {%s};", first, firsts.length, join(firsts, 0, firsts.length));
    cl.line("__constant int %s[%d] = {", maps, mapOf.length);
    for (int f = 0; f < c.filters(); f++) {
      boolean last = f == c.filters() - 1;
      cl.line("    %s%s // filter %d", join(mapOf, firsts[f], firsts[f + 1]), last ? "" : ",", f);
    }
    cl.line("};");
    cl.kernel(k, params);
    ctx.position("p", dim);
    cl.line("const int f = get_global_id(1);");
    cl.line("const int n = get_global_id(2);");
    cl.line("const int oy = p / %d;", out.width());
    cl.line("const int ox = p - oy * %d;", out.width());
    cl.line("const int y0 = %s;", ClConv.affine("oy", c.strideH(), c.padH()));
    cl.line("const int x0 = %s;", ClConv.affine("ox", c.strideW(), c.padW()));
    cl.line("__global const float* x = %s;", ctx.image(node.input()));
    cl.line("float acc = %s;", c.bias() ? "bias[f]" : "0.0f");
    cl.open("for (int j = %s[f]; j < %s[f + 1]; j++)", first, first);
    cl.line("__global const float* xm = x + %s[j] * %d;", maps, in.plane());
    cl.line("__global const float* w = weight + j * %d;", c.kernelH() * c.kernelW());
    boolean padded = c.padH() > 0 || c.padW() > 0;
    cl.open("for (int ky = 0; ky < %d; ky++)", c.kernelH());
    cl.line("const int yy = y0 + ky;");
    if (padded) cl.line("if (yy < 0 || yy >= %d) continue;", in.height());
    cl.open("for (int kx = 0; kx < %d; kx++)", c.kernelW());
    cl.line("const int xx = x0 + kx;");
    if (padded) cl.line("if (xx < 0 || xx >= %d) continue;", in.width());
    cl.line("acc += w[ky * %d + kx] * xm[yy * %d + xx];", c.kernelW(), in.width());
    cl.close().close().close();
    cl.line("(%s)[f * %d + p] = %s;", ctx.image(node.name()), out.plane(), ClExpr.activation(c.activation(), "acc"));
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
