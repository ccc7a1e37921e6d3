package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.netc.graph.Activation;
import dev.netc.graph.Conv;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.processor.passes.BufferPlanner;
import java.util.List;

/**
 * A max pool computed in the epilogue of the convolution before it, by the Vector API kernels ({@code VectorConv},
 * {@code LaneConv}): each window's largest sum gets the bias and the activation, and the pooled value goes straight
 * to the pool's output. The convolution's own output is never written and the pool's group does nothing on that
 * path (the plain kernels, whose position tiles do not follow rows, still write it and run the pool).
 *
 * <p>Why: LeNet-5's conv1 spent about half of its time writing 4704 activations per image one scalar at a time,
 * and its pool then read them back (a harness of conv1's task: 8.7 us per image, 6.5 with the pool in the
 * epilogue, which also removes the pool's own pass of about 2.8 us on one core).
 *
 * <p>Exact, not approximate: adding the bias and every activation netc has (with a non-negative slope or alpha)
 * are non-decreasing functions in float arithmetic too (rounding is monotone; {@code Math.tanh}, {@code exp} and
 * {@code expm1} are semi-monotonic), so {@code act(max(s) + bias) == max(act(s + bias))} bit for bit. Only NaN
 * differs: a NaN sum makes its whole window {@code act(NaN)} here, where the separate pool would take the
 * maximum of the window's activations.
 *
 * <p>When: the convolution's only consumer is a max pool whose windows tile its output (stride equal to the window,
 * no padding, no partial window), the convolution has no residual operand, and each task's rows start at a
 * multiple of the window's height (one tile per image, or tiles a multiple of it high). The buffer planner keeps
 * the pool's output clear of the convolution's inputs for every pool that might qualify ({@code
 * BufferPlanner.poolableInto}): other tasks of the convolution still read them while this one writes it.
 */
final class PooledEpilogue {
  private PooledEpilogue() {}

  /** The pool to compute in {@code conv}'s epilogue when its tasks are {@code tileRows} rows high, or null. */
  static Node pool(KernelContext ctx, Node conv, Conv c, int tileRows, int tiles) {
    List<Node> consumers = ctx.graph.consumers(conv.name());
    if (consumers.size() != 1 || conv.name().equals(ctx.graph.output())) return null;
    Node next = consumers.get(0);
    // a max pool with stride = window and no padding, as the buffer planner made room for
    if (!conv.name().equals(BufferPlanner.poolableInto(ctx.graph, next))) return null;
    Pool p = (Pool) next.op();
    if (!PoolKernel.windowsInside(p, conv.shape(), next.shape())) return null;
    if (p.windowH() * p.windowW() > PoolKernel.MAX_TREE_WINDOW) return null;
    if (c.residual() || !nonDecreasing(c.activation())) return null;
    if (tiles > 1 && tileRows % p.windowH() != 0) return null;
    return next;
  }

  private static boolean nonDecreasing(Activation a) {
    return switch (a.kind()) {
      case LEAKY_RELU, ELU -> a.alpha() >= 0;
      default -> true;
    };
  }

  /**
   * The epilogue of a row tile ({@code oy0}, {@code rows}; filters {@code f0 .. f1} of group {@code g}) whose sums
   * for filter {@code f}, tile row {@code r}, column {@code x} are at {@code s[from + r * rowStride + x *
   * columnStride]}, {@code from} being declared by {@code fromStatement} in terms of {@code f}.
   */
  static void emit(KernelContext ctx, MethodSpec.Builder t, Node conv, Conv c, Node poolNode, CodeBlock fromStatement,
      CodeBlock bias, int rowStride, int columnStride) {
    Pool p = (Pool) poolNode.op();
    Shape pooled = poolNode.shape();
    int fg = c.filters() / c.groups();
    ctx.pooledInEpilogue.add(poolNode.name());
    t.addComment("epilogue with $L's $Lx$L max pool: the bias and the activation are non-decreasing, so they",
        poolNode.name(), p.windowH(), p.windowW());
    t.addComment("commute with the maximum; each window's largest sum gets them, straight into the pooled output");
    t.addStatement("int pooled = $L + g * $L", ctx.image(poolNode.name(), "n"), fg * pooled.plane());
    t.addStatement("int pr0 = oy0 / $L, pr1 = Math.min($L, (oy0 + rows) / $L)", p.windowH(), pooled.height(),
        p.windowH());
    t.beginControlFlow("for (int f = f0; f < f1; f++)")
        .addCode(fromStatement)
        .addStatement("float bias = $L", bias)
        .addStatement("int o = pooled + f * $L", pooled.plane())
        .beginControlFlow("for (int pr = pr0; pr < pr1; pr++)")
        .addStatement("int row = from + (pr * $L - oy0) * $L", p.windowH(), rowStride)
        .beginControlFlow("for (int px = 0; px < $L; px++)", pooled.width())
        .addStatement("int q = row + px * $L", p.windowW() * columnStride);
    t.addStatement("float v = $L + bias", PoolKernel.windowMax(t, p, "s", "q", rowStride, columnStride))
        .addStatement("a[o + pr * $L + px] = $L", pooled.width(), Epilogues.activation(c.activation(), "v"))
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
  }
}
