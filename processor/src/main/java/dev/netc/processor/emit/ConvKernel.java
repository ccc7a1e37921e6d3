package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;

/**
 * Convolution with its epilogue (bias, folded batch norm, residual operand, activation), as an implicit GEMM over
 * tiles of output positions.
 *
 * <p>A task is one (image, group, tile of 64 or 128 positions, chunk of filters). The reduction over
 * {@code k = inChannels/groups * kernelH * kernelW} runs in blocks of rows sized so that the block's im2col
 * rows (16 KB) and one accumulator row stay in the core's L1 cache: gather a block of receptive-field rows
 * (each a separate array so the inner loop vectorises; see {@code Micro}), then for every filter of the
 * chunk accumulate the block four rows per call into that filter's accumulator row. After the last block,
 * {@code activation(acc + bias [+ residual])} goes to the output (a folded batch norm is in the weights and bias). Padding checks are generated only for padded layers.
 *
 * <p>Measured on AlexNet's conv2 (2 cores): gathering all of k first and streaming it from L2 for each
 * filter ran at about 24 GFLOP/s; the blocked order keeps the hot data in L1.
 */
final class ConvKernel {
  /** Floats in one block of im2col rows: 16 KB, half of a 32 KB L1 data cache. */
  private static final int BLOCK_FLOATS = 4096;

  private ConvKernel() {}

