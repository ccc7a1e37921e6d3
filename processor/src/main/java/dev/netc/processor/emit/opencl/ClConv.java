package dev.netc.processor.emit.opencl;

import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Convolution with its epilogue ({@link ClEpilogue}: bias, folded batch norm, residual, activation). One work-item
 * computes a register tile: a vector of 8 or 16 consecutive output positions (float8/float16, one lane each, along the
 * flattened output plane) for a block of up to 32 filters (of one group) of one image (global {@code
 * {ceil(OH*OW/lanes), filters/block, batch}}). The loops run kernel rows x kernel columns outside and the group's
 * input channels inside, so each tap's gather offsets (and, for padded layers, its mask) are computed once per tap:
 * every input vector gathered is multiplied into all the block's accumulators with the weight broadcast as a scalar.
 * Padding costs no branch per tap: offsets are clamped into the plane and the gathered vector is masked with {@code
 * select}; unpadded layers have neither. Lanes past the last position repeat it and are not stored. Explicit vectors
 * make a CPU device (PoCL) use its SIMD units without relying on vectorisation across work-items (on PoCL this took
 * AlexNet's convolutions from about 5 to 50-70 GFLOP/s); on a GPU a work-item simply holds a larger tile.
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
    boolean bias = ctx.layerWeights(k, node, c.norm(), c.bias(), buffers, params);
    int vw = vectorWidth(positions);
    String fv = "float" + vw;
    String iv = "int" + vw;
    int vectors = (positions + vw - 1) / vw;
    ClContext.Dim0 dim = ClContext.dim0(vectors);
    int fb = filterBlock(fg);
    int blocks = c.filters() / fb;
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (" + vw + " consecutive output positions, "
        + (fb == 1 ? "filter" : "block of " + fb + " filters") + ", image): global {" + dim.global() + ", "
        + blocks + ", batch}");
    cl.kernel(k, params);
    ctx.position("g", dim);
    cl.line(fb == 1 ? "const int f = get_global_id(1);" : "const int f = get_global_id(1) * " + fb + ";");
    cl.line("const int n = get_global_id(2);");
    cl.line("const int p = g * %d;", vw);
    StringBuilder lanes = new StringBuilder("(" + iv + ")(");
    for (int l = 0; l < vw; l++) lanes.append(l == 0 ? "" : ", ").append(l);
    lanes.append(')');
    // lanes past the last position compute the last one again and are not stored; min and clamp take vector
    // bounds, not scalars: Oclgrind 21.10 miscomputes the (int16, int) overloads
    String last = "(" + iv + ")(" + (positions - 1) + ")";
    cl.line("const %s q = %s;", iv, positions % vw == 0 ? "p + " + lanes : "min(p + " + lanes + ", " + last + ")");
    cl.line("const %s oy = q / %d;", iv, out.width());
    cl.line("const %s ox = q - oy * %d;", iv, out.width());
    cl.line("const %s y0 = %s;", iv, affine("oy", c.strideH(), c.padH()));
    cl.line("const %s x0 = %s;", iv, affine("ox", c.strideW(), c.padW()));
    String group = c.groups() == 1 ? "" : " + f / " + fg + " * " + (cg * in.plane());
    cl.line("__global const float* x = %s%s;", ctx.image(node.inputs().get(0)), group);
    int perFilter = cg * kernel;
    cl.line("__global const float* w = weight + f * %d;", perFilter);
    StringBuilder init = new StringBuilder(fv + " ");
    for (int j = 0; j < fb; j++) init.append(j == 0 ? "" : ", ").append(acc(fb, j)).append(" = 0.0f");
    cl.line(init.append(';').toString());
    boolean rows = c.kernelH() > 1;
    boolean cols = c.kernelW() > 1;
    boolean padded = c.padH() > 0 || c.padW() > 0;
    // taps outside, channels inside: each tap's gather offsets and padding mask are computed once for all channels
    if (rows) cl.open("for (int ky = 0; ky < %d; ky++)", c.kernelH());
    cl.line("const %s iy = %s;", iv, rows ? "y0 + ky" : "y0");
    if (c.padH() > 0) {
      cl.line("const %s oky = (iy >= 0) & (iy < %d);", iv, in.height());
      cl.line("const %s ry = clamp(iy, (%s)(0), (%s)(%d)) * %d;", iv, iv, iv, in.height() - 1, in.width());
    } else {
      cl.line("const %s ry = iy * %d;", iv, in.width());
    }
    if (cols) cl.open("for (int kx = 0; kx < %d; kx++)", c.kernelW());
    cl.line("const %s ix = %s;", iv, cols ? "x0 + kx" : "x0");
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
    String tap = rows && cols ? "ky * " + c.kernelW() + " + kx" : rows ? "ky" : cols ? "kx" : "0";
    cl.line("__global const float* wt = w + %s;", tap);
    cl.open("for (int c = 0; c < %d; c++)", cg);
    cl.line("__global const float* xc = x + c * %d;", in.plane());
    StringBuilder gather = new StringBuilder("(" + fv + ")(");
    for (int l = 0; l < vw; l++) gather.append(l == 0 ? "" : ", ").append("xc[o.s").append(LANES.charAt(l)).append(']');
    gather.append(')');
    cl.line("const %s a = %s;", fv, padded ? "select((" + fv + ")(0.0f), " + gather + ", ok)" : gather);
    cl.line("__global const float* wc = wt + c * %d;", kernel);
    for (int j = 0; j < fb; j++) {
      cl.line("%s = fma(a, (%s)(wc[%d]), %s);", acc(fb, j), fv, j * perFilter, acc(fb, j));
    }
    cl.close();
    if (cols) cl.close();
    if (rows) cl.close();
    cl.line("__global float* y = %s + f * %d + p;", ctx.image(node.name()), positions);
    boolean tail = positions % vw != 0;
    ClEpilogue.residualBase(ctx, node, c, "f");
    for (int j = 0; j < fb; j++) {
      ClEpilogue.store(cl, c, bias, fv, acc(fb, j), "f", j, ClEpilogue.residualVector(vw, tail, positions, j),
          fb == 1 ? "" : "" + j);
    }
    if (tail) cl.open("if (p + %d <= %d)", vw, positions);
    for (int j = 0; j < fb; j++) {
      cl.line("vstore%d(r%s, 0, y%s);", vw, fb == 1 ? "" : j, j == 0 ? "" : " + " + j * positions);
    }
    if (tail) {
      cl.close();
      cl.open("else");
      for (int l = 0; l < vw; l++) {
        if (l > 0) cl.open("if (p + %d < %d)", l, positions);
        for (int j = 0; j < fb; j++) {
          cl.line("y[%d] = r%s.s%c;", j * positions + l, fb == 1 ? "" : j, LANES.charAt(l));
        }
        if (l > 0) cl.close();
      }
      cl.close();
    }
    cl.close();
    long macs = (long) out.size() * cg * kernel;
    ctx.launch(k, node, new long[] {dim.global(), blocks}, new long[] {dim.local(), 1}, 2 * macs
        + (long) out.size() * ClExpr.flops(c.activation()), 4L * (in.size() + out.size() * (c.residual() ? 2 : 1)),
        4L * (specs.get(0).size() + (bias ? c.filters() : 0)), buffers);
  }

  private static final String LANES = "0123456789abcdef";

  /**
   * Output positions per work-item, one vector lane each: 16, or 8 for planes under 128 positions (fewer lanes
   * wasted in the last vector, more work-items). On PoCL, 16 lanes ran AlexNet's 13x13 layers at about 70
   * GFLOP/s against 58 with 8.
   */
  static int vectorWidth(int positions) {
    return positions >= 128 ? 16 : 8;
  }

  /**
   * Filters per work-item: each input value loaded is used by this many multiply-adds (register blocking). The
   * largest of 32, 16, 8, 4, 2 that divides the filters of a group, so a block never straddles two groups. On
   * PoCL (2-core Zen 4) TorchvisionAlexNet's convolutions at batch 16 ran at 62-72 GFLOP/s with blocks of 8,
   * 86-105 with 16, 98-133 with 32 and 63-86 with 64 (presumably spilling the 64 accumulators).
   */
  static int filterBlock(int filtersPerGroup) {
    for (int b : new int[] {32, 16, 8, 4, 2}) if (filtersPerGroup % b == 0) return b;
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
