package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;

/**
 * Convolution with its bias and activation epilogue, as an implicit GEMM over tiles of output positions.
 *
 * <p>A task is one (image, group, tile of 64 or 128 positions, chunk of filters). It
 * gathers the tile's receptive fields into im2col rows (one row per input channel and kernel offset, each a
 * separate array so the inner loop vectorises; see {@code Micro}), then for each filter accumulates four
 * rows at a time into one accumulator row, and writes {@code activation(acc + bias)} to the output. The
 * padding checks are generated only when the layer has padding.
 */
final class ConvKernel {
  private ConvKernel() {}

  static void emit(KernelContext ctx, Node node, Conv c) {
    Shape in = ctx.shapeOf(node.input());
    Shape out = node.shape();
    int groups = c.groups();
    int cg = in.channels() / groups;
    int fg = c.filters() / groups;
    int k = cg * c.kernelH() * c.kernelW();
    int k4 = k & ~3;
    int positions = out.plane();
    // Longer tiles run the vector loop longer per call, but the tile's im2col rows (k x tile floats) are re-read
    // for every filter and should stay in the core's L2 (1 MB here): 128 while that fits, else 64.
    int tileWidth = Math.min(positions, k * 128 * 4 <= 800_000 ? 128 : 64);
    int tiles = (positions + tileWidth - 1) / tileWidth;
    ctx.maxTile = Math.max(ctx.maxTile, tileWidth);
    // Enough tasks at batch 1 to keep a few cores busy; splitting filters repeats the gather per chunk, so
    // chunks keep at least 16 filters.
    int chunks = 1;
    if (groups * tiles < 8) chunks = Math.max(1, Math.min((8 + groups * tiles - 1) / (groups * tiles), fg / 16));
    int chunk = (fg + chunks - 1) / chunks;
    ctx.colRows = Math.max(ctx.colRows, k);

    String m = ctx.groupName(node, "Conv");
    String w = ctx.weightField(m + "Weight", node.weightPrefix() + ".weight", c.filters(), cg, c.kernelH(), c.kernelW());
    String b = c.bias() ? ctx.weightField(m + "Bias", node.weightPrefix() + ".bias", c.filters()) : null;
    int tasksPerImage = groups * tiles * chunks;
    MethodSpec.Builder t = ctx.parallelGroup(node, m, CodeBlock.of("batch * $L", tasksPerImage), ctx.doc(node));
    boolean padded = c.padH() > 0 || c.padW() > 0;

    t.addComment("task -> (image, group, position tile, filter chunk)");
    t.addStatement("int chunk = $L", chunks == 1 ? "0" : "task % " + chunks);
    t.addStatement("int tile = $L", tiles == 1 ? "0" : chunks == 1 ? "task % " + tiles : "(task / " + chunks + ") % " + tiles);
    t.addStatement("int g = $L", groups == 1 ? "0" : "(task / " + (chunks * tiles) + ") % " + groups);
    t.addStatement("int n = task / $L", tasksPerImage);
    t.addStatement("float[] a = arena");
    t.addStatement("int in = $L * batch + n * $L + g * $L", ctx.offset(node.input()), in.size(), cg * in.plane());
    t.addStatement("int out = $L * batch + n * $L + g * $L", ctx.offset(node.name()), out.size(), fg * positions);
    t.addStatement("int p0 = tile * $L", tileWidth);
    t.addStatement("int len = Math.min($L, $L - p0)", tileWidth, positions);
    t.addStatement("float[][] col = this.col[worker]");
    t.addStatement("int[] ty = tileY[worker], tx = tileX[worker], toff = tileOff[worker]");
    t.addComment("top-left input corner of each output position in the tile");
    t.beginControlFlow("for (int j = 0; j < len; j++)")
        .addStatement("int oy = (p0 + j) / $L, ox = (p0 + j) - oy * $L", out.width(), out.width())
        .addStatement("ty[j] = $L", Epilogues.affine("oy", c.strideH(), c.padH()))
        .addStatement("tx[j] = $L", Epilogues.affine("ox", c.strideW(), c.padW()))
        .addStatement("toff[j] = ty[j] * $L + tx[j]", in.width())
        .endControlFlow();
    t.addComment("im2col: one row per (input channel, ky, kx)");
    t.addStatement("int row = 0");
    t.beginControlFlow("for (int ci = 0; ci < $L; ci++)", cg)
        .beginControlFlow("for (int ky = 0; ky < $L; ky++)", c.kernelH())
        .beginControlFlow("for (int kx = 0; kx < $L; kx++, row++)", c.kernelW())
        .addStatement("float[] r = col[row]")
        .addStatement("int base = in + ci * $L + ky * $L + kx", in.plane(), in.width());
    if (padded) {
      t.beginControlFlow("for (int j = 0; j < len; j++)")
          .addStatement("int y = ty[j] + ky, x = tx[j] + kx")
          .addStatement("r[j] = y >= 0 && y < $L && x >= 0 && x < $L ? a[base + toff[j]] : 0f", in.height(), in.width())
          .endControlFlow();
    } else {
      t.beginControlFlow("for (int j = 0; j < len; j++)")
          .addStatement("r[j] = a[base + toff[j]]")
          .endControlFlow();
    }
    t.endControlFlow().endControlFlow().endControlFlow();
    t.addStatement("float[] acc = this.acc[worker]");
    t.addStatement("int fEnd = Math.min($L, (chunk + 1) * $L)", fg, chunk);
    t.beginControlFlow("for (int f = chunk * $L; f < fEnd; f++)", chunk)
        .addStatement("$T.fill(acc, 0, len, 0f)", KernelContext.ARRAYS)
        .addStatement("int wb = (g * $L + f) * $L", fg, k)
        .beginControlFlow("for (int kk = 0; kk < $L; kk += 4)", k4)
        .addStatement("$T.fma4(acc, col[kk], col[kk + 1], col[kk + 2], col[kk + 3], $N[wb + kk], $N[wb + kk + 1],"
            + " $N[wb + kk + 2], $N[wb + kk + 3], 0, len)", KernelContext.MICRO, w, w, w, w)
        .endControlFlow();
    if (k4 != k) {
      t.beginControlFlow("for (int kk = $L; kk < $L; kk++)", k4, k)
          .addStatement("$T.fma1(acc, col[kk], $N[wb + kk], 0, len)", KernelContext.MICRO, w)
          .endControlFlow();
    }
    t.addStatement("float bias = $L", b == null ? "0f" : CodeBlock.of("$N[g * $L + f]", b, fg));
    t.addStatement("int o = out + f * $L + p0", positions)
        .beginControlFlow("for (int j = 0; j < len; j++)")
        .addStatement("float v = acc[j] + bias")
        .addStatement("a[o + j] = $L", Epilogues.activation(c.activation(), "v"))
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(t.build());
  }
}
