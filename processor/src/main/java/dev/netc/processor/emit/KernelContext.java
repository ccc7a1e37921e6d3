package dev.netc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeSpec;
import dev.netc.graph.FoldedBatchNorm;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.processor.passes.BufferPlan;
import javax.lang.model.element.Modifier;

/**
 * What a kernel emitter adds to the generated model class: fields (weights, scratch, tasks), constructor
 * code (loading weights), methods (one per fused group plus its parallel tile), and the call in {@code run}.
 * Also the facts every kernel needs: the graph, the buffer plan, and unique Java names.
 */
final class KernelContext {
  static final ClassName PARALLEL = ClassName.get("dev.netc.runtime.java", "Parallel");
  static final ClassName TASK = PARALLEL.nestedClass("Task");
  static final ClassName MICRO = ClassName.get("dev.netc.runtime.java", "Micro");
  static final ClassName PACKING = ClassName.get("dev.netc.runtime.java", "Packing");
  static final ClassName WEIGHT_SPEC = ClassName.get("dev.netc.graph", "WeightSpec");
  static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");

  /**
   * Widest position tile of any convolution: the per-worker accumulator and im2col rows have this many floats.
   */
  int maxTile = 1;

  final Graph graph;
  final BufferPlan plan;
  final TypeSpec.Builder type;
  final CodeBlock.Builder constructor = CodeBlock.builder();
  final CodeBlock.Builder run = CodeBlock.builder();
  /** Each group's call in {@code run}, by node name, for the {@code computeGroup} dispatcher. */
  final java.util.Map<String, CodeBlock> calls = new java.util.LinkedHashMap<>();
  private final NameAllocator names = new NameAllocator();
  /** Largest block of im2col rows any convolution needs (the scratch is shared by all). */
  int colRows;
  /** Most filters any convolution task accumulates at once (one accumulator row each). */
  int accRows;
  /** Largest plane any LRN needs as scratch. */
  int lrnPlane;
  /** Whether any convolution has a Vector API path (then the model has a {@code vector} flag and padded planes). */
  boolean usesVector;
  /** Floats of the per-worker padded input planes of the Vector API convolutions (the largest). */
  int padFloats;
  /**
   * Floats of the per-worker sums of the Vector API convolutions (the largest): {@code VectorConv}'s rows of wide
   * positions, {@code LaneConv}'s position-major blocks, Winograd's products.
   */
  int sumsFloats;
  /**
   * Pools that a convolution's Vector API kernel computes in its epilogue ({@link PooledEpilogue}): their own group
   * runs only on the plain path.
   */
  final java.util.Set<String> pooledInEpilogue = new java.util.HashSet<>();
  /**
   * Per-worker scratch of the Winograd convolutions (the largest of each; 0: none): transformed inputs, the
   * transforms' scratch, a block of filters' output tiles.
   */
  int winogradInputs;
  int winogradScratch;
  int winogradOutputs;

  KernelContext(Graph graph, BufferPlan plan, TypeSpec.Builder type) {
    this.graph = graph;
    this.plan = plan;
    this.type = type;
    for (String reserved : new String[] {"arena", "batch", "parallel", "run", "load", "col", "acc", "tileY",
        "tileX", "tileOff", "lrnScratch", "vector", "padIn", "vectorSums", "winogradInputs", "winogradScratch",
        "winogradOutputs", "winogradTiles", "GRAPH", "FUSED", "weights", "threads", "described", "fused", "GROUPS",
        "fusedGroupNames", "computeGroup", "computeGroup0", "group"}) {
      names.newName(reserved);
    }
  }

  /**
   * A fresh method name for a fused group: the layer (field) it belongs to and what it computes, e.g.
   * {@code conv1Conv}, {@code conv1LrnPool}, {@code layer1_0_conv1Conv}.
   */
  String groupName(Node node, String kind) {
    String layer = node.name();
    int slash = layer.indexOf('/');
    if (slash >= 0) layer = layer.substring(0, slash);
    return names.newName(layer.replaceAll("[^A-Za-z0-9_]", "_") + kind);
  }

  /**
   * Where image {@code n} of a node's output starts in the arena: {@code OFFSET * batch + n * STRIDE + EXTRA}
   * (see {@link BufferPlan}; the stride is the node's own size unless it is written into a slice of a copy-free
   * concatenation). Every kernel addresses tensors through this one expression.
   *
   * @param n the Java expression of the image index
   */
  String image(String node, String n) {
    BufferPlan.Placement p = plan.placement(node);
    StringBuilder s = new StringBuilder();
    s.append(p.offset() == 0 ? "" : p.offset() + " * batch");
    if (!n.equals("0")) s.append(s.length() == 0 ? "" : " + ").append(n).append(" * ").append(p.imageStride());
    if (p.extra() != 0) s.append(s.length() == 0 ? "" : " + ").append(p.extra());
    return s.length() == 0 ? "0" : s.toString();
  }

  Shape shapeOf(String node) {
    return graph.node(node).shape();
  }