  static void emit(KernelContext ctx, Node node, Conv c) {
    Shape in = ctx.shapeOf(node.inputs().get(0));
    Shape out = node.shape();
    int groups = c.groups();
    int cg = in.channels() / groups;
    int fg = c.filters() / groups;
    int kernel = c.kernelH() * c.kernelW();
    int k = cg * kernel;
    int positions = out.plane();
    // Longer tiles run each vector loop longer; small maps keep 64 so there are tiles enough to share.
    int tileWidth = Math.min(positions, positions >= 256 ? 128 : 64);
    int tiles = (positions + tileWidth - 1) / tileWidth;
    int blockRows = Math.max(4, Math.min(k, BLOCK_FLOATS / tileWidth) & ~3);
    // Enough tasks at batch 1 to keep a few cores busy; splitting filters repeats the gather per chunk, so
    // chunks keep at least 16 filters.
    int chunks = 1;
    if (groups * tiles < 8) chunks = Math.max(1, Math.min((8 + groups * tiles - 1) / (groups * tiles), fg / 16));
    int chunk = (fg + chunks - 1) / chunks;
    ctx.maxTile = Math.max(ctx.maxTile, tileWidth);
    ctx.colRows = Math.max(ctx.colRows, blockRows);
    ctx.accRows = Math.max(ctx.accRows, chunk);

    String m = ctx.groupName(node, "Conv");
    String w;
    String b;
    if (c.norm() != null) {
      String[] f = ctx.foldedFields(m, node.weightPrefix() + ".weight", c.bias() ? node.weightPrefix() + ".bias" : null,
          c.norm(), c.filters(), cg, c.kernelH(), c.kernelW());
      w = f[0];
      b = f[1];
    } else {
      w = ctx.weightField(m + "Weight", node.weightPrefix() + ".weight", c.filters(), cg, c.kernelH(), c.kernelW());
      b = c.bias() ? ctx.weightField(m + "Bias", node.weightPrefix() + ".bias", c.filters()) : null;
    }
    int tasksPerImage = groups * tiles * chunks;
    MethodSpec.Builder t = ctx.parallelGroup(node, m, CodeBlock.of("batch * $L", tasksPerImage), ctx.doc(node));
    boolean padded = c.padH() > 0 || c.padW() > 0;

    t.addComment("task -> (image, group, position tile, filter chunk)");
    t.addStatement("int chunk = $L", chunks == 1 ? "0" : "task % " + chunks);
    t.addStatement("int tile = $L", tiles == 1 ? "0" : chunks == 1 ? "task % " + tiles : "(task / " + chunks + ") % " + tiles);
    t.addStatement("int g = $L", groups == 1 ? "0" : "(task / " + (chunks * tiles) + ") % " + groups);
    t.addStatement("int n = task / $L", tasksPerImage);
    t.addStatement("float[] a = arena");
    t.addStatement("float[] w = $N", w);
    t.addStatement("int in = $L + g * $L", ctx.image(node.inputs().get(0), "n"), cg * in.plane());
    t.addStatement("int out = $L + g * $L", ctx.image(node.name(), "n"), fg * positions);
    if (c.residual()) t.addStatement("int res = $L + g * $L", ctx.image(node.inputs().get(1), "n"), fg * positions);
    t.addStatement("int p0 = tile * $L", tileWidth);
    t.addStatement("int len = Math.min($L, $L - p0)", tileWidth, positions);
    t.addStatement("int f0 = chunk * $L, f1 = Math.min($L, f0 + $L)", chunk, fg, chunk);
    t.addStatement("float[][] col = this.col[worker], acc = this.acc[worker]");
    t.addStatement("int[] ty = tileY[worker], tx = tileX[worker], toff = tileOff[worker]");
    t.addComment("top-left input corner of each output position in the tile");
    t.beginControlFlow("for (int j = 0; j < len; j++)")
        .addStatement("int oy = (p0 + j) / $L, ox = (p0 + j) - oy * $L", out.width(), out.width())
        .addStatement("ty[j] = $L", Epilogues.affine("oy", c.strideH(), c.padH()))
        .addStatement("tx[j] = $L", Epilogues.affine("ox", c.strideW(), c.padW()))
        .addStatement("toff[j] = ty[j] * $L + tx[j]", in.width())
        .endControlFlow();
    t.addStatement("for (int f = f0; f < f1; f++) $T.fill(acc[f - f0], 0, len, 0f)", KernelContext.ARRAYS);
    t.beginControlFlow("for (int k0 = 0; k0 < $L; k0 += $L)", k, blockRows);
    t.addStatement("int rows = Math.min($L, $L - k0)", blockRows, k);
    t.addComment("im2col for rows k0 .. k0 + rows - 1, row k being (input channel, ky, kx)");
    t.beginControlFlow("for (int r = 0; r < rows; r++)")
        .addStatement("int kk = k0 + r, ci = kk / $L, ky = (kk - ci * $L) / $L, kx = kk - ci * $L - ky * $L", kernel,
            kernel, c.kernelW(), kernel, c.kernelW())
        .addStatement("float[] row = col[r]")
        .addStatement("int base = in + ci * $L + ky * $L + kx", in.plane(), in.width());
    if (padded) {
      t.beginControlFlow("for (int j = 0; j < len; j++)")
          .addStatement("int y = ty[j] + ky, x = tx[j] + kx")
          .addStatement("row[j] = y >= 0 && y < $L && x >= 0 && x < $L ? a[base + toff[j]] : 0f", in.height(),
              in.width())
          .endControlFlow();
    } else {
      t.addStatement("for (int j = 0; j < len; j++) row[j] = a[base + toff[j]]");
    }
    t.endControlFlow();
    t.addStatement("int rows4 = rows & ~3");
    t.beginControlFlow("for (int f = f0; f < f1; f++)")
        .addStatement("float[] sum = acc[f - f0]")
        .addStatement("int wb = (g * $L + f) * $L + k0", fg, k)
        .beginControlFlow("for (int r = 0; r < rows4; r += 4)")
        .addStatement("$T.fma4(sum, col[r], col[r + 1], col[r + 2], col[r + 3], w[wb + r], w[wb + r + 1],"
            + " w[wb + r + 2], w[wb + r + 3], 0, len)", KernelContext.MICRO)
        .endControlFlow();
    if (k % 4 != 0) {
      t.addStatement("for (int r = rows4; r < rows; r++) $T.fma1(sum, col[r], w[wb + r], 0, len)", KernelContext.MICRO);
    }
    t.endControlFlow();
    t.endControlFlow();
    t.addComment("epilogue: bias$L$L and activation, into the output", c.norm() == null ? "" : " (batch norm folded in)",
        c.residual() ? ", residual" : "");
    t.beginControlFlow("for (int f = f0; f < f1; f++)")
        .addStatement("float[] sum = acc[f - f0]")
        .addStatement("float bias = $L", b == null ? "0f" : CodeBlock.of("$N[g * $L + f]", b, fg))
        .addStatement("int o = out + f * $L + p0", positions);
    if (c.residual()) t.addStatement("int ro = res + f * $L + p0", positions);
    t.beginControlFlow("for (int j = 0; j < len; j++)")
        .addStatement(c.residual() ? "float v = sum[j] + bias + a[ro + j]" : "float v = sum[j] + bias")
        .addStatement("a[o + j] = $L", Epilogues.activation(c.activation(), "v"))
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(t.build());
  }
}
