package dev.netc.processor.emit.opencl;

import com.palantir.javapoet.NameAllocator;
import dev.netc.graph.FoldedBatchNorm;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import dev.netc.processor.passes.BufferPlan;
import dev.netc.runtime.opencl.KernelVariant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an OpenCL kernel emitter works with: the fused graph and its buffer plan, the {@link ClWriter} of the
 * program, unique names (kernel names in C, buffer fields in Java), and the uploads and launches collected
 * for {@link OpenClModelWriter}.
 */
final class ClContext {
  /** Work-items per work-group along dimension 0 when there are enough of them (a safe size on every device). */
  static final int LOCAL = 64;

  final Graph graph;
  final BufferPlan plan;
  /** The kernel shapes being written: register tiles for CPU devices or work-group tiles for GPUs. */
  final KernelVariant variant;
  final ClWriter cl = new ClWriter();
  final List<ClPlan.Upload> uploads = new ArrayList<>();
  final List<ClPlan.Launch> launches = new ArrayList<>();
  private final Set<String> kernelNames = new HashSet<>();
  private final NameAllocator fields = new NameAllocator();

  ClContext(Graph graph, BufferPlan plan, KernelVariant variant) {
    this.graph = graph;
    this.plan = plan;
    this.variant = variant;
    // names the generated class uses itself
    for (String reserved : new String[] {"arena", "batch", "weights", "session", "source", "model", "load",
        "enqueue", "enqueueCpu", "enqueueGpu", "launch", "upload", "finishLoading", "PROGRAMS"}) {
      fields.newName(reserved);
    }
  }

  Shape shapeOf(String node) {
    return graph.node(node).shape();
  }

  Shape inputShape(Node node) {
    return shapeOf(node.inputs().get(0));
  }

  /**
   * A fresh kernel name for a fused group, like the Java backend's method names but in C style: the layer it
   * belongs to and what it computes, e.g. {@code conv1_conv}, {@code conv1_lrnpool}, {@code
   * layer1_0_conv1_conv}.
   */
  String kernelName(Node node, String kind) {
    String layer = node.name();
    int slash = layer.indexOf('/');
    if (slash >= 0) layer = layer.substring(0, slash);
    return uniqueKernel(layer.replaceAll("[^A-Za-z0-9_]", "_") + "_" + kind);
  }

  /** {@code name}, or {@code name_2}, {@code name_3} ... if taken. */
  String uniqueKernel(String name) {
    String n = name;
    for (int i = 2; !kernelNames.add(n); i++) n = name + "_" + i;
    return n;
  }