  /**
   * Adds a {@code private float[]} field loaded from a weight tensor while constructing. Weight fields are not
   * {@code final} because large networks load them in helper methods ({@link MethodChunks}); HotSpot does not
   * constant-fold final instance fields anyway, so this costs nothing.
   */
  String weightField(String javaName, String tensor, int... dims) {
    type.addField(FieldSpec.builder(float[].class, javaName, Modifier.PRIVATE).build());
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < dims.length; i++) d.append(i == 0 ? "" : ", ").append(dims[i]);
    constructor.addStatement("this.$N = weights.get(new $T($S, $L))", javaName, WEIGHT_SPEC, tensor, d);
    return javaName;
  }

  /**
   * Adds {@code float[]} fields {@code <base>Weight} and {@code <base>Bias} holding a layer's weights (first
   * dimension: output channels) and bias with the batch norm {@code norm} folded in at load time ({@code
   * Packing.foldBatchNorm}, in double); the bias field exists even when the layer has no bias of its own.
   *
   * @return the two field names
   */
  String[] foldedFields(String base, String weightTensor, String biasTensor, FoldedBatchNorm norm, int... dims) {
    String w = base + "Weight";
    String b = base + "Bias";
    // not final: see weightField
    type.addField(FieldSpec.builder(float[].class, w, Modifier.PRIVATE)
        .addJavadoc("$L with batch norm $L folded in.\n", weightTensor, norm.prefix()).build());
    type.addField(FieldSpec.builder(float[].class, b, Modifier.PRIVATE)
        .addJavadoc("$L folded with batch norm $L.\n", biasTensor == null ? "A zero bias" : biasTensor, norm.prefix())
        .build());
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < dims.length; i++) d.append(i == 0 ? "" : ", ").append(dims[i]);
    String folded = base + "Folded";
    CodeBlock bias = biasTensor == null ? CodeBlock.of("null") : CodeBlock.of("new $T($S, $L)", WEIGHT_SPEC, biasTensor,
        dims[0]);
    constructor.addStatement("$T $N = $T.foldBatchNorm(weights, new $T($S, $L), $L, $S, $L)",
            PACKING.nestedClass("Folded"), folded, PACKING, WEIGHT_SPEC, weightTensor, d, bias, norm.prefix(), norm.eps())
        .addStatement("this.$N = $N.weight()", w, folded)
        .addStatement("this.$N = $N.bias()", b, folded);
    return new String[] {w, b};
  }

  /**
   * Adds the group's entry method (called from {@code run}) that runs {@code tasks} tiles in parallel, the
   * task field, and returns the builder of the tile method for the caller to fill.
   */
  MethodSpec.Builder parallelGroup(Node node, String method, CodeBlock taskCount, String doc) {
    return parallelGroup(node, method, taskCount, doc, CodeBlock.of(""), CodeBlock.of(""));
  }

  /**
   * A group's work per image for {@code Parallel}'s choice to run small groups on the caller alone: its
   * multiply-adds plus the values it writes (pools, activations and copies do about one operation per value).
   */
  long workPerImage(Node node) {
    return graph.macs(node) + node.shape().size();
  }

  /** As above, with code run on the calling thread before and after the parallel tiles. */
  MethodSpec.Builder parallelGroup(Node node, String method, CodeBlock taskCount, String doc, CodeBlock before,
      CodeBlock after) {
    return parallelGroup(node, method, taskCount, CodeBlock.of("$LL", workPerImage(node)), doc, before, after);
  }

  /** As above, with the work per image as an expression (a kernel whose speed depends on a run-time choice). */
  MethodSpec.Builder parallelGroup(Node node, String method, CodeBlock taskCount, CodeBlock workPerImage, String doc,
      CodeBlock before, CodeBlock after) {
    String taskField = method + "Task";
    type.addField(FieldSpec.builder(TASK, taskField, Modifier.PRIVATE, Modifier.FINAL)
        .initializer("this::$N", method + "Tile").build());
    type.addMethod(MethodSpec.methodBuilder(method)
        .addJavadoc(doc)
        .addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "batch")
        .addCode(before)
        .addStatement("parallel.run($L, $N, $L * batch)", taskCount, taskField, workPerImage)
        .addCode(after)
        .build());
    call(node, method);
    return MethodSpec.methodBuilder(method + "Tile")
        .addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "task")
        .addParameter(int.class, "worker");
  }

  /** Adds {@code method(batch);} to {@code run}, with a comment naming the layers it computes. */
  void call(Node node, String method) {
    CodeBlock call = pooledInEpilogue.contains(node.name())
        ? CodeBlock.builder()
            .addStatement("if (!vector) $N(batch) /* $L: on the Vector API, the convolution's epilogue pools */",
                method, String.join(" + ", node.fusedFrom())).build()
        : CodeBlock.builder()
            .addStatement("$N(batch) /* $L */", method, String.join(" + ", node.fusedFrom())).build();
    run.add(call);
    calls.put(node.name(), call);
  }

  /** Javadoc for a group: what it computes and the shapes. */
  String doc(Node node) {
    Shape in = node.inputs().isEmpty() ? node.shape() : graph.node(node.inputs().get(0)).shape();
    return node.name() + ": " + node.op().label() + ", " + in + " -> " + node.shape() + "\n<p>Fuses "
        + String.join(" + ", node.fusedFrom()) + ".\n";
  }
}
