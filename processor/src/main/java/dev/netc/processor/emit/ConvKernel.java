package dev.netc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import javax.lang.model.element.Modifier;

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
 *
 * <p>A stride-1 convolution also gets a second tile method on the Vector API ({@code VectorConv}: padded input
 * planes, "wide" output rows, four filters by 32 positions in registers), which the model runs instead when it
 * was created with the Vector API available ({@code VectorSupport}); the task count depends on the choice, the
 * epilogue is the same. Where that kernel would waste much (small maps: LeNet-5's conv2) or cannot run
 * (strided layers: AlexNet's conv1), a layer with at least 12 filters per group takes the other Vector API kernel,
 * {@code LaneConv}: filters across lanes, eight positions by 16 filters (or six by 32) in registers, only valid
 * positions. A 3x3 or 5x5 layer (or a strided one that rewritten space to depth is one) whose Winograd products,
 * transforms counted, come to less than either takes {@link WinogradKernel} instead. Both direct Vector API kernels
 * may compute a following max pool in their epilogue ({@link PooledEpilogue}).
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
    VectorPlan wide = c.strideH() == 1 && c.strideW() == 1 ? VectorPlan.of(in, out, c) : null;
    LanePlan lanes = LanePlan.of(in, out, c);
    // filters across lanes where positions across lanes would waste more (strided layers cannot use them at all);
    // the wide kernel runs about 1.3x the lane kernel's useful rate on big maps (measured: AlexNet's conv3 ties at
    // a 1.33x waste), hence the margin
    if (lanes != null && wide != null && wide.work(fg) <= 1.4 * lanes.work(fg)) lanes = null;
    if (lanes != null) wide = null;
    // Winograd where its products and transforms come to less than the direct kernel's work
    WinogradKernel.Plan winograd = wide != null || lanes != null ? WinogradKernel.Plan.of(in, out, c) : null;
    if (winograd != null && WinogradKernel.pays(winograd, cg, fg, groups,
        (wide != null ? wide.work(fg) : lanes.work(fg)) * k * groups)) {
      wide = null;
      lanes = null;
    } else {
      winograd = null;
    }
    int vectorTasks = wide != null ? wide.tasksPerImage() : lanes != null ? lanes.tasksPerImage() : 0;
    boolean vector = wide != null || lanes != null || winograd != null;
    CodeBlock taskCount = !vector ? CodeBlock.of("batch * $L", tasksPerImage)
        : winograd != null ? CodeBlock.of("vector ? $L : batch * $L", WinogradKernel.tasks(m, winograd, groups),
            tasksPerImage)
        : CodeBlock.of("batch * (vector ? $L : $L)", vectorTasks, tasksPerImage);
    // Parallel.run's work estimate is in multiply-adds of the plain kernels; the Vector API kernel does about four
    // in the time of one, so its layers stay on the calling thread up to four times as many (measured on LeNet-5 at
    // batch 1: waking the second core cost more than conv1 and conv2 take alone).
    long work = ctx.workPerImage(node);
    CodeBlock workPerImage = !vector ? CodeBlock.of("$LL", work)
        : CodeBlock.of("(vector ? $LL : $LL)", ctx.graph.macs(node) / 4 + out.size(), work);
    MethodSpec.Builder t = ctx.parallelGroup(node, m, taskCount, workPerImage, ctx.doc(node), CodeBlock.of(""),
        CodeBlock.of(""));
    if (vector) {
      String vectorTile = wide != null ? emitVector(ctx, node, c, m, w, b, wide)
          : lanes != null ? emitLanes(ctx, node, c, m, w, b, lanes)
          : WinogradKernel.emit(ctx, node, c, m, w, b, winograd);
      t.beginControlFlow("if (vector)")
          .addStatement("$N(task, worker)", vectorTile)
          .addStatement("return")
          .endControlFlow();
    }
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

  /**
   * How a stride-1 convolution runs on {@code VectorConv}: tasks of (image, group, {@code rows} output rows,
   * {@code chunk} filters), each computing {@code rows * paddedWidth} wide positions (see {@code VectorConv}), in
   * blocks of {@code block} filters: 4 ({@code sums}), or 6 ({@code sums6}: 24 accumulators, one pass over the input
   * per six filters) where blocks of 6 leave fewer filter slots empty than blocks of 4 (LeNet-5's conv1: 6 filters).
   */
  record VectorPlan(int paddedHeight, int paddedWidth, int rows, int tiles, int chunk, int chunks, int groups,
      int block) {
    /** Wide positions per tile, in whole register tiles: a sums row's width. */
    int sumsWidth() {
      int count = rows * paddedWidth;
      return (count + VECTOR_TILE - 1) / VECTOR_TILE * VECTOR_TILE;
    }

    int tasksPerImage() {
      return groups * tiles * chunks;
    }

    /** Multiply-adds per image and group, counting the wide positions and the filter blocks' empty slots. */
    long work(int filtersPerGroup) {
      return (long) tiles * sumsWidth() * roundUpTo(filtersPerGroup, block);
    }

    static VectorPlan of(Shape in, Shape out, Conv c) {
      int ph = in.height() + 2 * c.padH();
      int pw = in.width() + 2 * c.padW();
      // about 256 wide positions (8 register tiles) per task: long enough to amortise the task, short enough that
      // a 13x13 or 27x27 map still splits into a few tasks per image
      int rows = Math.max(1, Math.min(out.height(), 256 / pw));
      int tiles = (out.height() + rows - 1) / rows;
      int groups = c.groups();
      int fg = c.filters() / groups;
      // blocks of 6 only where they leave fewer empty filter slots than blocks of 4 (6, 18, 30 filters): where both
      // fit exactly (GoogLeNet's 24, 48, 96, 192), blocks of 6 measured 8% slower on the network
      int block = roundUpTo(fg, FILTER_BLOCK_6) < roundUpTo(fg, FILTER_BLOCK) ? FILTER_BLOCK_6 : FILTER_BLOCK;
      // as the im2col path: split filters only when an image has too few tasks, in whole blocks, >= 16 each
      int chunks = 1;
      if (groups * tiles < 8) chunks = Math.max(1, Math.min((8 + groups * tiles - 1) / (groups * tiles), fg / 16));
      int chunk = (fg + chunks - 1) / chunks;
      chunk = roundUpTo(chunk, block);
      chunks = (fg + chunk - 1) / chunk;
      return new VectorPlan(ph, pw, rows, tiles, chunk, chunks, groups, block);
    }
  }

  /**
   * How a convolution runs on {@code LaneConv} (filters across lanes, any stride): tasks of (image, group,
   * {@code rows} output rows, {@code chunk} filters, a multiple of {@code block}), each summing {@code rows * outW}
   * positions in register tiles of {@code positions} positions by {@code block} filters (8 x 16, or 6 x 32).
   */
  record LanePlan(int paddedHeight, int paddedWidth, int rows, int tiles, int chunk, int chunks, int groups,
      int outWidth, int block, int positions) {
    /** Floats of position-major sums one task writes per block of filters. */
    int blockFloats() {
      return (rows * outWidth + positions - 1) / positions * positions * block;
    }

    int tasksPerImage() {
      return groups * tiles * chunks;
    }

    /** Multiply-adds per image and group, counting the empty filter slots and the last tile's padding. */
    long work(int filtersPerGroup) {
      return (long) tiles * (blockFloats() / block) * roundUpTo(filtersPerGroup, block);
    }

    /**
     * The plan, or null where 16-filter blocks would be mostly empty (fewer than 12 filters per group). Blocks of 32
     * filters (six positions per tile: a third fewer instructions per multiply-add, AlexNet's conv1 104 against 76
     * GFLOP/s on one core) where they waste no more than a tenth beyond what blocks of 16 would.
     */
    static LanePlan of(Shape in, Shape out, Conv c) {
      int fg = c.filters() / c.groups();
      if (fg < 12) return null;
      int block = roundUpTo(fg, LANE_FILTERS_32) <= 1.1 * roundUpTo(fg, LANE_FILTERS) ? LANE_FILTERS_32 : LANE_FILTERS;
      int positions = block == LANE_FILTERS_32 ? LANE_POSITIONS_32 : LANE_POSITIONS;
      int rows = Math.max(1, Math.min(out.height(), 256 / out.width()));
      int tiles = (out.height() + rows - 1) / rows;
      int groups = c.groups();
      // as VectorPlan, but chunks of at least 32 filters: each chunk copies its band of input rows again
      int chunks = 1;
      if (groups * tiles < 8) chunks = Math.max(1, Math.min((8 + groups * tiles - 1) / (groups * tiles), fg / 32));
      int chunk = roundUpTo((fg + chunks - 1) / chunks, block);
      chunks = (fg + chunk - 1) / chunk;
      return new LanePlan(in.height() + 2 * c.padH(), in.width() + 2 * c.padW(), rows, tiles, chunk, chunks, groups,
          out.width(), block, positions);
    }
  }

  /** Register tiles of {@code LaneConv}: positions per tile, filters per packed block; and the wider one. */
  private static final int LANE_POSITIONS = 8;
  private static final int LANE_FILTERS = 16;
  private static final int LANE_POSITIONS_32 = 6;
  private static final int LANE_FILTERS_32 = 32;

  /** Register tile of {@code VectorConv}: positions per tile, and filters per packed block. */
  private static final int VECTOR_TILE = 32;
  private static final int FILTER_BLOCK = 4;
  private static final int FILTER_BLOCK_6 = 6;

  private static int roundUpTo(int n, int multiple) {
    return (n + multiple - 1) / multiple * multiple;
  }

  /**
   * The Vector API tile method of a stride-1 convolution, its packed weights and tap table; returns the
   * method's name. Same sums as the im2col path, in another order (per register tile, taps in weight order).
   */
  private static String emitVector(KernelContext ctx, Node node, Conv c, String m, String w, String b, VectorPlan v) {
    Shape in = ctx.shapeOf(node.inputs().get(0));
    Shape out = node.shape();
    int groups = c.groups();
    int cg = in.channels() / groups;
    int fg = c.filters() / groups;
    int taps = cg * c.kernelH() * c.kernelW();
    int plane = v.paddedHeight() * v.paddedWidth();
    int block = v.block();
    int blocks = (fg + block - 1) / block;
    ctx.usesVector = true;
    // the padded planes, plus what the last register tile reads past them (VectorConv.slack)
    ctx.padFloats = Math.max(ctx.padFloats, cg * plane + VECTOR_TILE + c.kernelW());
    ctx.sumsFloats = Math.max(ctx.sumsFloats, v.chunk() * v.sumsWidth());

    String packed = packedFilters(ctx, m + "Packed", w, groups, fg, taps, block, "VectorConv");
    String tapTable = tapTable(ctx, m, c, cg, v.paddedHeight(), v.paddedWidth());

    String name = m + "Vector";
    Node pool = PooledEpilogue.pool(ctx, node, c, v.rows(), v.tiles());
    MethodSpec.Builder t = rowTileTask(ctx, node, c, name, CodeBlock.of(
        "$L on the Vector API: $L rows of $L wide positions per task, filters in blocks of $L$L.\n", node.name(),
        v.rows(), v.paddedWidth(), block, pooledDoc(pool)), v.rows(), v.tiles(), v.chunks(), v.tasksPerImage(),
        pool == null);
    bandCopy(ctx, node, c, t, v.paddedHeight(), v.paddedWidth());
    t.addStatement("int f0 = chunk * $L, f1 = Math.min($L, f0 + $L)", v.chunk(), fg, v.chunk());
    t.addStatement("float[] s = vectorSums[worker]");
    t.beginControlFlow("for (int f = f0; f < f1; f += $L)", block);
    if (block == FILTER_BLOCK) {
      t.addStatement("$T.sums(pin, oy0 * $L, $N, $N, (g * $L + f / 4) * $L, Math.min(4, f1 - f), s, (f - f0) * $L,"
          + " $L, rows * $L)", VECTOR_CONV, v.paddedWidth(), tapTable, packed, blocks, taps * block,
          v.sumsWidth(), v.sumsWidth(), v.paddedWidth());
    } else {
      t.addComment("all six rows of the block, those past f1 (zero weights) included: the sums have room");
      t.addStatement("$T.sums6(pin, oy0 * $L, $N, $N, (g * $L + f / 6) * $L, s, (f - f0) * $L, $L, rows * $L)",
          VECTOR_CONV, v.paddedWidth(), tapTable, packed, blocks, taps * block, v.sumsWidth(), v.sumsWidth(),
          v.paddedWidth());
    }
    t.endControlFlow();
    if (pool != null) {
      PooledEpilogue.emit(ctx, t, node, c, pool, CodeBlock.builder()
          .addStatement("int from = (f - f0) * $L", v.sumsWidth()).build(), bias(b, fg), v.paddedWidth(), 1);
      ctx.type.addMethod(t.build());
      return name;
    }
    t.addComment("epilogue: bias$L$L and activation, the valid columns of each wide row into the output",
        c.norm() == null ? "" : " (batch norm folded in)", c.residual() ? ", residual" : "");
    t.beginControlFlow("for (int f = f0; f < f1; f++)")
        .addStatement("int from = (f - f0) * $L", v.sumsWidth())
        .addStatement("float bias = $L", bias(b, fg))
        .addStatement("int o = out + f * $L + oy0 * $L", out.plane(), out.width());
    if (c.residual()) t.addStatement("int ro = res + f * $L + oy0 * $L", out.plane(), out.width());
    t.beginControlFlow("for (int r = 0; r < rows; r++)")
        .beginControlFlow("for (int x = 0; x < $L; x++)", out.width())
        .addStatement(c.residual() ? CodeBlock.of("float v = s[from + r * $L + x] + bias + a[ro + r * $L + x]",
            v.paddedWidth(), out.width()) : CodeBlock.of("float v = s[from + r * $L + x] + bias", v.paddedWidth()))
        .addStatement("a[o + r * $L + x] = $L", out.width(), Epilogues.activation(c.activation(), "v"))
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(t.build());
    return name;
  }

  /**
   * The Vector API tile method of a convolution with filters across lanes ({@code LaneConv}), its packed weights
   * and its tap and position tables; returns the method's name. Same sums as the im2col path, in another order.
   */
  private static String emitLanes(KernelContext ctx, Node node, Conv c, String m, String w, String b, LanePlan v) {
    Shape in = ctx.shapeOf(node.inputs().get(0));
    Shape out = node.shape();
    int groups = c.groups();
    int cg = in.channels() / groups;
    int fg = c.filters() / groups;
    int taps = cg * c.kernelH() * c.kernelW();
    int plane = v.paddedHeight() * v.paddedWidth();
    int block = v.block();
    int blocks = (fg + block - 1) / block;
    ctx.usesVector = true;
    // the padded planes; the positions past a task's last read only inside them (LaneConv.sums)
    ctx.padFloats = Math.max(ctx.padFloats, cg * plane);
    ctx.sumsFloats = Math.max(ctx.sumsFloats, v.chunk() / block * v.blockFloats());

    String packed = packedFilters(ctx, m + "LanePacked", w, groups, fg, taps, block, "LaneConv");
    String tapTable = tapTable(ctx, m, c, cg, v.paddedHeight(), v.paddedWidth());
    String positionTable = m + "Positions";
    ctx.type.addField(FieldSpec.builder(int[].class, positionTable, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Offset of each output position's window in the padded planes (stride $Lx$L), then room for a"
            + " tile starting at the last.\n",
            c.strideH(), c.strideW())
        .initializer("$T.outputPositions($L, $L, $L, $L, $L)", KernelContext.PACKING, out.height(), out.width(),
            c.strideH(), c.strideW(), v.paddedWidth()).build());

    String name = m + "Lanes";
    Node pool = PooledEpilogue.pool(ctx, node, c, v.rows(), v.tiles());
    MethodSpec.Builder t = rowTileTask(ctx, node, c, name, CodeBlock.of(
        "$L on the Vector API, filters across lanes: $L output rows per task, $L filters per block$L.\n",
        node.name(), v.rows(), block, pooledDoc(pool)), v.rows(), v.tiles(), v.chunks(), v.tasksPerImage(),
        pool == null);
    bandCopy(ctx, node, c, t, v.paddedHeight(), v.paddedWidth());
    t.addStatement("int p0 = oy0 * $L, count = rows * $L", out.width(), out.width());
    t.addStatement("int f0 = chunk * $L, f1 = Math.min($L, f0 + $L)", v.chunk(), fg, v.chunk());
    t.addStatement("float[] s = vectorSums[worker]");
    t.beginControlFlow("for (int f = f0; f < f1; f += $L)", block)
        .addStatement("$T.$L(pin, 0, $N, $N, p0, count, $N, (g * $L + f / $L) * $L, s, (f - f0) / $L * $L)",
            LANE_CONV, block == LANE_FILTERS ? "sums" : "sums32", tapTable, positionTable, packed, blocks, block,
            taps * block, block, v.blockFloats())
        .endControlFlow();
    if (pool != null) {
      PooledEpilogue.emit(ctx, t, node, c, pool, CodeBlock.builder()
              .addStatement("int from = (f - f0) / $L * $L + (f - f0) % $L", block, v.blockFloats(), block).build(),
          bias(b, fg), out.width() * block, block);
      ctx.type.addMethod(t.build());
      return name;
    }
    t.addComment("epilogue: bias$L$L and activation, each filter's lane of the position-major sums into its plane",
        c.norm() == null ? "" : " (batch norm folded in)", c.residual() ? ", residual" : "");
    t.beginControlFlow("for (int f = f0; f < f1; f++)")
        .addStatement("int from = (f - f0) / $L * $L + (f - f0) % $L", block, v.blockFloats(), block)
        .addStatement("float bias = $L", bias(b, fg))
        .addStatement("int o = out + f * $L + p0", out.plane());
    if (c.residual()) t.addStatement("int ro = res + f * $L + p0", out.plane());
    t.beginControlFlow("for (int p = 0; p < count; p++)")
        .addStatement(c.residual() ? CodeBlock.of("float v = s[from + p * $L] + bias + a[ro + p]", block)
            : CodeBlock.of("float v = s[from + p * $L] + bias", block))
        .addStatement("a[o + p] = $L", Epilogues.activation(c.activation(), "v"))
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(t.build());
    return name;
  }

  /**
   * Adds the field of a convolution's weights in blocks of {@code block} filters ({@code Packing.filterBlocks}),
   * packed while loading when the model uses the Vector API; returns its name.
   */
  private static String packedFilters(KernelContext ctx, String name, String w, int groups, int filtersPerGroup,
      int taps, int block, String kernel) {
    ctx.type.addField(FieldSpec.builder(float[].class, name, Modifier.PRIVATE)
        .addJavadoc("$N in blocks of $L filters for $L ($T.filterBlocks); null without the Vector API.\n", w, block,
            kernel, KernelContext.PACKING).build());
    ctx.constructor.addStatement("this.$N = vector ? $T.filterBlocks($N, $L, $L, $L, $L) : null", name,
        KernelContext.PACKING, w, groups, filtersPerGroup, taps, block);
    return name;
  }

  /** Adds the static table of every tap's offset in the padded planes ({@code Packing.convTaps}); returns its name. */
  private static String tapTable(KernelContext ctx, String m, Conv c, int channels, int paddedHeight,
      int paddedWidth) {
    String name = m + "Taps";
    ctx.type.addField(FieldSpec.builder(int[].class, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Offset of each tap (channel, ky, kx) in the padded $Lx$L planes.\n", paddedHeight, paddedWidth)
        .initializer("$T.convTaps($L, $L, $L, $L, $L)", KernelContext.PACKING, channels, paddedHeight * paddedWidth,
            paddedWidth, c.kernelH(), c.kernelW()).build());
    return name;
  }

  /**
   * Copies into {@code pin} (per-worker padded planes of {@code paddedHeight x paddedWidth}) the band of padded input
   * rows that output rows {@code oy0 .. oy0 + rows - 1} read, with its zero borders, in place in the planes. Rows
   * outside the band keep whatever an earlier task left there: only positions past the valid ones read them (the
   * wide kernel's garbage columns and last tile), and their sums are never used. Copying the whole planes per task
   * instead cost LeNet-5's conv1, four tasks per 28x28 image, four times its input.
   */
  private static void bandCopy(KernelContext ctx, Node node, Conv c, MethodSpec.Builder t, int paddedHeight,
      int paddedWidth) {
    Shape in = ctx.shapeOf(node.inputs().get(0));
    int cg = in.channels() / c.groups();
    int plane = paddedHeight * paddedWidth;
    t.addComment("the band of padded input rows these output rows read, with its zero borders, in place in the planes");
    t.addStatement("int py0 = $L, py1 = Math.min($L, $L)", Epilogues.affine("oy0", c.strideH(), 0), paddedHeight,
        c.strideH() == 1 ? "oy0 + rows + " + (c.kernelH() - 1)
            : "(oy0 + rows - 1) * " + c.strideH() + " + " + c.kernelH());
    t.addStatement("float[] pin = padIn[worker]");
    t.beginControlFlow("for (int ci = 0; ci < $L; ci++)", cg);
    if (c.padH() > 0 || c.padW() > 0) {
      t.addStatement("$T.fill(pin, ci * $L + py0 * $L, ci * $L + py1 * $L, 0f)", KernelContext.ARRAYS, plane,
          paddedWidth, plane, paddedWidth);
    }
    t.beginControlFlow("for (int py = Math.max(py0, $L); py < Math.min(py1, $L); py++)", c.padH(),
            c.padH() + in.height())
        .addStatement("$T.arraycopy(a, in + ci * $L + (py - $L) * $L, pin, ci * $L + py * $L + $L, $L)",
            System.class, in.plane(), c.padH(), in.width(), plane, paddedWidth, c.padW(), in.width())
        .endControlFlow()
        .endControlFlow();
  }

  /**
   * The start of a Vector API tile method, shared by both kernels: the task number split into (image, group, tile of
   * {@code rows} output rows, filter chunk), the arena offsets of the group's input, output and residual, and the
   * tile's first output row {@code oy0} and row count {@code rows}.
   */
  private static MethodSpec.Builder rowTileTask(KernelContext ctx, Node node, Conv c, String name, CodeBlock doc,
      int rows, int tiles, int chunks, int tasksPerImage, boolean writesOutput) {
    Shape in = ctx.shapeOf(node.inputs().get(0));
    Shape out = node.shape();
    int groups = c.groups();
    MethodSpec.Builder t = MethodSpec.methodBuilder(name)
        .addJavadoc(doc)
        .addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "task")
        .addParameter(int.class, "worker");
    t.addComment("task -> (image, group, tile of output rows, filter chunk)");
    t.addStatement("int chunk = $L", chunks == 1 ? "0" : "task % " + chunks);
    t.addStatement("int tile = $L", tiles == 1 ? "0" : chunks == 1 ? "task % " + tiles : "(task / " + chunks + ") % " + tiles);
    t.addStatement("int g = $L", groups == 1 ? "0" : "(task / " + (chunks * tiles) + ") % " + groups);
    t.addStatement("int n = task / $L", tasksPerImage);
    t.addStatement("float[] a = arena");
    t.addStatement("int in = $L + g * $L", ctx.image(node.inputs().get(0), "n"), in.channels() / groups * in.plane());
    int groupOut = c.filters() / groups * out.plane();
    if (writesOutput) t.addStatement("int out = $L + g * $L", ctx.image(node.name(), "n"), groupOut);
    if (c.residual()) t.addStatement("int res = $L + g * $L", ctx.image(node.inputs().get(1), "n"), groupOut);
    t.addStatement("int oy0 = tile * $L, rows = Math.min($L, $L - oy0)", rows, rows, out.height());
    return t;
  }

  /** A filter's bias in the epilogue ({@code f} of group {@code g}), or 0 without one. */
  static CodeBlock bias(String b, int filtersPerGroup) {
    return b == null ? CodeBlock.of("0f") : CodeBlock.of("$N[g * $L + f]", b, filtersPerGroup);
  }

  /** What a tile method's Javadoc says of the pool it computes in its epilogue, if any. */
  private static String pooledDoc(Node pool) {
    return pool == null ? "" : "; its epilogue computes " + pool.name() + " (" + pool.op().label()
        + ", see PooledEpilogue) and writes only that";
  }

  private static final ClassName LANE_CONV = ClassName.get("dev.netc.runtime.java", "LaneConv");
  private static final ClassName VECTOR_CONV = ClassName.get("dev.netc.runtime.java", "VectorConv");
}
