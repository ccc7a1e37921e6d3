package dev.netc.processor.emit.opencl;

import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Convolution with its bias and activation epilogue. One work-item computes one output position of a block of
 * up to 8 filters (of one group) of one image (global {@code {OH*OW, filters/block, batch}}): it sums its group's
 * input channels x kernel rows x kernel columns, each input value loaded once and multiplied into every filter's
 * accumulator (register blocking; on PoCL this halved AlexNet's convolution time against one filter per
 * work-item), then writes {@code activation(sum + bias)}. Dimension 0 runs along contiguous outputs, so a CPU
 * device (PoCL) vectorises neighbouring positions and a GPU coalesces their loads; all work-items of a
 * work-group read the same weights. Bounds checks are generated only for the padded directions.
 */
final class ClConv {
  private ClConv() {}

  static void emit(ClContext ctx, Node node, Conv c) {
    Shape in = ctx.inputShape(node);
    Shape out = node.shape();
    int cg = in.channels() / c.groups();
    int fg = c.filters() / c.groups();
    int kernel = c.kernelH() * c.kernelW();
    int positions = out.plane();
    String k = ctx.kernelName(node, "conv");
    List<WeightSpec> specs = ctx.graph.weightsOf(node);
    List<String> buffers = new ArrayList<>();
    List<String> params = new ArrayList<>();
    buffers.add(ctx.tensor(k, "Weight", specs.get(0)));
    params.add("weight");
    if (c.bias()) {
      buffers.add(ctx.tensor(k, "Bias", specs.get(1)));
      params.add("bias");
    }
    ClContext.Dim0 dim = ClContext.dim0(positions);
    int fb = filterBlock(fg);
    int blocks = c.filters() / fb;
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (output position, " + (fb == 1 ? "filter" : "block of " + fb + " filters")
        + ", image): global {" + dim.global() + ", " + blocks + ", batch}");
    cl.kernel(k, params);
    ctx.position("p", dim);
    cl.line(fb == 1 ? "const int f = get_global_id(1);" : "const int f = get_global_id(1) * " + fb + ";");
    cl.line("const int n = get_global_id(2);");
    cl.line("const int oy = p / %d;", out.width());
    cl.line("const int ox = p - oy * %d;", out.width());
    cl.line("const int y0 = %s;", affine("oy", c.strideH(), c.padH()));
    cl.line("const int x0 = %s;", affine("ox", c.strideW(), c.padW()));
    String group = c.groups() == 1 ? "" : " + f / " + fg + " * " + (cg * in.plane());
    cl.line("__global const float* x = %s%s;", ctx.image(node.input()), group);
    int perFilter = cg * kernel;
    cl.line("__global const float* w = weight + f * %d;", perFilter);
    StringBuilder init = new StringBuilder("float ");
    for (int j = 0; j < fb; j++) init.append(j == 0 ? "" : ", ").append(acc(fb, j)).append(" = 0.0f");
    cl.line(init.append(';').toString());
    cl.open("for (int c = 0; c < %d; c++)", cg);
    cl.line("__global const float* xc = x + c * %d;", in.plane());
    cl.line("__global const float* wc = w + c * %d;", kernel);
    // loops over a kernel dimension of 1 are left out, so 1x1, 1xN and Nx1 kernels read plainly
    boolean rows = c.kernelH() > 1;
    boolean cols = c.kernelW() > 1;
    if (rows) cl.open("for (int ky = 0; ky < %d; ky++)", c.kernelH());
    cl.line(rows ? "const int iy = y0 + ky;" : "const int iy = y0;");
    if (c.padH() > 0) cl.line("if (iy < 0 || iy >= %d) continue;", in.height());
    if (cols) cl.open("for (int kx = 0; kx < %d; kx++)", c.kernelW());
    cl.line(cols ? "const int ix = x0 + kx;" : "const int ix = x0;");
    if (c.padW() > 0) cl.line("if (ix < 0 || ix >= %d) continue;", in.width());
    String tap = rows && cols ? "ky * " + c.kernelW() + " + kx" : rows ? "ky" : cols ? "kx" : "0";
    if (fb == 1) {
      cl.line("acc += xc[iy * %d + ix] * wc[%s];", in.width(), tap);
    } else {
      cl.line("const float a = xc[iy * %d + ix];", in.width());
      for (int j = 0; j < fb; j++) {
        cl.line("%s += a * wc[%s%s];", acc(fb, j), j == 0 ? "" : (j * perFilter) + " + ", tap);
      }
    }
    if (cols) cl.close();
    if (rows) cl.close();
    cl.close();
    cl.line("__global float* y = %s + f * %d + p;", ctx.image(node.name()), positions);
    for (int j = 0; j < fb; j++) {
      String b = c.bias() ? " + bias[f" + (j == 0 ? "" : " + " + j) + "]" : "";
      cl.line("const float v%s = %s%s;", fb == 1 ? "" : j, acc(fb, j), b);
      String v = fb == 1 ? "v" : "v" + j;
      cl.line("y[%s] = %s;", j == 0 ? "0" : j * positions, ClExpr.activation(c.activation(), v));
    }
    cl.close();
    long macs = (long) out.size() * cg * kernel;
    ctx.launch(k, node, new long[] {dim.global(), blocks}, new long[] {dim.local(), 1}, 2 * macs
        + (long) out.size() * ClExpr.flops(c.activation()), 4L * (in.size() + out.size()),
        4L * (specs.get(0).size() + (c.bias() ? c.filters() : 0)), buffers);
  }

  /**
   * Filters per work-item: each input value loaded is used by this many multiply-adds (register blocking). The
   * largest of 8, 4, 2 that divides the filters of a group, so a block never straddles two groups.
   */
  static int filterBlock(int filtersPerGroup) {
    for (int b : new int[] {8, 4, 2}) if (filtersPerGroup % b == 0) return b;
    return 1;
  }

  private static String acc(int fb, int j) {
    return fb == 1 ? "acc" : "acc" + j;
  }

  /** {@code v * scale - offset}, written without multiplying by 1 or subtracting 0. */
  static String affine(String v, int scale, int offset) {
    String s = scale == 1 ? v : v + " * " + scale;
    if (offset == 0) return s;
    return offset > 0 ? s + " - " + offset : s + " + " + (-offset);
  }
}
