package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Lrn;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Pooling, local response normalisation, and the two fused ({@code LrnPool}). A task is one channel plane
 * of one image. With LRN first, the plane is normalised into per-worker scratch and pooled from there, so
 * the normalised tensor is never written to the arena.
 *
 * <p>The LRN power {@code d^-beta} is the expensive part; for AlexNet's beta = 0.75 it is generated as
 * {@code 1 / (sqrt(d) * sqrt(sqrt(d)))}, for 0.5 and 1 as the obvious forms, else {@code Math.pow}.
 */
final class PoolKernel {
  private PoolKernel() {}

  static void emit(KernelContext ctx, Node node, Lrn lrn, Pool pool) {
    Shape in = ctx.shapeOf(node.input());
    Shape out = node.shape();
    String m = ctx.groupName(node, lrn == null ? "Pool" : pool == null ? "Lrn" : "LrnPool");
    MethodSpec.Builder t = ctx.parallelGroup(node, m, CodeBlock.of("batch * $L", in.channels()), ctx.doc(node));
    t.addComment("task -> (image, channel)");
    t.addStatement("int c = task % $L, n = task / $L", in.channels(), in.channels());
    t.addStatement("float[] a = arena");
    t.addStatement("int image = $L", ctx.image(node.input(), "n"));
    t.addStatement("int out = $L + c * $L", ctx.image(node.name(), "n"), out.plane());
    String src = "a";
    String srcBase = "image + c * " + in.plane();
    if (lrn != null) {
      ctx.lrnPlane = Math.max(ctx.lrnPlane, in.plane());
      if (pool != null) {
        t.addStatement("float[] s = lrnScratch[worker]");
        normalise(t, lrn, in, "s", "0");
        src = "s";
        srcBase = "0";
      } else {
        normalise(t, lrn, in, "a", "out");
      }
    }
    if (pool != null) pool(t, pool, in, out, src, srcBase);
    ctx.type.addMethod(t.build());
  }

  /** Writes channel c of the image, normalised across channels, to {@code dst[dstBase ..]}. */
  private static void normalise(MethodSpec.Builder t, Lrn lrn, Shape in, String dst, String dstBase) {
    int half = lrn.size() / 2;
    t.addComment("LRN: b = a / (k + $L * sum of squares over channels c-$L..c+$L)^$L", lrn.coefficient(), half,
        half, lrn.beta());
    t.addStatement("int lo = Math.max(0, c - $L), hi = Math.min($L, c + $L)", half, in.channels() - 1, half);
    t.addStatement("int self = image + c * $L", in.plane());
    t.beginControlFlow("for (int i = 0; i < $L; i++)", in.plane())
        .addStatement("float sum = 0f")
        .beginControlFlow("for (int j = lo; j <= hi; j++)")
        .addStatement("float v = a[image + j * $L + i]", in.plane())
        .addStatement("sum += v * v")
        .endControlFlow()
        .addStatement("double d = $L + $L * sum", lrn.k(), lrn.coefficient())
        .addStatement("$N[$L + i] = (float) (a[self + i] * $L)", dst, dstBase, power(lrn.beta()))
        .endControlFlow();
  }

  private static CodeBlock power(double beta) {
    if (beta == 0.75) return CodeBlock.of("(1.0 / (Math.sqrt(d) * Math.sqrt(Math.sqrt(d))))");
    if (beta == 0.5) return CodeBlock.of("(1.0 / Math.sqrt(d))");
    if (beta == 1.0) return CodeBlock.of("(1.0 / d)");
    if (beta == 0.0) return CodeBlock.of("1.0");
    return CodeBlock.of("Math.pow(d, $L)", -beta);
  }

  private static void pool(MethodSpec.Builder t, Pool p, Shape in, Shape out, String src, String base) {
    boolean max = p.kind() == Pool.Kind.MAX;
    t.addStatement("int src = $L", base);
    if (windowsInside(p, in, out)) {
      insidePool(t, p, in, out, src, max);
      return;
    }
    boolean tree = max && p.windowH() * p.windowW() <= MAX_TREE_WINDOW;
    t.beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
        .addStatement("int y0 = $L", Epilogues.affine("oy", p.strideH(), p.padH()));
    if (tree) {
      t.addStatement("boolean rowInside = oy >= $L && oy < $L", firstInside(p.strideH(), p.padH()),
          endInside(in.height(), out.height(), p.windowH(), p.strideH(), p.padH()));
    }
    t.beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
        .addStatement("int x0 = $L", Epilogues.affine("ox", p.strideW(), p.padW()));
    if (tree) {
      t.beginControlFlow("if (rowInside && ox >= $L && ox < $L)", firstInside(p.strideW(), p.padW()),
              endInside(in.width(), out.width(), p.windowW(), p.strideW(), p.padW()))
          .addComment("the window lies inside the input: no clamping")
          .addStatement("int corner = src + y0 * $L + x0", in.width());
      maxTree(t, p, in, out, src);
      t.addStatement("continue").endControlFlow();
    }
    t.addStatement("int ys = Math.max(y0, 0), ye = Math.min(y0 + $L, $L)", p.windowH(), in.height())
        .addStatement("int xs = Math.max(x0, 0), xe = Math.min(x0 + $L, $L)", p.windowW(), in.width());
    if (max) {
      t.addStatement("float m = Float.NEGATIVE_INFINITY")
          .beginControlFlow("for (int y = ys; y < ye; y++)")
          .beginControlFlow("for (int x = xs; x < xe; x++)")
          .addStatement("float v = $N[src + y * $L + x]", src, in.width())
          .addStatement("if (v > m || v != v) m = v")
          .endControlFlow()
          .endControlFlow()
          .addStatement("a[out + oy * $L + ox] = m", out.width());
    } else {
      t.addStatement("float sum = 0f")
          .beginControlFlow("for (int y = ys; y < ye; y++)")
          .beginControlFlow("for (int x = xs; x < xe; x++)")
          .addStatement("sum += $N[src + y * $L + x]", src, in.width())
          .endControlFlow()
          .endControlFlow();
      if (p.countIncludePad()) {
        t.addComment("PyTorch divides by the window clipped to the padded input");
        t.addStatement("int count = (Math.min(y0 + $L, $L) - y0) * (Math.min(x0 + $L, $L) - x0)", p.windowH(),
            in.height() + p.padH(), p.windowW(), in.width() + p.padW());
      } else {
        t.addStatement("int count = (ye - ys) * (xe - xs)");
      }
      t.addStatement("a[out + oy * $L + ox] = sum / count", out.width());
    }
    t.endControlFlow().endControlFlow();
  }

