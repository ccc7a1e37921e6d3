package dev.netc.processor.emit.opencl;

import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.Subsample;
import dev.netc.graph.WeightSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * LeNet-5's trainable subsampling with its fused squashing function: {@code y = activation(coefficient[c] *
 * window sum + bias[c])}. One work-item per output value, global {@code {OH*OW, C, batch}}, as {@link ClPool};
 * windows have no padding, so the loops need no bounds checks.
 */
final class ClSubsample {
  private ClSubsample() {}

  static void emit(ClContext ctx, Node node, Subsample s) {
    Shape in = ctx.inputShape(node);
    Shape out = node.shape();
    String k = ctx.kernelName(node, "subsample");
    List<WeightSpec> specs = ctx.graph.weightsOf(node);
    List<String> buffers = new ArrayList<>();
    List<String> params = new ArrayList<>();
    buffers.add(ctx.tensor(k, "Weight", specs.get(0)));
    params.add("coefficient");
    if (s.bias()) {
      buffers.add(ctx.tensor(k, "Bias", specs.get(1)));
      params.add("bias");
    }
    ClContext.Dim0 dim = ClContext.dim0(out.plane());
    ClWriter cl = ctx.cl;
    ctx.header(node, "y = " + s.activation().label() + "(coefficient[c] * sum of the window + bias[c])\n"
        + "one work-item per (output position, channel, image): global {" + dim.global() + ", " + out.channels()
        + ", batch}");
    cl.kernel(k, params);
    ctx.position("p", dim);
    cl.line("const int c = get_global_id(1);");
    cl.line("const int n = get_global_id(2);");
    cl.line("const int oy = p / %d;", out.width());
    cl.line("const int ox = p - oy * %d;", out.width());
    cl.line("__global const float* x = %s + c * %d + %s * %d + %s;", ctx.image(node.input()), in.plane(),
        ClConv.affine("oy", s.strideH(), 0), in.width(), ClConv.affine("ox", s.strideW(), 0));
    cl.line("float sum = 0.0f;");
    cl.open("for (int yy = 0; yy < %d; yy++)", s.windowH());
    cl.line("for (int xx = 0; xx < %d; xx++) sum += x[yy * %d + xx];", s.windowW(), in.width());
    cl.close();
    cl.line("const float v = coefficient[c] * sum%s;", s.bias() ? " + bias[c]" : "");
    cl.line("(%s)[c * %d + p] = %s;", ctx.image(node.name()), out.plane(), ClExpr.activation(s.activation(), "v"));
    cl.close();
    ctx.launch(k, node, new long[] {dim.global(), out.channels()}, new long[] {dim.local(), 1},
        (long) out.size() * (s.windowH() * s.windowW() + 2 + ClExpr.flops(s.activation())),
        4L * (in.size() + out.size()), 4L * in.channels() * (s.bias() ? 2 : 1), buffers);
  }
}
