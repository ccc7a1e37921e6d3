package dev.netc.processor.emit.opencl;

import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU variant of convolution (see {@code KernelVariant.GPU}), with the same epilogue as the CPU one ({@link
 * ClEpilogue}: bias, folded batch norm, residual, activation): one work-item per (output position, block of
 * up to 8 filters of one group, image), in work-groups of {@value #GROUP} consecutive positions (global {@code
 * {ceil(OH*OW/64)*64, filters/block, batch}}). The block's weights are the same for the whole work-group, so
 * it stages them in local memory a chunk of input channels at a time (at most {@value #LOCAL_FLOATS} floats,
 * 8 KB, far below the 32 KB every OpenCL 1.2 device offers): each weight is read from global memory once per
 * work-group instead of once per work-item, and neighbouring work-items read neighbouring input values
 * (coalesced). Accumulators are scalars, a few per work-item, so a GPU keeps many work-items in flight.
 *
 * <p>Work-items past the last position still take part in every barrier (a barrier must be reached by the
 * whole group) but compute on a clamped position and store nothing. On a CPU device this variant is slow
 * (PoCL runs a work-group's barriers as loops); it is tested there for correctness and under Oclgrind for
 * races, and chosen on GPUs.
 */
final class ClConvGpu {
  private ClConvGpu() {}

  /** Work-items per work-group, along the output positions. */
  static final int GROUP = 64;
  /** Floats of local memory for one chunk of the block's weights. */
  static final int LOCAL_FLOATS = 2048;

  static void emit(ClContext ctx, Node node, Conv c) {
    Shape in = ctx.inputShape(node);
    Shape out = node.shape();
    int cg = in.channels() / c.groups();
    int fg = c.filters() / c.groups();
    int taps = c.kernelH() * c.kernelW();
    int positions = out.plane();
    int fb = filterBlock(fg, taps);
    int chunk = Math.max(1, Math.min(cg, LOCAL_FLOATS / (fb * taps)));
    int staged = fb * chunk * taps;
    String k = ctx.kernelName(node, "conv");
    List<WeightSpec> specs = ctx.graph.weightsOf(node);
    List<String> buffers = new ArrayList<>();
    List<String> params = new ArrayList<>();
    boolean bias = ctx.layerWeights(k, node, c.norm(), c.bias(), buffers, params);
    long global = (positions + GROUP - 1L) / GROUP * GROUP;
    int blocks = c.filters() / fb;
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (output position, " + (fb == 1 ? "filter" : "block of " + fb + " filters")
        + ", image), work-groups of " + GROUP + " positions staging the block's weights in local memory, "
        + chunk + " input channel" + (chunk == 1 ? "" : "s") + " at a time: global {" + global + ", " + blocks
        + ", batch}");
    cl.kernel(k, params, GROUP);
    cl.line("__local float wl[%d]; // weights of the block for one chunk of channels: [filter][channel][tap]", staged);
    cl.line("const int p = get_global_id(0);");
    cl.line(fb == 1 ? "const int f = get_global_id(1);" : "const int f = get_global_id(1) * " + fb + ";");
    cl.line("const int n = get_global_id(2);");
    cl.line("const int lid = get_local_id(0);");
    if (global != positions) {
      cl.comment("work-items past the last position reach every barrier but store nothing");
      cl.line("const int q = min(p, %d);", positions - 1);
    } else {
      cl.line("const int q = p;");
    }
    cl.line("const int oy = q / %d;", out.width());
    cl.line("const int ox = q - oy * %d;", out.width());
    cl.line("const int y0 = %s;", ClConv.affine("oy", c.strideH(), c.padH()));
    cl.line("const int x0 = %s;", ClConv.affine("ox", c.strideW(), c.padW()));
    String group = c.groups() == 1 ? "" : " + f / " + fg + " * " + (cg * in.plane());
    cl.line("__global const float* x = %s%s;", ctx.image(node.inputs().get(0)), group);
    cl.line("__global const float* w = weight + f * %d;", cg * taps);
    StringBuilder init = new StringBuilder("float ");
    for (int j = 0; j < fb; j++) init.append(j == 0 ? "" : ", ").append("acc").append(j).append(" = 0.0f");
    cl.line(init.append(';').toString());

    cl.open("for (int c0 = 0; c0 < %d; c0 += %d)", cg, chunk);
    cl.line("barrier(CLK_LOCAL_MEM_FENCE); // every work-item is done with the previous chunk");
    cl.open("for (int i = lid; i < %d; i += %d)", staged, GROUP);
    cl.line("const int j = i / %d;", chunk * taps);
    cl.line("const int r = i - j * %d;", chunk * taps);
    if (cg % chunk == 0) {
      cl.line("wl[i] = w[j * %d + c0 * %d + r];", cg * taps, taps);
    } else {
      cl.line("wl[i] = c0 + r / %d < %d ? w[j * %d + c0 * %d + r] : 0.0f;", taps, cg, cg * taps, taps);
    }
    cl.close();
    cl.line("barrier(CLK_LOCAL_MEM_FENCE);");
    cl.open(cg % chunk == 0 ? "for (int cc = 0; cc < %d; cc++)" : "for (int cc = 0; cc < min(%d, %d - c0); cc++)",
        chunk, cg);
    cl.line("__global const float* xc = x + (c0 + cc) * %d;", in.plane());
    cl.line("__local const float* wc = wl + cc * %d;", taps);
    boolean rows = c.kernelH() > 1;
    boolean cols = c.kernelW() > 1;
    if (rows) cl.open("for (int ky = 0; ky < %d; ky++)", c.kernelH());
    cl.line("const int iy = %s;", rows ? "y0 + ky" : "y0");
    if (cols) cl.open("for (int kx = 0; kx < %d; kx++)", c.kernelW());
    cl.line("const int ix = %s;", cols ? "x0 + kx" : "x0");
    List<String> bounds = new ArrayList<>();
    if (c.padH() > 0) bounds.add("iy >= 0 && iy < " + in.height());
    if (c.padW() > 0) bounds.add("ix >= 0 && ix < " + in.width());
    String load = "xc[iy * " + in.width() + " + ix]";
    // the conditional reads nothing outside the plane: only the chosen operand is evaluated
    cl.line("const float a = %s;", bounds.isEmpty() ? load : String.join(" && ", bounds) + " ? " + load + " : 0.0f");
    String tap = rows && cols ? "ky * " + c.kernelW() + " + kx" : rows ? "ky" : cols ? "kx" : "0";
    for (int j = 0; j < fb; j++) {
      String at = j == 0 ? tap : j * chunk * taps + " + " + tap;
      cl.line("acc%d = fma(a, wc[%s], acc%d);", j, at, j);
    }
    if (cols) cl.close();
    if (rows) cl.close();
    cl.close();
    cl.close();

    cl.line("if (p >= %d) return;", positions);
    cl.line("__global float* y = %s + f * %d + p;", ctx.image(node.name()), positions);
    ClEpilogue.residualBase(ctx, node, c, "f");
    for (int j = 0; j < fb; j++) {
      String residual = "res[" + (j == 0 ? "" : j * positions + " + ") + "p]";
      ClEpilogue.store(cl, c, bias, "float", "acc" + j, "f", j, residual, "" + j);
      cl.line("y[%d] = r%d;", j * positions, j);
    }
    cl.close();
    long macs = (long) out.size() * cg * taps;
    ctx.launch(k, node, new long[] {global, blocks}, new long[] {GROUP, 1}, 2 * macs
        + (long) out.size() * ClExpr.flops(c.activation()), 4L * (in.size() + out.size()),
        4L * (specs.get(0).size() + (bias ? c.filters() : 0)), buffers);
  }

  /**
   * Filters per work-item: the largest of 8, 4, 2 that divides the filters of a group (a block never straddles
   * two groups) and whose weights for one input channel fit the local chunk.
   */
  static int filterBlock(int filtersPerGroup, int taps) {
    for (int b : new int[] {8, 4, 2}) {
      if (filtersPerGroup % b == 0 && b * taps <= LOCAL_FLOATS) return b;
    }
    return 1;
  }
}
