package dev.netc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Dense;
import dev.netc.graph.Node;
import javax.lang.model.element.Modifier;

/**
 * A dense layer with bias, activation and optional softmax epilogue (a folded batch norm is in its weights and bias).
 *
 * <p>Weights are transposed at load time into one row per input feature, so each task (a slice of output
 * units) streams four weight rows at a time and updates its slice of every image's accumulator row: at
 * batch 1 a bandwidth-bound pass over the weights, at larger batches each weight row is reused from cache
 * by all images. The softmax needs a whole row, so it runs after the parallel part.
 *
 * <p>When the model runs on the Vector API ({@code VectorSupport}), the weights keep PyTorch's row layout instead
 * and {@code VectorDense} computes the same slices as dot products over contiguous rows, 4 units by 4 images per
 * register tile; only the accumulation differs, the epilogue is shared.
 */
final class DenseKernel {
  private static final ClassName VECTOR_DENSE = ClassName.get("dev.netc.runtime.java", "VectorDense");

  private DenseKernel() {}

  static void emit(KernelContext ctx, Node node, Dense d) {
    int features = ctx.shapeOf(node.input()).size();
    int units = d.units();
    int f4 = features & ~3;
    // Slices of at least 64 units (a long vector loop), about 8 of them when there are enough units.
    int slice = Math.max(64, ((units + 7) / 8 + 15) / 16 * 16);
    int slices = (units + slice - 1) / slice;

    String m = ctx.groupName(node, "Dense");
    String w = m + "Weight";
    ctx.type.addField(FieldSpec.builder(float[][].class, w, Modifier.PRIVATE) // not final: see weightField
        .addJavadoc("$L.weight transposed: $L rows of $L units (plain kernels; null on the Vector API).\n",
            node.weightPrefix(), features, units).build());
    String rows = m + "Rows";
    ctx.type.addField(FieldSpec.builder(float[].class, rows, Modifier.PRIVATE)
        .addJavadoc("$L.weight as PyTorch lays it out, $L rows of $L features (Vector API; null otherwise).\n",
            node.weightPrefix(), units, features).build());
    ctx.usesVector = true;
    String b;
    if (d.norm() != null) {
      String folded = m + "Folded";
      String fb = m + "Bias";
      ctx.type.addField(FieldSpec.builder(float[].class, fb, Modifier.PRIVATE) // not final: see weightField
          .addJavadoc("$L folded with batch norm $L.\n", d.bias() ? node.weightPrefix() + ".bias" : "A zero bias",
              d.norm().prefix()).build());
      ctx.constructor.addStatement("$T $N = $T.foldBatchNorm(weights, new $T($S, $L, $L), $L, $S, $L)",
              KernelContext.PACKING.nestedClass("Folded"), folded, KernelContext.PACKING, KernelContext.WEIGHT_SPEC,
              node.weightPrefix() + ".weight", units, features,
              d.bias() ? CodeBlock.of("new $T($S, $L)", KernelContext.WEIGHT_SPEC, node.weightPrefix() + ".bias", units)
                  : CodeBlock.of("null"), d.norm().prefix(), d.norm().eps())
          .addStatement("this.$N = vector ? $N.weight() : null", rows, folded)
          .addStatement("this.$N = vector ? null : $T.transpose($N.weight(), $L, $L)", w, KernelContext.PACKING, folded,
              units, features)
          .addStatement("this.$N = $N.bias()", fb, folded);
      b = fb;
    } else {
      String loaded = m + "Loaded";
      ctx.constructor.addStatement("float[] $N = weights.get(new $T($S, $L, $L))", loaded, KernelContext.WEIGHT_SPEC,
              node.weightPrefix() + ".weight", units, features)
          .addStatement("this.$N = vector ? $N : null", rows, loaded)
          .addStatement("this.$N = vector ? null : $T.transpose($N, $L, $L)", w, KernelContext.PACKING, loaded, units,
              features);
      b = d.bias() ? ctx.weightField(m + "Bias", node.weightPrefix() + ".bias", units) : null;
    }
    String acc = m + "Acc";
    ctx.type.addField(FieldSpec.builder(float[][].class, acc, Modifier.PRIVATE)
        .addJavadoc("One accumulator row per image; grows with the largest batch seen.\n")
        .initializer("new float[0][]").build());
    CodeBlock before = CodeBlock.builder()
        .beginControlFlow("if ($N.length < batch)", acc)
        .addStatement("$N = new float[batch][$L]", acc, units)
        .endControlFlow().build();
    CodeBlock after = d.softmax() ? softmax(ctx, node, units) : CodeBlock.of("");
    MethodSpec.Builder t = ctx.parallelGroup(node, m, CodeBlock.of("$L", slices), ctx.doc(node), before, after);
    t.addComment("task -> a slice of output units, for every image");
    t.addStatement("int o0 = task * $L, o1 = Math.min($L, o0 + $L)", slice, units, slice);
    t.addStatement("float[] a = arena");
    t.addStatement("int batch = this.batch");
    t.addStatement("float[][] acc = $N", acc);
    t.beginControlFlow("if (vector)")
        .addComment("Vector API: tiles of 4 units by 4 images (1 image at batch 1) over the weights' rows")
        .beginControlFlow("for (int u = o0; u < o1; u += 4)")
        .beginControlFlow("for (int n = 0; n < batch; n += 4)")
        .addStatement("$T.dots($N, $L, u, Math.min(4, o1 - u), a, $L, $L, n, Math.min(4, batch - n), acc)",
            VECTOR_DENSE, rows, features, ctx.image(node.input(), "0"), ctx.plan.placement(node.input()).imageStride())
        .endControlFlow()
        .endControlFlow()
        .nextControlFlow("else");
    t.addStatement("float[][] w = $N", w);

    t.beginControlFlow("for (int n = 0; n < batch; n++)")
        .addStatement("$T.fill(acc[n], o0, o1, 0f)", KernelContext.ARRAYS)
        .endControlFlow();
    t.beginControlFlow("for (int k = 0; k < $L; k += 4)", f4)
        .addStatement("float[] w0 = w[k], w1 = w[k + 1], w2 = w[k + 2], w3 = w[k + 3]")
        .beginControlFlow("for (int n = 0; n < batch; n++)")
        .addStatement("int x = $L + k", ctx.image(node.input(), "n"))
        .addStatement("$T.fma4(acc[n], w0, w1, w2, w3, a[x], a[x + 1], a[x + 2], a[x + 3], o0, o1)",
            KernelContext.MICRO)
        .endControlFlow()
        .endControlFlow();
    if (f4 != features) {
      t.beginControlFlow("for (int k = $L; k < $L; k++)", f4, features)
          .beginControlFlow("for (int n = 0; n < batch; n++)")
          .addStatement("$T.fma1(acc[n], w[k], a[$L + k], o0, o1)", KernelContext.MICRO, ctx.image(node.input(), "n"))
          .endControlFlow()
          .endControlFlow();
    }
    t.endControlFlow();
    t.beginControlFlow("for (int n = 0; n < batch; n++)")
        .addStatement("float[] r = acc[n]")
        .addStatement("int o = $L", ctx.image(node.name(), "n"))
        .beginControlFlow("for (int j = o0; j < o1; j++)")
        .addStatement("float v = r[j] + $L", b == null ? "0f" : CodeBlock.of("$N[j]", b))
        .addStatement("a[o + j] = $L", Epilogues.activation(d.activation(), "v"))
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(t.build());
  }

  /** Softmax over each image's units, in place, subtracting the maximum for stability. */
  private static CodeBlock softmax(KernelContext ctx, Node node, int units) {
    return CodeBlock.builder()
        .addStatement("float[] a = arena")
        .beginControlFlow("for (int n = 0; n < batch; n++)")
        .addStatement("int o = $L", ctx.image(node.name(), "n"))
        .addStatement("float max = Float.NEGATIVE_INFINITY")
        .addStatement("for (int j = 0; j < $L; j++) max = Math.max(max, a[o + j])", units)
        .addStatement("double sum = 0")
        .beginControlFlow("for (int j = 0; j < $L; j++)", units)
        .addStatement("float e = (float) Math.exp(a[o + j] - max)")
        .addStatement("a[o + j] = e")
        .addStatement("sum += e")
        .endControlFlow()
        .addStatement("float inv = (float) (1.0 / sum)")
        .addStatement("for (int j = 0; j < $L; j++) a[o + j] *= inv", units)
        .endControlFlow()
        .build();
  }
}
