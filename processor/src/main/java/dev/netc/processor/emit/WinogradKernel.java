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
 * The Vector API tile method of a stride-1 3x3 or 5x5 convolution by Winograd's minimal filtering ({@code
 * Winograd} in the runtime): per {@code m x m} output tile and (filter, channel) pair, {@code alpha^2 = (m + r -
 * 1)^2} multiply-adds instead of {@code m^2 r^2}, at the price of transforming the inputs and the outputs. A strided
 * layer runs as the stride-1 one over its input rearranged space to depth ({@code SpaceToDepth}; see {@link
 * Plan#of}).
 *
 * <p>Tiles are numbered across images, so a task is a run of 32 tiles (one register tile of the matrix products)
 * whatever the map size, a group, and a chunk of filters. Filter chunks exist only so that a small batch still
 * has a task per worker: each chunk repeats the input transform, so the generated code picks the chunk count at
 * run time from the batch ({@code <name>Chunks}).
 */
final class WinogradKernel {
  /** Tiles per run: the runtime's {@code Winograd.TILES}, one register tile of {@code VectorConv}. */
  static final int RUN = 32;
  /**
   * Per-tile tables of a task ({@code winogradTiles}, {@code RUN} ints each): the patch corner in the band, the
   * offsets of the tile's first output and residual value for filter 0, its valid rows, its valid columns.
   */
  static final int TABLES = 5;
  /** Filters per output transform: the runtime's {@code Winograd.FILTERS}. */
  private static final int FILTERS = 4;
  /**
   * The transforms' cost as extra multiply-adds per product, for the choice against the direct kernels: measured on
   * AlexNet's conv4 at batch 16, the input and output transforms took about half as long as the products.
   */
  private static final double TRANSFORM_COST = 1.5;

  private WinogradKernel() {}

  /**
   * F(m x m, r x r) for one convolution: {@code tilesX x tilesY} tiles per image and group; a run's input rows are
   * copied into a band of {@code bandRows} rows of {@code paddedWidth} floats per channel. A strided convolution
   * ({@code stride > 1}) runs as the stride-1 one over its input rearranged space to depth ({@code SpaceToDepth}):
   * {@code r} is then the rewritten kernel's side and each input channel becomes {@code stride^2} channels.
   */
  record Plan(int m, int r, int tilesX, int tilesY, int paddedWidth, int bandRows, int stride) {
    /** Channels per group of the convolution Winograd computes, given the layer's own. */
    int channels(int channelsPerGroup) {
      return channelsPerGroup * stride * stride;
    }

    int alpha() {
      return m + r - 1;
    }

    int tilesPerImage() {
      return tilesX * tilesY;
    }

    /** Multiply-adds per image and group of the products, the filter blocks' empty slots counted. */
    long work(int channels, int filters) {
      return (long) alpha() * alpha() * tilesPerImage() * channels * ((filters + 3) / 4 * 4);
    }

    /**
     * The plan for a stride-1 square convolution of 3x3 or 5x5 with at least 16 channels and filters per group: F(2x2)
     * or F(3x3), whichever needs fewer products (F(3x3) but on tiny maps); null for any other. Larger tiles need
     * fewer products but round more ({@code WinogradTest}, relative to the largest output: F(3x3, 3x3) 5e-7 to 1e-6,
     * F(3x3, 5x5) 4e-6, F(4x4, 3x3) 3.4e-6). F(3x3, 5x5) stays well inside float32's 1e-5 parity bounds and runs
     * AlexNet's conv2 1.6-2x faster than F(2x2, 5x5) (1.78x fewer products, cheaper transforms per output);
     * F(4x4, 3x3) would save only 8% of the products on 13x13 maps and is not used (measured on AlexNet: conv3-5 at
     * batch 16 0-14% faster, at batch 1 1.5x slower, where an image's 16 tiles fill half a run).
     *
     * <p>A strided square convolution with equal strides and padding qualifies when its space-to-depth rewrite
     * does, with at least 64 channels per group: a kernel of {@code ceil(k / stride)} = 3 or 5. ZFNet's conv2 (5x5
     * stride 2 over 96 channels: 3x3 over 384) qualifies, and the whole network ran 10-25% faster at batch 16.
     * AlexNet's conv1 (11x11 stride 4 over 3 channels: 3x3 over 48) does not: it measured a tie with the direct
     * {@code LaneConv} kernel, the transforms (each shared by only 48 channels or 64 filters, and the band gathered
     * with a stride) taking as long as the 2.5x fewer products saved.
     */
    static Plan of(Shape in, Shape out, Conv c) {
      int k = c.kernelH();
      int stride = c.strideH();
      if (c.kernelW() != k || c.strideW() != stride) return null;
      if (stride > 1 && c.padW() != c.padH()) return null;
      int r = (k + stride - 1) / stride; // SpaceToDepth.kernel
      if (r != 3 && r != 5) return null;
      int channels = in.channels() / c.groups() * stride * stride;
      if (channels < (stride == 1 ? 16 : 64) || c.filters() / c.groups() < 16) return null;
      Plan best = null;
      for (int m = 2; m <= 3; m++) {
        Plan p = of(in, out, r, stride, m);
        if (best == null || p.work(1, 4) < best.work(1, 4)) best = p;
      }
      return best;
    }

    private static Plan of(Shape in, Shape out, int r, int stride, int m) {
      int tilesX = (out.width() + m - 1) / m, tilesY = (out.height() + m - 1) / m;
      int alpha = m + r - 1;
      int perImage = tilesX * tilesY;
      // the most rows a run of RUN tiles can read, over every place a run may start in an image (runs are numbered
      // across images, so any start is possible for some batch): per image it touches, its tile rows' patches
      int bandRows = 0;
      for (int start = 0; start < perImage; start++) {
        int rows = 0;
        for (int t = 0, first = start; t < RUN; first = 0) {
          int last = Math.min(perImage, first + RUN - t);
          rows += (last - 1) / tilesX * m + alpha - first / tilesX * m;
          t += last - first;
        }
        bandRows = Math.max(bandRows, rows);
      }
      return new Plan(m, r, tilesX, tilesY, tilesX * m + r - 1, bandRows, stride);
    }
  }

  /**
   * Whether Winograd's products, with the transforms counted, beat {@code directWork} (the direct Vector API
   * kernel's multiply-adds per image, wasted positions and filter slots included).
   */
  static boolean pays(Plan plan, int channels, int filters, int groups, long directWork) {
    return plan.work(plan.channels(channels), filters) * groups * TRANSFORM_COST < directWork;
  }

  /** Emits the tile method, its tables and its packed weights; returns the method's name. */
  static String emit(KernelContext ctx, Node node, Conv c, String m, String w, String b, Plan p) {
    Shape in = ctx.shapeOf(node.inputs().get(0));
    Shape out = node.shape();
    int groups = c.groups();
    int inputChannels = in.channels() / groups;
    // the channels Winograd sees: the layer's own, or stride^2 times as many after space to depth
    int cg = p.channels(inputChannels);
    int fg = c.filters() / groups;
    int a2 = p.alpha() * p.alpha();
    int blocks = (fg + 3) / 4;
    int channelStride = p.bandRows() * p.paddedWidth();
    ctx.usesVector = true;
    ctx.padFloats = Math.max(ctx.padFloats, cg * channelStride);
    ctx.winogradInputs = Math.max(ctx.winogradInputs, a2 * cg * RUN);
    ctx.winogradScratch = Math.max(ctx.winogradScratch, 2 * a2 * 4 * RUN); // Winograd.scratchFloats
    ctx.winogradOutputs = Math.max(ctx.winogradOutputs, p.m() * p.m() * FILTERS * RUN);
    ctx.sumsFloats = Math.max(ctx.sumsFloats, a2 * blocks * 4 * RUN);

    String transform = m + "Transform";
    ctx.type.addField(FieldSpec.builder(WINOGRAD, transform, Modifier.PRIVATE)
        .addJavadoc("F($Lx$L, $Lx$L); null without the Vector API.\n", p.m(), p.m(), p.r(), p.r()).build());
    String packed = m + "WinogradFilters";
    ctx.type.addField(FieldSpec.builder(float[].class, packed, Modifier.PRIVATE)
        .addJavadoc("$N transformed ($Lx$L per filter and channel) in blocks of 4 filters; null without the Vector"
            + " API.\n", w, p.alpha(), p.alpha()).build());
    ctx.constructor.addStatement("this.$N = vector ? new $T($L, $L) : null", transform, WINOGRAD, p.m(), p.r());
    if (p.stride() == 1) {
      ctx.constructor.addStatement("this.$N = vector ? $N.filters($N, $L, $L, $L) : null", packed, transform, w,
          groups, fg, cg);
    } else {
      ctx.constructor.add("// the $Lx$L stride-$L kernels as $Lx$L ones over the input rearranged space to depth\n",
          c.kernelH(), c.kernelW(), p.stride(), p.r(), p.r());
      ctx.constructor.addStatement("this.$N = vector ? $N.filters($T.filters($N, $L, $L, $L, $L), $L, $L, $L) : null",
          packed, transform, SPACE_TO_DEPTH, w, c.filters(), inputChannels, c.kernelH(), p.stride(), groups, fg, cg);
    }
    String taps = m + "ChannelTaps";
    ctx.type.addField(FieldSpec.builder(int[].class, taps, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Row of each channel in a transform element's matrix of $L-tile rows.\n", RUN)
        .initializer("$T.channelTaps($L, $L)", KernelContext.PACKING, cg, RUN).build());

    int perImage = p.tilesPerImage();
    String chunks = m + "Chunks";
    ctx.type.addMethod(MethodSpec.methodBuilder(chunks)
        .addJavadoc("Filter chunks per run of tiles: one, unless the batch has fewer runs than there are workers\n"
            + "(each chunk transforms the run's inputs again), and at least 32 filters each.\n")
        .addModifiers(Modifier.PRIVATE)
        .returns(int.class)
        .addParameter(int.class, "batch")
        .addStatement("int tasks = (batch * $L + $L) / $L$L", perImage, RUN - 1, RUN, times(groups))
        .addStatement("return Math.max(1, Math.min($L, (parallel.threads() + tasks - 1) / tasks))",
            Math.max(1, fg / 32))
        .build());

    String name = m + "Winograd";
    MethodSpec.Builder t = MethodSpec.methodBuilder(name)
        .addJavadoc("$L by Winograd F($Lx$L, $Lx$L) on the Vector API: runs of $L tiles ($L per image, numbered across\n"
            + "images), $L products per tile and channel pair instead of $L.$L\n", node.name(), p.m(), p.m(), p.r(),
            p.r(), RUN, perImage, a2, p.m() * p.m() * p.r() * p.r(), p.stride() == 1 ? ""
                : CodeBlock.of("\n<p>Stride $L: computed as a $Lx$L convolution over the $L channels of the input "
                    + "rearranged space to depth\n(SpaceToDepth), whose $Lx$L kernels are the $Lx$L ones, zero past "
                    + "them.", p.stride(), p.r(), p.r(), cg, p.r() * p.stride(), p.r() * p.stride(), c.kernelH(),
                    c.kernelW()))
        .addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "task")
        .addParameter(int.class, "worker");
    t.addComment("task -> (run of tiles, group, filter chunk)");
    t.addStatement("int chunks = $N(batch)", chunks);
    t.addStatement("int chunk = task % chunks");
    t.addStatement("int g = $L", groups == 1 ? "0" : "(task / chunks) % " + groups);
    t.addStatement("int t0 = task / $L * $L, count = Math.min($L, batch * $L - t0)",
        groups == 1 ? "chunks" : "(chunks * " + groups + ")", RUN, RUN, perImage);
    t.addStatement("float[] a = arena, band = padIn[worker]");
    t.addStatement("int[] tiles = winogradTiles[worker]");
    t.addComment("each image's band of padded input rows that the run's tiles read; per tile t: its patch corner in");
    t.addComment("the band, its first output$L for filter 0, its valid rows and columns (tables $L apart)",
        c.residual() ? " and residual value" : "", RUN);
    t.beginControlFlow("for (int t = 0, row = 0; t < count; )")
        .addStatement("int n = (t0 + t) / $L, first = t0 + t - n * $L, last = Math.min($L, first + count - t)",
            perImage, perImage, perImage)
        .addStatement("int py0 = first / $L * $L, py1 = (last - 1) / $L * $L + $L", p.tilesX(), p.m(), p.tilesX(),
            p.m(), p.alpha())
        .addStatement(p.stride() == 1
            ? CodeBlock.of("$T.band(a, $L + g * $L, $L, $L, $L, $L, $L, py0, py1, band, row, $L, $L)", WINOGRAD,
                ctx.image(node.inputs().get(0), "n"), cg * in.plane(), cg, in.height(), in.width(), c.padH(),
                c.padW(), p.paddedWidth(), channelStride)
            : CodeBlock.of("$T.band(a, $L + g * $L, $L, $L, $L, $L, $L, py0, py1, band, row, $L, $L)", SPACE_TO_DEPTH,
                ctx.image(node.inputs().get(0), "n"), inputChannels * in.plane(), inputChannels, in.height(),
                in.width(), c.padH(), p.stride(), p.paddedWidth(), channelStride))
        .beginControlFlow("for (int tile = first; tile < last; tile++, t++)")
        .addStatement("int oy = tile / $L * $L, ox = tile % $L * $L", p.tilesX(), p.m(), p.tilesX(), p.m())
        .addStatement("tiles[t] = (row + oy - py0) * $L + ox", p.paddedWidth())
        .addStatement("tiles[$L + t] = $L + g * $L + oy * $L + ox", RUN, ctx.image(node.name(), "n"), fg * out.plane(),
            out.width());
    if (c.residual()) {
      t.addStatement("tiles[$L + t] = $L + g * $L + oy * $L + ox", 2 * RUN, ctx.image(node.inputs().get(1), "n"),
          fg * out.plane(), out.width());
    }
    t.addStatement("tiles[$L + t] = Math.min($L, $L - oy)", 3 * RUN, p.m(), out.height())
        .addStatement("tiles[$L + t] = Math.min($L, $L - ox)", 4 * RUN, p.m(), out.width())
        .endControlFlow()
        .addStatement("row += py1 - py0")
        .endControlFlow();
    t.addComment("a short run's idle columns read a real patch; their products are never used");
    t.addStatement("for (int t = count; t < $L; t++) tiles[t] = tiles[0]", RUN);
    t.addStatement("float[] inputs = winogradInputs[worker], scratch = winogradScratch[worker]");
    t.addStatement("$N.input(band, tiles, $L, $L, $L, inputs, $L, scratch)", transform, cg, channelStride,
        p.paddedWidth(), RUN);
    t.addComment("the products, per transform element a matrix product over channels; a block of 4 filters keeps its");
    t.addComment("rows of all elements together, so that its output transform reads $L contiguous floats", a2 * 4 * RUN);
    t.addStatement("int per = ($L + chunks - 1) / chunks + 3 & ~3", fg);
    t.addStatement("int f0 = chunk * per, f1 = Math.min($L, f0 + per)", fg);
    t.addStatement("float[] s = vectorSums[worker]");
    t.beginControlFlow("for (int xi = 0; xi < $L; xi++)", a2)
        .beginControlFlow("for (int f = f0; f < f1; f += 4)")
        .addStatement("$T.sums(inputs, xi * $L, $N, $N, ($L * $L + f / 4) * $L, Math.min(4, f1 - f), s,"
            + " ((f - f0) / 4 * $L + xi) * $L, $L, count)", VECTOR_CONV, cg * RUN, taps, packed,
            groups == 1 ? "xi" : "(xi * " + groups + " + g)", blocks, cg * 4, a2, 4 * RUN, RUN)
        .endControlFlow()
        .endControlFlow();
    t.addComment("per block of $L filters the output transform, then bias$L$L and activation into the output planes",
        FILTERS, c.norm() == null ? "" : " (batch norm folded in)", c.residual() ? ", residual" : "");
    t.addStatement("float[] y = winogradOutputs[worker]");
    t.beginControlFlow("for (int fb = f0; fb < f1; fb += $L)", FILTERS)
        .addStatement("$N.output(s, (fb - f0) / 4 * $L, $L, y, $L, scratch)", transform, a2 * 4 * RUN, 4 * RUN, RUN)
        .beginControlFlow("for (int f = fb; f < Math.min(f1, fb + $L); f++)", FILTERS)
        .addStatement("float bias = $L", ConvKernel.bias(b, fg))
        .addStatement("int yf = (f - fb) * $L", RUN)
        .beginControlFlow("for (int t = 0; t < count; t++)")
        .addStatement("int o = tiles[$L + t] + f * $L, rows = tiles[$L + t], cols = tiles[$L + t]", RUN, out.plane(),
            3 * RUN, 4 * RUN);
    if (c.residual()) t.addStatement("int ro = tiles[$L + t] + f * $L", 2 * RUN, out.plane());
    // whole tiles written out: the loops below have bounds of m or fewer that change between tiles, and their
    // exits mispredicted (AlexNet's conv3 in a harness: the epilogue took 15% of the layer, 7-10% after this)
    t.beginControlFlow("if (rows == $L && cols == $L)", p.m(), p.m())
        .addComment("a whole tile, written out");
    for (int i = 0; i < p.m(); i++) {
      for (int j = 0; j < p.m(); j++) {
        String v = "v" + (i * p.m() + j);
        int yOffset = (i * p.m() + j) * FILTERS * RUN;
        int aOffset = i * out.width() + j;
        String yAt = "y[yf + t" + (yOffset == 0 ? "" : " + " + yOffset) + "]";
        String plus = aOffset == 0 ? "" : " + " + aOffset;
        t.addStatement(c.residual() ? CodeBlock.of("float $L = $L + bias + a[ro$L]", v, yAt, plus)
            : CodeBlock.of("float $L = $L + bias", v, yAt));
        t.addStatement("a[o$L] = $L", plus, Epilogues.activation(c.activation(), v));
      }
    }
    t.addStatement("continue").endControlFlow();
    t.beginControlFlow("for (int i = 0; i < rows; i++)")
        .beginControlFlow("for (int j = 0; j < cols; j++)")
        .addStatement(c.residual()
            ? CodeBlock.of("float v = y[(i * $L + j) * $L + yf + t] + bias + a[ro + i * $L + j]", p.m(),
                FILTERS * RUN, out.width())
            : CodeBlock.of("float v = y[(i * $L + j) * $L + yf + t] + bias", p.m(), FILTERS * RUN))
        .addStatement("a[o + i * $L + j] = $L", out.width(), Epilogues.activation(c.activation(), "v"))
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    ctx.type.addMethod(t.build());
    return name;
  }

  /** Tasks of a batch: runs of tiles times groups times filter chunks. */
  static CodeBlock tasks(String m, Plan p, int groups) {
    return CodeBlock.of("(batch * $L + $L) / $L$L * $NChunks(batch)", p.tilesPerImage(), RUN - 1, RUN, times(groups),
        m);
  }

  private static String times(int factor) {
    return factor == 1 ? "" : " * " + factor;
  }

  private static final ClassName WINOGRAD = ClassName.get("dev.netc.runtime.java", "Winograd");
  private static final ClassName SPACE_TO_DEPTH = ClassName.get("dev.netc.runtime.java", "SpaceToDepth");
  private static final ClassName VECTOR_CONV = ClassName.get("dev.netc.runtime.java", "VectorConv");
}
