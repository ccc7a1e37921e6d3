package dev.netc.processor.emit.opencl;

import dev.netc.graph.Activation;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise and per-position kernels for operations that no pass fused into a neighbour: a standalone
 * activation, batch norm (a per-channel scale and shift computed at load time), residual addition,
 * concatenation (a copy into each input's channel slice) and softmax across channels.
 */
final class ClPlaneKernels {
  private ClPlaneKernels() {}

  /** Global {@code {size, batch}}: one work-item per element of one image. */
  static void activation(ClContext ctx, Node node, Activation a) {
    Shape s = node.shape();
    String k = ctx.kernelName(node, "activation");
    ClContext.Dim0 dim = ClContext.dim0(s.size());
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (element, image): global {" + dim.global() + ", batch}");
    cl.kernel(k, List.of());
    ctx.position("i", dim);
    cl.line("const int n = get_global_id(1);");
    cl.line("const float v = (%s)[i];", ctx.image(node.input()));
    cl.line("(%s)[i] = %s;", ctx.image(node.name()), ClExpr.activation(a, "v"));
    cl.close();
    ctx.launch(k, node, new long[] {dim.global()}, new long[] {dim.local()}, (long) s.size() * ClExpr.flops(a),
        8L * s.size(), 0, List.of());
  }

  /** {@code y = x * scale[c] + shift[c]}; global {@code {H*W, C, batch}}. */
  static void batchNorm(ClContext ctx, Node node, BatchNorm bn) {
    Shape s = node.shape();
    String k = ctx.kernelName(node, "batchnorm");
    String scale = ctx.field(k, "Scale");
    String shift = ctx.field(k, "Shift");
    List<String> locals = new ArrayList<>();
    for (String t : new String[] {"Gamma", "Beta", "Mean", "Var"}) locals.add(ctx.field(k, t));
    ctx.uploads.add(new ClPlan.BatchNormParams(scale, shift, node.weightPrefix(), bn.eps(),
        ctx.graph.weightsOf(node), locals));
    ClContext.Dim0 dim = ClContext.dim0(s.plane());
    ClWriter cl = ctx.cl;
    ctx.header(node, "scale = gamma / sqrt(var + eps) and shift = beta - mean * scale, computed at load time\n"
        + "one work-item per (position, channel, image): global {" + dim.global() + ", " + s.channels() + ", batch}");
    cl.kernel(k, List.of("scale", "shift"));
    ctx.position("p", dim);
    cl.line("const int c = get_global_id(1);");
    cl.line("const int n = get_global_id(2);");
    cl.line("const int i = c * %d + p;", s.plane());
    cl.line("(%s)[i] = (%s)[i] * scale[c] + shift[c];", ctx.image(node.name()), ctx.image(node.input()));
    cl.close();
    ctx.launch(k, node, new long[] {dim.global(), s.channels()}, new long[] {dim.local(), 1}, 2L * s.size(),
        8L * s.size(), 8L * s.channels(), List.of(scale, shift));
  }

  /** The sum of inputs of one shape; global {@code {size, batch}}. */
  static void add(ClContext ctx, Node node) {
    Shape s = node.shape();
    String k = ctx.kernelName(node, "add");
    ClContext.Dim0 dim = ClContext.dim0(s.size());
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (element, image): global {" + dim.global() + ", batch}");
    cl.kernel(k, List.of());
    ctx.position("i", dim);
    cl.line("const int n = get_global_id(1);");
    List<String> terms = new ArrayList<>();
    for (String in : node.inputs()) terms.add("(" + ctx.image(in) + ")[i]");
    cl.line("(%s)[i] = %s;", ctx.image(node.name()), String.join(" + ", terms));
    cl.close();
    int inputs = node.inputs().size();
    ctx.launch(k, node, new long[] {dim.global()}, new long[] {dim.local()}, (long) (inputs - 1) * s.size(),
        4L * (inputs + 1) * s.size(), 0, List.of());
  }

  /**
   * Concatenation along channels: copies into their channel slices the inputs that the buffer plan did not place
   * there already (copy-free concatenation writes the others in place; with none left, there is no kernel). One
   * image of each input is contiguous in NCHW, so copied element {@code i} comes from the input whose part of the
   * copied range holds it. Global {@code {copied size, batch}}; the branches are on constants and all work-items
   * of a work-group but one boundary group take the same one.
   */
  static void concat(ClContext ctx, Node node) {
    List<String> inputs = node.inputs();
    List<String> copied = new ArrayList<>();
    int total = 0;
    for (String in : inputs) {
      if (!ctx.plan.inSlice(in, node.name())) {
        copied.add(in);
        total += ctx.shapeOf(in).size();
      }
    }
    if (copied.isEmpty()) {
      ctx.cl.blank();
      ctx.cl.comment(node.name() + ": concat of " + String.join(", ", inputs) + ": no kernel, every input was"
          + " written straight into its slice");
      return;
    }
    String k = ctx.kernelName(node, "concat");
    ClContext.Dim0 dim = ClContext.dim0(total);
    ClWriter cl = ctx.cl;
    ctx.header(node, "a copy" + (copied.size() < inputs.size() ? " of " + String.join(", ", copied)
        + " (the other inputs were written in place)" : "") + ": one work-item per (element, image): global {"
        + dim.global() + ", batch}");
    cl.kernel(k, List.of());
    ctx.position("i", dim);
    cl.line("const int n = get_global_id(1);");
    cl.line("__global float* y = %s;", ctx.image(node.name()));
    int at = 0; // channel slice start in the output, in floats
    int from = 0; // start of this input's part of the copied range
    int done = 0;
    for (String in : inputs) {
      int size = ctx.shapeOf(in).size();
      if (copied.contains(in)) {
        String shift = from == 0 ? "i" : "i - " + from;
        String copy = "y[" + (at == from ? "i" : shift + " + " + at) + "] = (" + ctx.image(in) + ")[" + shift + "];";
        done++;
        if (done == copied.size()) {
          cl.line(done == 1 ? copy : "else " + copy);
        } else {
          cl.line("%sif (i < %d) %s", done == 1 ? "" : "else ", from + size, copy);
        }
        from += size;
      }
      at += size;
    }
    cl.close();
    ctx.launch(k, node, new long[] {dim.global()}, new long[] {dim.local()}, 0, 8L * total, 0, List.of());
  }

  /** Softmax across channels at each position, the maximum subtracted first; global {@code {H*W, batch}}. */
  static void softmax(ClContext ctx, Node node) {
    Shape s = node.shape();
    String k = ctx.kernelName(node, "softmax");
    ClContext.Dim0 dim = ClContext.dim0(s.plane());
    ClWriter cl = ctx.cl;
    ctx.header(node, "across channels; one work-item per (position, image): global {" + dim.global() + ", batch}");
    cl.kernel(k, List.of());
    ctx.position("p", dim);
    cl.line("const int n = get_global_id(1);");
    cl.line("__global const float* x = %s + p;", ctx.image(node.input()));
    cl.line("__global float* y = %s + p;", ctx.image(node.name()));
    cl.line("float m = -INFINITY;");
    cl.line("for (int c = 0; c < %d; c++) m = fmax(m, x[c * %d]);", s.channels(), s.plane());
    cl.line("float sum = 0.0f;");
    cl.open("for (int c = 0; c < %d; c++)", s.channels());
    cl.line("const float e = exp(x[c * %d] - m);", s.plane());
    cl.line("y[c * %d] = e;", s.plane());
    cl.line("sum += e;");
    cl.close();
    cl.line("const float inv = 1.0f / sum;");
    cl.line("for (int c = 0; c < %d; c++) y[c * %d] *= inv;", s.channels(), s.plane());
    cl.close();
    ctx.launch(k, node, new long[] {dim.global()}, new long[] {dim.local()}, 4L * s.size(), 8L * s.size(), 0,
        List.of());
  }
}