  /**
   * Whether every window lies wholly inside the input (no padding, no partial window at the edges; AlexNet's,
   * LeNet's and VGG's pools): then the window loops have constant bounds and no clamping, which C2 unrolls.
   */
  static boolean windowsInside(Pool p, Shape in, Shape out) {
    return p.padH() == 0 && p.padW() == 0 && (out.height() - 1) * p.strideH() + p.windowH() <= in.height()
        && (out.width() - 1) * p.strideW() + p.windowW() <= in.width();
  }

  /** Windows up to this many elements are written out as one balanced {@code Math.max} tree. */
  static final int MAX_TREE_WINDOW = 25;

  /**
   * A pool whose windows lie inside the input: fixed window loops, the divisor a constant. {@code Math.max}
   * propagates NaN as PyTorch does (the clamped path's explicit NaN test does the same).
   *
   * <p>Max windows of up to {@value #MAX_TREE_WINDOW} elements are one balanced expression, not a loop that
   * folds {@code m = Math.max(m, v)}: C2 recognises that fold as a reduction and compiles it to a branchy
   * max whose jumps mispredict on data (4-7x slower for AlexNet's 3x3 window in a harness; see
   * docs/PERFORMANCE.md), while independent maxima in a tree compile to branch-free blends with a dependency
   * chain of log2 of the window.
   */
  private static void insidePool(MethodSpec.Builder t, Pool p, Shape in, Shape out, String src, boolean max) {
    t.addComment("every window lies inside the input: constant bounds, no clamping");
    t.beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height())
        .addStatement("int row = src + oy * $L", p.strideH() * in.width())
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
        .addStatement("int corner = row + ox * $L", p.strideW());
    if (max && p.windowH() * p.windowW() <= MAX_TREE_WINDOW) {
      maxTree(t, p, in, out, src);
    } else {
      t.addStatement(max ? "float m = Float.NEGATIVE_INFINITY" : "float sum = 0f")
          .beginControlFlow("for (int y = 0; y < $L; y++)", p.windowH())
          .beginControlFlow("for (int x = 0; x < $L; x++)", p.windowW())
          .addStatement(max ? "m = Math.max(m, $N[corner + y * $L + x])" : "sum += $N[corner + y * $L + x]", src,
              in.width())
          .endControlFlow()
          .endControlFlow()
          .addStatement(max ? CodeBlock.of("a[out + oy * $L + ox] = m", out.width())
              : CodeBlock.of("a[out + oy * $L + ox] = sum / $Lf", out.width(), p.windowH() * p.windowW()));
    }
    t.endControlFlow().endControlFlow();
  }

  /** The first output index whose window starts inside the input: {@code o * stride - pad >= 0}. */
  private static int firstInside(int stride, int pad) {
    return (pad + stride - 1) / stride;
  }

  /** One past the last output index whose window ends inside the input, at most {@code outSize}. */
  private static int endInside(int inSize, int outSize, int window, int stride, int pad) {
    int last = Math.floorDiv(inSize - window + pad, stride);
    return Math.max(0, Math.min(outSize, last + 1));
  }

  /** Writes the maximum of the window at {@code corner} of {@code src} to output {@code (oy, ox)}. */
  private static void maxTree(MethodSpec.Builder t, Pool p, Shape in, Shape out, String src) {
    t.addStatement("a[out + oy * $L + ox] = $L", out.width(),
        windowMax(t, p, src, "corner", in.width(), 1));
  }

  /**
   * Declares {@code r0, r1, ...}, each row of the window at {@code array[base ..]} reduced by a {@code Math.max}
   * tree (rows {@code rowStride} apart, columns {@code columnStride}), and returns the tree over the rows: the
   * window's maximum. Shared by the pools and the pools computed in a convolution's epilogue ({@link
   * PooledEpilogue}).
   */
  static String windowMax(MethodSpec.Builder t, Pool p, String array, String base, int rowStride, int columnStride) {
    List<String> rows = new ArrayList<>();
    for (int y = 0; y < p.windowH(); y++) {
      List<String> taps = new ArrayList<>();
      for (int x = 0; x < p.windowW(); x++) {
        int offset = y * rowStride + x * columnStride;
        taps.add(array + "[" + base + (offset == 0 ? "" : " + " + offset) + "]");
      }
      t.addStatement("float r$L = $L", y, maxTree(taps, 0, taps.size()));
      rows.add("r" + y);
    }
    return maxTree(rows, 0, rows.size());
  }

  /** {@code Math.max} over {@code taps[from, to)}, halves first, so the depth is log2 of the count. */
  private static String maxTree(List<String> taps, int from, int to) {
    if (to - from == 1) return taps.get(from);
    int mid = (from + to + 1) / 2;
    return "Math.max(" + maxTree(taps, from, mid) + ", " + maxTree(taps, mid, to) + ")";
  }
}
