package dev.netc.processor.emit.opencl;

import dev.netc.graph.Dense;
import dev.netc.graph.Node;
import dev.netc.graph.WeightSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A dense layer with bias and activation: one work-item per (block of up to 4 consecutive units, group of up to
 * {@value #IMAGE_GROUP} images), dot products of the images' features with the units' weight rows (global {@code
 * {units/block, ceil(batch/16)}}). Each row is read as contiguous float16 vectors (vload16, then a scalar loop
 * over the remainder) and every input vector loaded serves all units of the block; the float16 partial sums are
 * reduced at the end. On PoCL this streams the weights at about 34 GB/s at batch 1 (AlexNet's fully connected
 * layers from 3.5 to 17 GFLOP/s) against a dot product per work-item with scalar loads.
 *
 * <p>Batches: the work-item walks its images {@value #IMAGE_BLOCK} at a time, each weight vector loaded serving
 * the four images, then one at a time for the rest. Its units' rows (at most 4 x 36 KB for AlexNet's fc6) stay
 * in the core's cache across the blocks, so the weights come from memory once per {@value #IMAGE_GROUP} images
 * instead of once per image: with one work-item per image, AlexNet's fc6 at batch 16 read its 151 MB sixteen
 * times and ran at 23 GFLOP/s. Every image's sums are formed in the same order on both paths, so an image's
 * result does not depend on its batch or its place in it.
 *
 * <p>A fused softmax needs the whole row of units, which no work-item of the first kernel sees, so it runs as a
 * second, tiny kernel: one work-item per image, in place.
 */
final class ClDense {
  private ClDense() {}

  /** Images per work-item: the weights are streamed from memory once per group. */
  static final int IMAGE_GROUP = 16;

  /** Images computed together within a group, each loaded weight vector feeding all of them. */
  static final int IMAGE_BLOCK = 4;

  static void emit(ClContext ctx, Node node, Dense d) {
    int features = ctx.inputShape(node).size();
    int units = d.units();
    String k = ctx.kernelName(node, "dense");
    List<String> buffers = new ArrayList<>();
    List<String> params = new ArrayList<>();
    boolean bias = ctx.layerWeights(k, node, d.norm(), d.bias(), buffers, params);
    int ub = unitBlock(units);
    ClContext.Dim0 dim = ClContext.dim0(units / ub);
    ClWriter cl = ctx.cl;
    ctx.header(node, "one work-item per (" + (ub == 1 ? "unit" : ub + " consecutive units") + ", up to "
        + IMAGE_GROUP + " images, " + IMAGE_BLOCK + " at a time), each row read as float" + VW + " vectors: global {"
        + dim.global() + ", ceil(batch / " + IMAGE_GROUP + ")}"
        + (d.softmax() ? "; the softmax runs in " + k + "_softmax" : ""));
    cl.kernel(k, params);
    ctx.position("i", dim);
    cl.line(ub == 1 ? "const int u = i;" : "const int u = i * " + ub + ";");
    cl.line("__global const float* w = weight + u * %s;", ClWriter.l(features));
    cl.line("const int first = get_global_id(1) * %d;", IMAGE_GROUP);
    cl.line("const int last = min(batch, first + %d);", IMAGE_GROUP);
    cl.line("int n = first;");
    cl.comment(IMAGE_BLOCK + " images at a time: each weight vector loaded feeds all of them");
    cl.open("for (; n + %d <= last; n += %d)", IMAGE_BLOCK, IMAGE_BLOCK);
    images(ctx, node, d, features, ub, IMAGE_BLOCK, bias);
    cl.close();
    cl.comment("the rest of the group one image at a time (all of it at batch 1)");
    cl.open("for (; n < last; n++)");
    images(ctx, node, d, features, ub, 1, bias);
    cl.close();
    cl.close();
    long macs = (long) units * features;
    ctx.launch(k, String.join(" + ", node.fusedFrom()), new long[] {dim.global()}, new long[] {dim.local()},
        2 * macs + (long) units * ClExpr.flops(d.activation()), 4L * (features + units),
        4L * (macs + (bias ? units : 0)), buffers, IMAGE_GROUP);

    if (d.softmax()) softmax(ctx, node, k + "_softmax", units);
  }

