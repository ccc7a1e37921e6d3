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
 * <p>A task is one (image, filter); each output value is a direct sum over the filter's kernels and taps. The
 * layers this serves are tiny (C3: 150,000 multiply-adds per image), so the direct loop, with padding checks
 * only for padded layers, is the readable choice; the GEMM tiling of {@link ConvKernel} would need the table
 * folded into its im2col rows for no measurable gain.
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
    int taps = c.kernelH() * c.kernelW();
    MethodSpec.Builder k = ctx.parallelGroup(node, m, CodeBlock.of("batch * $L", c.filters()), ctx.doc(node));
    k.addComment("task -> (image, filter)");
    k.addStatement("int f = task % $L, n = task / $L", c.filters(), c.filters());
    k.addStatement("float[] a = arena");
    k.addStatement("float[] w = $N", w);
    k.addStatement("int in = $L * batch + n * $L", ctx.offset(node.input()), in.size());
    k.addStatement("int out = $L * batch + n * $L + f * $L", ctx.offset(node.name()), out.size(), out.plane());
    k.addStatement("int k0 = $N[f], k1 = $N[f + 1]", first, first);
    k.addStatement("float bias = $L", b == null ? "0f" : CodeBlock.of("$N[f]", b));
    k.beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
        .addStatement("float sum = bias")
        .addComment("the filter's kernels, each on its own input map")
        .beginControlFlow("for (int k = k0; k < k1; k++)")
        .addStatement("int plane = in + $N[k] * $L", maps, in.plane())
        .beginControlFlow("for (int ky = 0; ky < $L; ky++)", c.kernelH())
        .addStatement("int y = $L + ky", Epilogues.affine("oy", c.strideH(), c.padH()));
    if (padded) k.addStatement("if (y < 0 || y >= $L) continue", in.height());
    k.addStatement("int row = plane + y * $L, wr = k * $L + ky * $L", in.width(), taps, c.kernelW())
        .beginControlFlow("for (int kx = 0; kx < $L; kx++)", c.kernelW())
        .addStatement("int x = $L + kx", Epilogues.affine("ox", c.strideW(), c.padW()));
    if (padded) k.addStatement("if (x < 0 || x >= $L) continue", in.width());
    k.addStatement("sum += w[wr + kx] * a[row + x]")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .addStatement("a[out + oy * $L + ox] = $L", out.width(), Epilogues.activation(c.activation(), "sum"))
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
