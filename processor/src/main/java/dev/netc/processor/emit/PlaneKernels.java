package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Activation;
import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Operations that work one channel plane at a time and were not fused into a neighbour: a standalone
 * activation, batch norm (as a per-channel scale and shift computed at load time), residual addition,
 * global and adaptive average pooling, and concatenation. A task is one (image, channel).
 */
final class PlaneKernels {
  private PlaneKernels() {}

  private static MethodSpec.Builder begin(KernelContext ctx, Node node, String m, int channels) {
    MethodSpec.Builder t = ctx.parallelGroup(node, m, CodeBlock.of("batch * $L", channels), ctx.doc(node));
    t.addComment("task -> (image, channel)");
    t.addStatement("int c = task % $L, n = task / $L", channels, channels);
    t.addStatement("float[] a = arena");
    return t;
  }

  static void activation(KernelContext ctx, Node node, Activation act) {
    Shape s = node.shape();
    String m = ctx.groupName(node, "Activation");
    MethodSpec.Builder t = begin(ctx, node, m, s.channels());
    t.addStatement("int in = $L + c * $L", ctx.image(node.input(), "n"), s.plane());
    t.addStatement("int out = $L + c * $L", ctx.image(node.name(), "n"), s.plane());
    t.beginControlFlow("for (int i = 0; i < $L; i++)", s.plane())
        .addStatement("float v = a[in + i]")
        .addStatement("a[out + i] = $L", Epilogues.activation(act, "v"))
        .endControlFlow();
    ctx.type.addMethod(t.build());
  }

  static void batchNorm(KernelContext ctx, Node node, BatchNorm bn) {
    Shape s = node.shape();
    String m = ctx.groupName(node, "BatchNorm");
    String p = node.weightPrefix();
    String scale = m + "Scale", shift = m + "Shift";
    for (String f : new String[] {scale, shift}) {
      ctx.type.addField(FieldSpec.builder(float[].class, f, Modifier.PRIVATE).build()); // see weightField
    }
    int c = s.channels();
    ctx.constructor.addStatement("float[] $NGamma = weights.get(new $T($S, $L))", m, KernelContext.WEIGHT_SPEC, p + ".weight", c)
        .addStatement("float[] $NBeta = weights.get(new $T($S, $L))", m, KernelContext.WEIGHT_SPEC, p + ".bias", c)
        .addStatement("float[] $NMean = weights.get(new $T($S, $L))", m, KernelContext.WEIGHT_SPEC, p + ".running_mean", c)
        .addStatement("float[] $NVar = weights.get(new $T($S, $L))", m, KernelContext.WEIGHT_SPEC, p + ".running_var", c)
        .addStatement("this.$N = $T.batchNormScale($NGamma, $NVar, $L)", scale, KernelContext.PACKING, m, m, bn.eps())
        .addStatement("this.$N = $T.batchNormShift($NBeta, $NMean, $NGamma, $NVar, $L)", shift, KernelContext.PACKING,
            m, m, m, m, bn.eps());
    MethodSpec.Builder t = begin(ctx, node, m, c);
    t.addStatement("int in = $L + c * $L", ctx.image(node.input(), "n"), s.plane());
    t.addStatement("int out = $L + c * $L", ctx.image(node.name(), "n"), s.plane());
    t.addStatement("float k = $N[c], d = $N[c]", scale, shift);
    t.addStatement("for (int i = 0; i < $L; i++) a[out + i] = a[in + i] * k + d", s.plane());
    ctx.type.addMethod(t.build());
  }

  static void add(KernelContext ctx, Node node) {
    Shape s = node.shape();
    String m = ctx.groupName(node, "Add");
    MethodSpec.Builder t = begin(ctx, node, m, s.channels());
    t.addStatement("int out = $L + c * $L", ctx.image(node.name(), "n"), s.plane());
    CodeBlock.Builder sum = CodeBlock.builder();
    for (int i = 0; i < node.inputs().size(); i++) {
      t.addStatement("int in$L = $L + c * $L", i, ctx.image(node.inputs().get(i), "n"), s.plane());
      sum.add(i == 0 ? "a[in$L + i]" : " + a[in$L + i]", i);
    }
    t.addStatement("for (int i = 0; i < $L; i++) a[out + i] = $L", s.plane(), sum.build());
    ctx.type.addMethod(t.build());
  }

  static void globalAvgPool(KernelContext ctx, Node node) {
    Shape in = ctx.shapeOf(node.input());
    String m = ctx.groupName(node, "GlobalAvgPool");
    MethodSpec.Builder t = begin(ctx, node, m, in.channels());
    t.addStatement("int in = $L + c * $L", ctx.image(node.input(), "n"), in.plane());
    t.addStatement("double sum = 0");
    t.addStatement("for (int i = 0; i < $L; i++) sum += a[in + i]", in.plane());
    t.addStatement("a[$L + c] = (float) (sum / $L)", ctx.image(node.name(), "n"), in.plane());
    ctx.type.addMethod(t.build());
  }

