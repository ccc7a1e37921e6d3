package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.Subsample;

/**
 * LeNet-5's trainable subsampling with its fused squashing function: {@code y = activation(coefficient[c] *
 * window sum + bias[c])}. A task is one channel plane of one image, as for pooling ({@link PoolKernel}); windows
 * have no padding, so the loops need no bounds checks.
 */
final class SubsampleKernel {
  private SubsampleKernel() {}

  static void emit(KernelContext ctx, Node node, Subsample s) {
    Shape in = ctx.shapeOf(node.input());
    Shape out = node.shape();
    String m = ctx.groupName(node, "Subsample");
    String w = ctx.weightField(m + "Weight", node.weightPrefix() + ".weight", in.channels());
    String b = s.bias() ? ctx.weightField(m + "Bias", node.weightPrefix() + ".bias", in.channels()) : null;
    MethodSpec.Builder t = ctx.parallelGroup(node, m, CodeBlock.of("batch * $L", in.channels()), ctx.doc(node));
    t.addComment("task -> (image, channel)");
    t.addStatement("int c = task % $L, n = task / $L", in.channels(), in.channels());
    t.addStatement("float[] a = arena");
    t.addStatement("int in = $L + c * $L", ctx.image(node.input(), "n"), in.plane());
    t.addStatement("int out = $L + c * $L", ctx.image(node.name(), "n"), out.plane());
    t.addStatement("float coefficient = $N[c], bias = $L", w, b == null ? "0f" : CodeBlock.of("$N[c]", b));
    t.beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
        .addStatement("int corner = in + $L * $L + $L", Epilogues.affine("oy", s.strideH(), 0), in.width(),
            Epilogues.affine("ox", s.strideW(), 0))
        .addStatement("float sum = 0f")
        .beginControlFlow("for (int y = 0; y < $L; y++)", s.windowH())
        .addStatement("for (int x = 0; x < $L; x++) sum += a[corner + y * $L + x]", s.windowW(), in.width())
        .endControlFlow()
        .addStatement("float v = coefficient * sum + bias")
        .addStatement("a[out + oy * $L + ox] = $L", out.width(), Epilogues.activation(s.activation(), "v"))
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(t.build());
  }
}
