package dev.netc.processor.emit.opencl;

import dev.netc.graph.Dense;
import dev.netc.graph.Node;
import dev.netc.graph.WeightSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A dense layer with bias and activation: one work-item per (block of up to 4 consecutive units, image), dot
 * products of the image's features with the units' weight rows (global {@code {units/block, batch}}). Each row
 * is read as contiguous float16 vectors (vload16, then a scalar loop over the remainder) and every input
 * vector loaded serves all units of the block; the float16 partial sums are reduced at the end. On PoCL this
 * streams the weights at about 34 GB/s (AlexNet's fully connected layers from 3.5 to 17 GFLOP/s) against a
 * dot product per work-item with scalar loads. A fused softmax needs the whole row of units, which no
 * work-item of the first kernel sees, so it runs as a second, tiny kernel: one work-item per image, in place.
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
    boolean bias = ctx.layerWeights(k, node, d.norm(), d.bias(), buffers, params);
    int ub = unitBlock(units);
    int chunks = features / VW;
    ClContext.Dim0 dim = ClContext.dim0(units / ub);
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (" + (ub == 1 ? "unit" : ub + " consecutive units")
        + ", image), each row read as float" + VW + " vectors: global {" + dim.global() + ", batch}"
        + (d.softmax() ? "; the softmax runs in " + k + "_softmax" : ""));
    cl.kernel(k, params);
    ctx.position("i", dim);
    cl.line(ub == 1 ? "const int u = i;" : "const int u = i * " + ub + ";");
    cl.line("const int n = get_global_id(1);");
    cl.line("__global const float* x = %s;", ctx.image(node.input()));
    cl.line("__global const float* w = weight + u * %s;", ClWriter.l(features));
    String fv = "float" + VW;
    if (chunks > 0) {
      StringBuilder init = new StringBuilder(fv + " ");
      for (int j = 0; j < ub; j++) init.append(j == 0 ? "" : ", ").append("a").append(j).append(" = 0.0f");
      cl.line(init.append(';').toString());
      cl.open("for (int k = 0; k < %d; k++)", chunks);
      cl.line("const %s xv = vload%d(k, x);", fv, VW);
      for (int j = 0; j < ub; j++) {
        String row = j == 0 ? "" : " + " + ClWriter.l((long) j * features);
        cl.line("a%d = fma(vload%d(k, w%s), xv, a%d);", j, VW, row, j);
      }
      cl.close();
    }
    for (int j = 0; j < ub; j++) {
      if (chunks > 0) {
        cl.line("const float8 h%d = a%d.lo + a%d.hi;", j, j, j);
        cl.line("const float4 q%d = h%d.lo + h%d.hi;", j, j, j);
        cl.line("float s%d = (q%d.x + q%d.y) + (q%d.z + q%d.w);", j, j, j, j, j);
      } else {
        cl.line("float s%d = 0.0f;", j);
      }
    }
    if (chunks * VW < features) {
      cl.open("for (int k = %d; k < %d; k++)", chunks * VW, features);
      cl.line("const float xk = x[k];");
      for (int j = 0; j < ub; j++) {
        cl.line("s%d += xk * w[%sk];", j, j == 0 ? "" : ClWriter.l((long) j * features) + " + ");
      }
      cl.close();
    }
    cl.line("__global float* y = %s + u;", ctx.image(node.name()));
    for (int j = 0; j < ub; j++) {
      cl.line("const float v%d = s%d%s;", j, j, bias ? " + bias[u" + (j == 0 ? "" : " + " + j) + "]" : "");
      cl.line("y[%d] = %s;", j, ClExpr.activation(d.activation(), "v" + j));
    }
    cl.close();
    long macs = (long) units * features;
    ctx.launch(k, node, new long[] {dim.global()}, new long[] {dim.local()},
        2 * macs + (long) units * ClExpr.flops(d.activation()), 4L * (features + units),
        4L * (macs + (bias ? units : 0)), buffers);

    if (d.softmax()) softmax(ctx, node, k + "_softmax", units);
  }

  /** Floats per vector load along a weight row. */
  private static final int VW = 16;

  /** Units per work-item, each loaded input vector used by all of them: the largest of 4, 2 that divides units. */
  static int unitBlock(int units) {
    for (int b : new int[] {4, 2}) if (units % b == 0) return b;
    return 1;
  }

  /** The row softmax of a dense layer with a fused softmax: the second kernel of that group. */
  static void softmax(ClContext ctx, Node node, String name, int units) {
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