  static void adaptiveAvgPool(KernelContext ctx, Node node, AdaptiveAvgPool p) {
    Shape in = ctx.shapeOf(node.input());
    Shape out = node.shape();
    String m = ctx.groupName(node, "AdaptiveAvgPool");
    MethodSpec.Builder t = begin(ctx, node, m, in.channels());
    t.addStatement("int in = $L + c * $L", ctx.image(node.input(), "n"), in.plane());
    t.addStatement("int out = $L + c * $L", ctx.image(node.name(), "n"), out.plane());
    t.addComment("PyTorch's cells: rows floor(i*H/outH) .. ceil((i+1)*H/outH) - 1");
    t.beginControlFlow("for (int oy = 0; oy < $L; oy++)", p.height())
        .addStatement("int ys = oy * $L / $L, ye = ((oy + 1) * $L + $L) / $L", in.height(), p.height(), in.height(),
            p.height() - 1, p.height())
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", p.width())
        .addStatement("int xs = ox * $L / $L, xe = ((ox + 1) * $L + $L) / $L", in.width(), p.width(), in.width(),
            p.width() - 1, p.width())
        .addStatement("float sum = 0f")
        .beginControlFlow("for (int y = ys; y < ye; y++)")
        .addStatement("for (int x = xs; x < xe; x++) sum += a[in + y * $L + x]", in.width())
        .endControlFlow()
        .addStatement("a[out + oy * $L + ox] = sum / ((ye - ys) * (xe - xs))", p.width())
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(t.build());
  }

  /**
   * Copies into their channel slices of the output the inputs that the buffer plan did not place there already
   * (a task is one image). Inputs written in place by their producers (copy-free concatenation) need nothing;
   * when all of them are, the concatenation has no method at all.
   */
  static void concat(KernelContext ctx, Node node) {
    List<String> copied = new ArrayList<>();
    for (String in : node.inputs()) if (!ctx.plan.inSlice(in, node.name())) copied.add(in);
    if (copied.isEmpty()) {
      ctx.run.add("// $L: every input was written straight into its slice (copy-free concatenation)\n",
          String.join(" + ", node.fusedFrom()));
      return;
    }
    String m = ctx.groupName(node, "Concat");
    MethodSpec.Builder t = ctx.parallelGroup(node, m, CodeBlock.of("batch"), ctx.doc(node)
        + (copied.size() < node.inputs().size() ? "<p>Copies " + String.join(", ", copied)
            + "; the other inputs were written in place.\n" : ""));
    t.addStatement("int n = task");
    t.addStatement("int out = $L", ctx.image(node.name(), "n"));
    int at = 0;
    for (String in : node.inputs()) {
      Shape s = ctx.shapeOf(in);
      if (copied.contains(in)) {
        t.addStatement("System.arraycopy(arena, $L, arena, out + $L, $L)", ctx.image(in, "n"), at, s.size());
      }
      at += s.size();
    }
    ctx.type.addMethod(t.build());
  }

  /** Softmax across channels at each position, for outputs that are not a dense layer's (task: an image). */
  static void softmax(KernelContext ctx, Node node) {
    Shape s = node.shape();
    String m = ctx.groupName(node, "Softmax");
    MethodSpec.Builder t = ctx.parallelGroup(node, m, CodeBlock.of("batch"), ctx.doc(node));
    t.addStatement("int n = task");
    t.addStatement("float[] a = arena");
    t.addStatement("int in = $L", ctx.image(node.input(), "n"));
    t.addStatement("int out = $L", ctx.image(node.name(), "n"));
    t.beginControlFlow("for (int i = 0; i < $L; i++)", s.plane())
        .addStatement("float max = Float.NEGATIVE_INFINITY")
        .addStatement("for (int c = 0; c < $L; c++) max = Math.max(max, a[in + c * $L + i])", s.channels(), s.plane())
        .addStatement("double sum = 0")
        .beginControlFlow("for (int c = 0; c < $L; c++)", s.channels())
        .addStatement("float e = (float) Math.exp(a[in + c * $L + i] - max)", s.plane())
        .addStatement("a[out + c * $L + i] = e", s.plane())
        .addStatement("sum += e")
        .endControlFlow()
        .addStatement("float inv = (float) (1.0 / sum)")
        .addStatement("for (int c = 0; c < $L; c++) a[out + c * $L + i] *= inv", s.channels(), s.plane())
        .endControlFlow();
    ctx.type.addMethod(t.build());
  }
}