  /** A fresh Java field name for one of a kernel's buffers: {@code conv1_conv} + Weight -> {@code conv1ConvWeight}. */
  String field(String kernel, String what) {
    StringBuilder s = new StringBuilder();
    for (String part : kernel.split("_")) {
      if (part.isEmpty()) continue;
      if (s.length() == 0) s.append(part);
      else if (Character.isDigit(part.charAt(0))) s.append('_').append(part);
      else s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return fields.newName(s + what);
  }

  /** Uploads a weight tensor as stored; returns its field. */
  String tensor(String kernel, String what, WeightSpec spec) {
    String f = field(kernel, what);
    uploads.add(new ClPlan.Tensor(f, spec));
    return f;
  }

  /**
   * Where image {@code n} of a node's output starts: {@code arena + (OFFSET * batch + n * STRIDE + EXTRA)} with the
   * planner's per-image offset, image stride and slice start ({@link BufferPlan}: the stride is the node's own size
   * unless it is written into its slice of a copy-free concatenation), in 64-bit arithmetic so large batches cannot
   * overflow. Every kernel addresses tensors through this one expression.
   */
  String image(String node) {
    BufferPlan.Placement p = plan.placement(node);
    String first = p.offset() == 0 ? "" : ClWriter.l(p.offset()) + " * batch + ";
    String extra = p.extra() == 0 ? "" : " + " + ClWriter.l(p.extra());
    return "arena + (" + first + "n * " + ClWriter.l(p.imageStride()) + extra + ")";
  }

  /** The distance in floats from one image of a node's output to the next (see {@link #image}). */
  long imageStride(String node) {
    return plan.placement(node).imageStride();
  }

  /**
   * Uploads a convolution's or dense layer's weights and bias for its kernel and adds the parameters {@code weight}
   * (and {@code bias}) to {@code params} and their buffers to {@code buffers}. With a folded batch norm both are
   * folded at load time ({@code Packing.foldBatchNorm}, as the Java backend does) and the bias always exists.
   *
   * @return whether the kernel has a {@code bias} parameter
   */
  boolean layerWeights(String kernel, Node node, FoldedBatchNorm norm, boolean ownBias, List<String> buffers,
      List<String> params) {
    List<WeightSpec> specs = graph.weightsOf(node);
    if (norm == null) {
      buffers.add(tensor(kernel, "Weight", specs.get(0)));
      params.add("weight");
      if (ownBias) {
        buffers.add(tensor(kernel, "Bias", specs.get(1)));
        params.add("bias");
      }
      return ownBias;
    }
    String w = field(kernel, "Weight");
    String b = field(kernel, "Bias");
    uploads.add(new ClPlan.Folded(w, b, specs.get(0), ownBias ? specs.get(1) : null, norm.prefix(), norm.eps(),
        field(kernel, "Folded")));
    buffers.add(w);
    buffers.add(b);
    params.add("weight");
    params.add("bias");
    return true;
  }

  /** Dimension 0 of a launch: its local size and its global size rounded up to a multiple of it. */
  record Dim0(int count, long local, long global) {
    /** Whether work-items past {@code count} exist and must return at once. */
    boolean guarded() {
      return global != count;
    }
  }

  static Dim0 dim0(int count) {
    long local = count >= LOCAL ? LOCAL : Integer.highestOneBit(count) == count ? count
        : Integer.highestOneBit(count) * 2L;
    long global = (count + local - 1) / local * local;
    return new Dim0(count, local, global);
  }

  /** The comment above a kernel: what it computes, its shapes, the layers it fuses. */
  void header(Node node, String note) {
    Shape in = node.inputs().isEmpty() ? node.shape() : inputShape(node);
    StringBuilder s = new StringBuilder(node.name()).append(": ").append(node.op().label()).append(", ");
    if (node.inputs().size() > 1) {
      List<String> shapes = new ArrayList<>();
      for (String i : node.inputs()) shapes.add(shapeOf(i).toString());
      s.append(String.join(" + ", shapes));
    } else {
      s.append(in);
    }
    s.append(" -> ").append(node.shape()).append('\n');
    s.append("fuses ").append(String.join(" + ", node.fusedFrom()));
    if (!note.isEmpty()) s.append('\n').append(note);
    cl.blank();
    cl.comment(s.toString());
  }

  /** Records a launch of {@code kernel} over {@code dims} x batch. */
  void launch(String kernel, Node node, long[] dims, long[] local, long flops, long bytes, long weightBytes,
      List<String> buffers) {
    launch(kernel, String.join(" + ", node.fusedFrom()), dims, local, flops, bytes, weightBytes, buffers);
  }

  /** As above with a label of its own (the second kernel of a group). */
  void launch(String kernel, String label, long[] dims, long[] local, long flops, long bytes, long weightBytes,
      List<String> buffers) {
    launch(kernel, label, dims, local, flops, bytes, weightBytes, buffers, 1);
  }

  /** As above for a kernel whose work-items each compute {@code imagesPerItem} images (see {@link ClPlan.Launch}). */
  void launch(String kernel, String label, long[] dims, long[] local, long flops, long bytes, long weightBytes,
      List<String> buffers, int imagesPerItem) {
    List<Long> d = new ArrayList<>();
    List<Long> l = new ArrayList<>();
    for (long x : dims) d.add(x);
    for (long x : local) l.add(x);
    launches.add(new ClPlan.Launch(kernel, label, d, l, flops, bytes, weightBytes, buffers, imagesPerItem));
  }

  /** The guard for a rounded-up dimension 0: {@code const int p = get_global_id(0); if (p >= N) return;}. */
  void position(String var, Dim0 d) {
    cl.line("const int %s = get_global_id(0);", var);
    if (d.guarded()) cl.line("if (%s >= %d) return;", var, d.count());
  }
}