  /**
   * The body for images {@code n .. n + count - 1}: {@code ub x count} float16 accumulators, the scalar
   * remainder, bias and activation. Each image's sum runs in the same order whatever {@code count} is.
   */
  private static void images(ClContext ctx, Node node, Dense d, int features, int ub, int count, boolean bias) {
    ClWriter cl = ctx.cl;
    int chunks = features / VW;
    long inStride = ctx.imageStride(node.input());
    long outStride = ctx.imageStride(node.name());
    cl.line("__global const float* x = %s;%s", ctx.image(node.input()),
        count == 1 ? "" : " // image n; image n + m at x + m * " + inStride);
    String fv = "float" + VW;
    if (chunks > 0) {
      StringBuilder init = new StringBuilder(fv + " ");
      for (int j = 0; j < ub; j++) {
        for (int m = 0; m < count; m++) {
          init.append(j + m == 0 ? "" : ", ").append(acc("a", j, m, count)).append(" = 0.0f");
        }
      }
      cl.line(init.append(';').toString());
      cl.open("for (int k = 0; k < %d; k++)", chunks);
      for (int m = 0; m < count; m++) {
        cl.line("const %s %s = vload%d(k, x%s);", fv, count == 1 ? "xv" : "x" + m, VW, offset(m, inStride));
      }
      for (int j = 0; j < ub; j++) {
        String wv = "vload" + VW + "(k, w" + offset(j, features) + ")";
        if (count == 1) {
          cl.line("a%d = fma(%s, xv, a%d);", j, wv, j);
          continue;
        }
        cl.line("const %s w%d = %s;", fv, j, wv);
        for (int m = 0; m < count; m++) {
          String a = acc("a", j, m, count);
          cl.line("%s = fma(w%d, x%d, %s);", a, j, m, a);
        }
      }
      cl.close();
    }
    for (int j = 0; j < ub; j++) {
      for (int m = 0; m < count; m++) {
        String a = acc("a", j, m, count);
        String s = acc("s", j, m, count);
        if (chunks > 0) {
          String h = acc("h", j, m, count);
          String q = acc("q", j, m, count);
          cl.line("const float8 %s = %s.lo + %s.hi;", h, a, a);
          cl.line("const float4 %s = %s.lo + %s.hi;", q, h, h);
          cl.line("float %s = (%s.x + %s.y) + (%s.z + %s.w);", s, q, q, q, q);
        } else {
          cl.line("float %s = 0.0f;", s);
        }
      }
    }
    if (chunks * VW < features) {
      cl.open("for (int k = %d; k < %d; k++)", chunks * VW, features);
      for (int m = 0; m < count; m++) {
        String xk = count == 1 ? "xk" : "xk" + m;
        cl.line("const float %s = x[%sk];", xk, m == 0 ? "" : ClWriter.l(m * inStride) + " + ");
        for (int j = 0; j < ub; j++) {
          cl.line("%s += %s * w[%sk];", acc("s", j, m, count), xk, j == 0 ? "" : ClWriter.l((long) j * features) + " + ");
        }
      }
      cl.close();
    }
    cl.line("__global float* y = %s + u;", ctx.image(node.name()));
    for (int m = 0; m < count; m++) {
      for (int j = 0; j < ub; j++) {
        String v = acc("v", j, m, count);
        cl.line("const float %s = %s%s;", v, acc("s", j, m, count),
            bias ? " + bias[u" + (j == 0 ? "" : " + " + j) + "]" : "");
        cl.line("y[%s] = %s;", index(m * outStride + j), ClExpr.activation(d.activation(), v));
      }
    }
  }

  /** The name of unit {@code j}'s (and image {@code m}'s, when several) variable: {@code a2} or {@code a2_1}. */
  private static String acc(String prefix, int j, int m, int count) {
    return count == 1 ? prefix + j : prefix + j + "_" + m;
  }

  /** An index literal: plain when it fits an int, else long. */
  private static String index(long i) {
    return i <= Integer.MAX_VALUE ? Long.toString(i) : ClWriter.l(i);
  }

  /** {@code ""} or {@code " + k * stride"}, a pointer offset in floats. */
  private static String offset(int k, long stride) {
    return k == 0 ? "" : " + " + ClWriter.l(k * stride);
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
