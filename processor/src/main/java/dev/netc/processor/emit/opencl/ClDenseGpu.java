package dev.netc.processor.emit.opencl;

import dev.netc.graph.Dense;
import dev.netc.graph.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU variant of a dense layer (see {@code KernelVariant.GPU}): one work-group of {@value #GROUP}
 * work-items per (output unit, image) (global {@code {units*64, batch}}). The group walks the unit's weight
 * row together, work-item {@code i} taking elements {@code i, i+64, ...}, so consecutive work-items read
 * consecutive floats (coalesced: the whole group streams the row at the memory's bandwidth, which is what
 * bounds a batch-1 dense layer), and then sums its 64 partial dot products by a tree reduction in local
 * memory. A fused softmax runs as the same tiny second kernel as in the CPU variant.
 */
final class ClDenseGpu {
  private ClDenseGpu() {}

  /** Work-items per work-group, sharing one weight row. A power of two: the reduction halves it. */
  static final int GROUP = 64;

  static void emit(ClContext ctx, Node node, Dense d) {
    int features = ctx.inputShape(node).size();
    int units = d.units();
    String k = ctx.kernelName(node, "dense");
    List<String> buffers = new ArrayList<>();
    List<String> params = new ArrayList<>();
    boolean bias = ctx.layerWeights(k, node, d.norm(), d.bias(), buffers, params);
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-group of " + GROUP + " per (unit, image) streaming the unit's row, partial sums"
        + " reduced in local memory: global {" + (long) units * GROUP + ", batch}"
        + (d.softmax() ? "; the softmax runs in " + k + "_softmax" : ""));
    cl.kernel(k, params, GROUP);
    cl.line("__local float partial[%d];", GROUP);
    cl.line("const int u = get_group_id(0);");
    cl.line("const int lid = get_local_id(0);");
    cl.line("const int n = get_global_id(1);");
    cl.line("__global const float* x = %s;", ctx.image(node.input()));
    cl.line("__global const float* w = weight + u * %s;", ClWriter.l(features));
    cl.line("float s = 0.0f;");
    cl.line("for (int i = lid; i < %d; i += %d) s = fma(x[i], w[i], s);", features, GROUP);
    cl.line("partial[lid] = s;");
    cl.line("barrier(CLK_LOCAL_MEM_FENCE);");
    cl.open("for (int span = %d; span > 0; span >>= 1)", GROUP / 2);
    cl.line("if (lid < span) partial[lid] += partial[lid + span];");
    cl.line("barrier(CLK_LOCAL_MEM_FENCE);");
    cl.close();
    cl.open("if (lid == 0)");
    cl.line("const float v = partial[0]%s;", bias ? " + bias[u]" : "");
    cl.line("__global float* y = %s;", ctx.image(node.name()));
    cl.line("y[u] = %s;", ClExpr.activation(d.activation(), "v"));
    cl.close();
    cl.close();
    long macs = (long) units * features;
    ctx.launch(k, node, new long[] {(long) units * GROUP}, new long[] {GROUP},
        2 * macs + (long) units * ClExpr.flops(d.activation()), 4L * (features + units),
        4L * (macs + (bias ? units : 0)), buffers);

    if (d.softmax()) ClDense.softmax(ctx, node, k + "_softmax", units);
  }
}
