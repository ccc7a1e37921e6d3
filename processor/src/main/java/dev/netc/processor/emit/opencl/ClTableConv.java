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
 * {@code <k>_maps[j]} is kernel {@code j}'s input map. One work-item per (tile of up to {@value #TILE}
 * consecutive columns of an output row, filter, image), global {@code {OH * tiles per row, filters, batch}}:
 * the tile's accumulators stay in registers while the work-item runs over its filter's kernels and taps, and
 * each weight is loaded once per tile rather than once per output (a work-item per output ran C3 at about 2
 * GFLOP/s on PoCL). Columns past a row's end repeat its last column and are not stored; padded layers read
 * clamped and mask with a select, unpadded ones have neither.
 */
final class ClTableConv {
  /** Output columns per work-item: C3's and C1's rows (10, 28) in one or two tiles, few registers on a GPU. */
  static final int TILE = 16;

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
    // a work-item holds a tile of up to TILE consecutive output columns of one row in registers
    int tw = Math.min(out.width(), TILE);
    int chunks = (out.width() + tw - 1) / tw;
    boolean tail = out.width() % tw != 0;
    ClContext.Dim0 dim = ClContext.dim0(out.height() * chunks);
    ClWriter cl = ctx.cl;
    ctx.header(node, "connection table: filter f's kernels are rows " + first + "[f] .. " + first + "[f + 1] - 1 of"
        + " the weight,\nkernel j reading input map " + maps + "[j]\none work-item per (" + tw + " output columns of"
        + " a row, filter, image): global {" + dim.global() + ", " + c.filters() + ", batch}");
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
    cl.line(chunks == 1 ? "const int oy = g;" : "const int oy = g / " + chunks + ";");
    cl.line(chunks == 1 ? "const int ox0 = 0;" : "const int ox0 = (g - oy * " + chunks + ") * " + tw + ";");
    cl.line("const int y0 = %s;", ClConv.affine("oy", c.strideH(), c.padH()));
    if (tail) {
      cl.comment("columns past the row's end compute its last column again and are not stored");
    }
    cl.line("__global const float* x = %s;", ctx.image(node.input()));
    cl.line("float acc[%d];", tw);
    cl.line("for (int i = 0; i < %d; i++) acc[i] = 0.0f;", tw);
    cl.open("for (int j = %s[f]; j < %s[f + 1]; j++)", first, first);
    cl.line("__global const float* xm = x + %s[j] * %d;", maps, in.plane());
    cl.line("__global const float* w = weight + j * %d;", c.kernelH() * c.kernelW());
    boolean padded = c.padH() > 0 || c.padW() > 0;
    cl.open("for (int ky = 0; ky < %d; ky++)", c.kernelH());
    cl.line("const int yy = y0 + ky;");
    if (padded) cl.line("if (yy < 0 || yy >= %d) continue;", in.height());
    cl.open("for (int kx = 0; kx < %d; kx++)", c.kernelW());
    cl.line("const float wv = w[ky * %d + kx];", c.kernelW());
    cl.open("for (int i = 0; i < %d; i++)", tw);
    String column = tail ? "min(ox0 + i, " + (out.width() - 1) + ")" : c.strideW() == 1 ? "ox0 + i" : "(ox0 + i)";
    cl.line("const int xx = %s + kx;", ClConv.affine(column, c.strideW(), c.padW()));
    if (padded) {
      cl.comment("padding: a clamped read, masked to zero");
      cl.line("const float v = xm[yy * %d + clamp(xx, 0, %d)];", in.width(), in.width() - 1);
      cl.line("acc[i] += (xx >= 0 && xx < %d) ? wv * v : 0.0f;", in.width());
    } else {
      cl.line("acc[i] += wv * xm[yy * %d + xx];", in.width());
    }
    cl.close().close().close().close();
    cl.line("__global float* y = %s + f * %d + oy * %d + ox0;", ctx.image(node.name()), out.plane(), out.width());
    cl.open("for (int i = 0; i < %d; i++)", tw);
    if (tail) cl.line("if (ox0 + i >= %d) break;", out.width());
    cl.line("const float v = acc[i]%s;", c.bias() ? " + bias[f]" : "");
    cl.line("y[i] = %s;", ClExpr.activation(c.activation(), "v"));
    cl.close();
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
