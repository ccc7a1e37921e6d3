package dev.netc.processor.emit.opencl;

import dev.netc.graph.Dense;
import dev.netc.graph.Node;
import dev.netc.graph.WeightSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A dense layer with bias and activation: one work-item per (unit, image), a dot product of the image's
 * features with the unit's weight row (global {@code {units, batch}}). A fused softmax needs the whole row of
 * units, which no work-item of the first kernel sees, so it runs as a second, tiny kernel: one work-item per
 * image, in place.
 */
final class ClDense {
  private ClDense() {}

  static void emit(ClContext ctx, Node node, Dense d) {
    int features = ctx.inputShape(node).size();
    int units = d.units();
    String k = ctx.kernelName(node, "dense");
    List<WeightSpec> specs = ctx.graph.weightsOf(node);
    List<String> buffers = new ArrayList<>();
    List<String> params = new ArrayList<>();
    buffers.add(ctx.tensor(k, "Weight", specs.get(0)));
    params.add("weight");
    if (d.bias()) {
      buffers.add(ctx.tensor(k, "Bias", specs.get(1)));
      params.add("bias");
    }
    ClContext.Dim0 dim = ClContext.dim0(units);
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (unit, image): global {" + dim.global() + ", batch}"
        + (d.softmax() ? "; the softmax runs in " + k + "_softmax" : ""));
    cl.kernel(k, params);
    ctx.position("u", dim);
    cl.line("const int n = get_global_id(1);");
    cl.line("__global const float* x = %s;", ctx.image(node.input()));
    cl.line("__global const float* w = weight + u * %s;", ClWriter.l(features));
    cl.line("float acc = 0.0f;");
    cl.line("for (int k = 0; k < %d; k++) acc += x[k] * w[k];", features);
    cl.line("const float v = acc%s;", d.bias() ? " + bias[u]" : "");
    cl.line("__global float* y = %s;", ctx.image(node.name()));
    cl.line("y[u] = %s;", ClExpr.activation(d.activation(), "v"));
    cl.close();
    long macs = (long) units * features;
    ctx.launch(k, node, new long[] {dim.global()}, new long[] {dim.local()},
        2 * macs + (long) units * ClExpr.flops(d.activation()), 4L * (features + units),
        4L * (macs + (d.bias() ? units : 0)), buffers);

    if (d.softmax()) softmax(ctx, node, k + "_softmax", units);
  }

  /** The row softmax of a dense layer with a fused softmax: the second kernel of that group. */
  private static void softmax(ClContext ctx, Node node, String name, int units) {
    String k = ctx.uniqueKernel(name);
    ClWriter cl = ctx.cl;
    cl.blank();
    cl.comment(node.name() + ": the softmax of the dense layer above, over its " + units + " units, in place\n"
        + "(the second kernel of this fused group: a row needs all units); one work-item per image, global {batch}");
    cl.kernel(k, List.of());
    cl.line("const int n = get_global_id(0);");
    cl.line("__global float* y = %s;", ctx.image(node.name()));
    cl.line("float m = -INFINITY;");
    cl.line("for (int j = 0; j < %d; j++) m = fmax(m, y[j]);", units);
    cl.line("float sum = 0.0f;");
    cl.open("for (int j = 0; j < %d; j++)", units);
    cl.line("const float e = exp(y[j] - m);");
    cl.line("y[j] = e;");
    cl.line("sum += e;");
    cl.close();
    cl.line("const float inv = 1.0f / sum;");
    cl.line("for (int j = 0; j < %d; j++) y[j] *= inv;", units);
    cl.close();
    ctx.launch(k, String.join(" + ", node.fusedFrom()) + " (softmax)", new long[0], new long[0], 4L * units,
        8L * units, 0, List.of());
  }
}
