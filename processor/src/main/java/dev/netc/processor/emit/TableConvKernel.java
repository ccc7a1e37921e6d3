package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.TableConv;
import javax.lang.model.element.Modifier;

/**
 * A convolution with a connection table (LeNet-5's C3), with its bias and activation epilogue. The table is
 * generated as two constant arrays: {@code <m>First[f] .. <m>First[f + 1] - 1} are filter {@code f}'s kernels
 * (rows of the {@code [connections, kh, kw]} weight) and {@code <m>Maps[k]} is kernel {@code k}'s input map.
 *
 * <p>A task is one (image, filter), computed an output row at a time: for each of the filter's kernels and
 * each kernel row, the inputs under the taps are gathered into per-worker rows indexed from 0 (a plain copy
 * for unpadded stride-1 layers), then accumulated into the output row four taps per call with {@code
 * Micro.fma4}, the shape HotSpot vectorises (see {@link ConvKernel}). The table only changes which input plane
 * each kernel reads, so unlike {@link ConvKernel} no GEMM tiling is needed for the small layers tables appear in
 * (C3: 150,000 multiply-adds per image).
 */
final class TableConvKernel {
  private TableConvKernel() {}

  static void emit(KernelContext ctx, Node node, TableConv t) {
    Conv c = t.conv();
    Shape in = ctx.shapeOf(node.input());
    Shape out = node.shape();
    String m = ctx.groupName(node, "TableConv");
    String w = ctx.weightField(m + "Weight", node.weightPrefix() + ".weight", t.table().connections(), c.kernelH(),
        c.kernelW());
    String b = c.bias() ? ctx.weightField(m + "Bias", node.weightPrefix() + ".bias", c.filters()) : null;
    String first = m + "First";
    String maps = m + "Maps";
    ctx.type.addField(FieldSpec.builder(int[].class, first, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: filter f's kernels are rows $N[f] .. $N[f + 1] - 1 of the weight.\n", node.name(), first,
            first)
        .initializer("$L", ints(t.table().first())).build());
    ctx.type.addField(FieldSpec.builder(int[].class, maps, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L: the input map each kernel reads (table $L).\n", node.name(), t.table().describe())
        .initializer("$L", ints(t.table().maps())).build());

    boolean padded = c.padH() > 0 || c.padW() > 0;
    int kw = c.kernelW();
    int taps = c.kernelH() * kw;
    int ow = out.width();
    ctx.maxTile = Math.max(ctx.maxTile, ow);
    ctx.colRows = Math.max(ctx.colRows, kw);
    ctx.accRows = Math.max(ctx.accRows, 1);
    MethodSpec.Builder k = ctx.parallelGroup(node, m, CodeBlock.of("batch * $L", c.filters()), ctx.doc(node));
    k.addComment("task -> (image, filter)");
    k.addStatement("int f = task % $L, n = task / $L", c.filters(), c.filters());
    k.addStatement("float[] a = arena");
    k.addStatement("float[] w = $N", w);
    k.addStatement("float[][] col = this.col[worker]");
    k.addStatement("float[] sum = this.acc[worker][0]");
    k.addStatement("int in = $L", ctx.image(node.input(), "n"));
    k.addStatement("int out = $L + f * $L", ctx.image(node.name(), "n"), out.plane());
    k.addStatement("int k0 = $N[f], k1 = $N[f + 1]", first, first);
    k.addStatement("float bias = $L", b == null ? "0f" : CodeBlock.of("$N[f]", b));
    k.beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
        .addStatement("$T.fill(sum, 0, $L, 0f)", KernelContext.ARRAYS, ow)
        .addComment("the filter's kernels, each on its own input map")
        .beginControlFlow("for (int k = k0; k < k1; k++)")
        .addStatement("int plane = in + $N[k] * $L", maps, in.plane())
        .beginControlFlow("for (int ky = 0; ky < $L; ky++)", c.kernelH())
        .addStatement("int y = $L + ky", Epilogues.affine("oy", c.strideH(), c.padH()));
    if (padded) k.addStatement("if (y < 0 || y >= $L) continue", in.height());
    k.addStatement("int row = plane + y * $L", in.width());
    k.addComment("col[kx][ox]: the input under tap (ky, kx) for each output column of the row");
    if (c.strideW() == 1 && c.padW() == 0) {
      k.addStatement("for (int kx = 0; kx < $L; kx++) System.arraycopy(a, row + kx, col[kx], 0, $L)", kw, ow);
    } else {
      k.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw)
          .addStatement("float[] r = col[kx]")
          .beginControlFlow("for (int ox = 0; ox < $L; ox++)", ow)
          .addStatement("int x = $L + kx", Epilogues.affine("ox", c.strideW(), c.padW()))
          .addCode(padded ? CodeBlock.of("r[ox] = x >= 0 && x < $L ? a[row + x] : 0f;\n", in.width())
              : CodeBlock.of("r[ox] = a[row + x];\n"))
          .endControlFlow()
          .endControlFlow();
    }
    k.addStatement("int wr = k * $L + ky * $L", taps, kw);
    int kx = 0;
    for (; kx + 4 <= kw; kx += 4) {
      k.addStatement("$T.fma4(sum, col[$L], col[$L], col[$L], col[$L], w[wr$L], w[wr + $L], w[wr + $L], w[wr + $L], 0,"
          + " $L)", KernelContext.MICRO, kx, kx + 1, kx + 2, kx + 3, kx == 0 ? "" : " + " + kx, kx + 1, kx + 2, kx + 3,
          ow);
    }
    for (; kx < kw; kx++) {
      k.addStatement("$T.fma1(sum, col[$L], w[wr$L], 0, $L)", KernelContext.MICRO, kx, kx == 0 ? "" : " + " + kx, ow);
    }
    k.endControlFlow()
        .endControlFlow()
        .addComment("epilogue: bias and activation, into the output row")
        .addStatement("int o = out + oy * $L", ow)
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", ow)
        .addStatement("float v = sum[ox] + bias")
        .addStatement("a[o + ox] = $L", Epilogues.activation(c.activation(), "v"))
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(k.build());
  }

  /** {@code {0, 3, 6}}. */
  static CodeBlock ints(int[] values) {
    CodeBlock.Builder b = CodeBlock.builder().add("{");
    for (int i = 0; i < values.length; i++) b.add(i == 0 ? "$L" : ", $L", values[i]);
    return b.add("}").build();
  }
}
