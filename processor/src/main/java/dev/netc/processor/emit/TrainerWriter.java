package dev.netc.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import dev.netc.graph.Activation;
import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.Add;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Concat;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.GlobalAvgPool;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Lrn;
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.train.TrainingSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code <Name>_Trainer}: the training step of one network on the Java backend, derived from the
 * described graph (the inference passes that fold batch norm or drop dropout do not apply to training). The
 * generated class is the schedule: a straight-line forward pass that keeps every value the backward pass needs,
 * and the backward pass in reverse layer order, each layer a call to a runtime training kernel
 * ({@code dev.netc.runtime.train.ops}) with its shape as literals. One fusion is made: an activation that is
 * the only reader of a convolution or dense layer runs in that layer's epilogue, and its derivative is taken
 * from the activation's output, so the pre-activation is never stored.
 *
 * <p>Networks with layers the training kernels do not cover yet (LeNet-5's partial connection tables and
 * trainable subsampling) and networks whose output is not a vector of class scores get no trainer;
 * {@link #unsupported} says why.
 */
public final class TrainerWriter {
  private static final String OPS = "dev.netc.runtime.train.ops";
  private static final ClassName JAVA_TRAINER = ClassName.get("dev.netc.runtime.train", "JavaTrainer");
  private static final ClassName WEIGHTS = ClassName.get("dev.netc.runtime", "Weights");
  private static final ClassName PARALLEL = ClassName.get("dev.netc.runtime.java", "Parallel");
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName ACTIVATION = ClassName.get("dev.netc.graph", "Activation");
  private static final ClassName POOL = ClassName.get("dev.netc.graph", "Pool");
  private static final ClassName LRN = ClassName.get("dev.netc.graph", "Lrn");
  private static final ClassName CONV_OP = ClassName.get(OPS, "ConvOp");
  private static final ClassName DENSE_OP = ClassName.get(OPS, "DenseOp");
  private static final ClassName POOL_OP = ClassName.get(OPS, "PoolOp");
  private static final ClassName LRN_OP = ClassName.get(OPS, "LrnOp");
  private static final ClassName BATCH_NORM_OP = ClassName.get(OPS, "BatchNormOp");
  private static final ClassName DROPOUT_OP = ClassName.get(OPS, "DropoutOp");
  private static final ClassName ADAPTIVE_AVG_POOL_OP = ClassName.get(OPS, "AdaptiveAvgPoolOp");
  private static final ClassName ACTIVATIONS = ClassName.get(OPS, "Activations");
  private static final ClassName TENSOR_OPS = ClassName.get(OPS, "TensorOps");

  private final Graph graph;
  private final TypeSpec.Builder type;
  private final NameAllocator names = new NameAllocator();
  /** Node name to the Java name stem of its fields. */
  private final Map<String, String> stems = new LinkedHashMap<>();
  /** Activation node to the convolution or dense node it absorbs. */
  private final Map<String, Node> absorbed = new LinkedHashMap<>();
  /** Statements binding tensor and kernel fields, run by the constructor (chunked: deep networks have many). */
  private final List<CodeBlock> bind = new ArrayList<>();
  private final List<CodeBlock> allocate = new ArrayList<>();
  private final List<CodeBlock> zero = new ArrayList<>();
  private final List<CodeBlock> forward = new ArrayList<>();
  private final List<CodeBlock> backward = new ArrayList<>();
  private final boolean endsInSoftmax;

  private TrainerWriter(Graph graph, TypeSpec.Builder type) {
    this.graph = graph;
    this.type = type;
    for (String reserved : new String[] {"bind", "input", "batch", "training", "random", "parallel", "scratch", "initial",
        "threads", "create", "allocate", "forward", "backward", "zeroGradients", "output", "logitsGradient",
        "endsInSoftmax", "step", "predict"}) {
      names.newName(reserved);
    }
    this.endsInSoftmax = graph.node(graph.output()).op() instanceof Softmax;
  }

  /** The generated class's simple name: the model's, with "_Trainer" for "_Model". */
  public static String trainerName(TypeElement description, String packageName) {
    String model = ModelWriter.modelName(description, packageName);
    return model.substring(0, model.length() - "_Model".length()) + "_Trainer";
  }

  /** Why {@code described} gets no trainer, or null when it does (the rule every backend's trainer shares). */
  public static String unsupported(Graph described) {
    return TrainingSchedule.unsupported(described);
  }

  /** The trainer of {@code described}, which {@link #unsupported} must have accepted. */
  public static JavaFile write(TypeElement description, String packageName, Graph described) {
    String name = trainerName(description, packageName);
    ClassName self = ClassName.get(packageName, name);
    ClassName model = ClassName.get(packageName, ModelWriter.modelName(description, packageName));
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addOriginatingElement(description)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(JAVA_TRAINER)
        .addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", "dev.netc.processor.NetcProcessor")
            .build())
        .addJavadoc("Trains {@link $T} on the Java backend: generated by netc; do not edit.\n\n", ClassName.get(description))
        .addJavadoc("<p>Forward in layer order keeping what the backward pass needs, backward in reverse order; the\n"
            + "loss and the public API are {@link $T}'s. Weights load and save under the names of {@link $T}.\n",
            JAVA_TRAINER, model);
    TrainerWriter w = new TrainerWriter(described, type);
    w.emitLayers();
    w.finish(self, model);
    return JavaFile.builder(packageName, type.build())
        .addFileComment("Generated by netc from $L. Do not edit.", description.getQualifiedName())
        .skipJavaLangImports(true)
        .build();
  }

  private void emitLayers() {
    // fusion first: which activations absorb the layer before them (shared with the OpenCL trainer)
    absorbed.putAll(TrainingSchedule.fusedActivations(graph));
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Input || absorbed.containsValue(n)) continue;
      String stem = names.newName(stem(n.name()));
      stems.put(n.name(), stem);
      int size = n.shape().size();
      type.addField(FieldSpec.builder(float[].class, stem + "Value", Modifier.PRIVATE)
          .addJavadoc("$L: $L, batch x $L.\n", n.name(), describe(n), n.shape()).build());
      type.addField(FieldSpec.builder(float[].class, stem + "Grad", Modifier.PRIVATE).build());
      allocate.add(CodeBlock.builder()
          .addStatement("$LValue = new float[batch * $L]", stem, size)
          .addStatement("$LGrad = new float[batch * $L]", stem, size).build());
      zero.add(CodeBlock.of("$T.fill($LGrad, 0, batch * $L, 0f);\n", Arrays.class, stem, size));
    }
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Input || absorbed.containsValue(n)) continue;
      layer(n);
    }
  }

  private String describe(Node n) {
    Node p = absorbed.get(n.name());
    return p == null ? n.op().label() : p.op().label() + " + " + n.op().label() + " (fused)";
  }

  /** Forward and backward code of one node (or of an activation and the layer it absorbs). */
  private void layer(Node n) {
    String stem = stems.get(n.name());
    Node linear = absorbed.get(n.name());
    Activation act = linear == null ? Activation.NONE : (Activation) n.op();
    Node op = linear == null ? n : linear; // the node whose operation runs
    List<Shape> inShapes = graph.inputShapes(op);
    String in = op.inputs().isEmpty() ? null : value(op.inputs().get(0));
    String dIn = op.inputs().isEmpty() ? null : grad(op.inputs().get(0));
    String out = stem + "Value", dOut = stem + "Grad";
    int count = n.shape().size();
    CodeBlock.Builder f = CodeBlock.builder().add("// $L: $L, $L -> $L\n", n.name(), describe(n), inShapes.isEmpty()
        ? "" : inShapes.get(0), n.shape());
    CodeBlock.Builder b = CodeBlock.builder().add("// $L\n", n.name());
    boolean backwardNeeded = true;
    if (op.op() instanceof Conv c) {
      Shape s = inShapes.get(0);
      List<WeightSpec> specs = graph.weightsOf(op);
      String w = weightField(stem + "Weight", specs.get(0), true);
      String bias = c.bias() ? weightField(stem + "Bias", specs.get(1), true) : null;
      opField(stem + "Op", CONV_OP, CodeBlock.of("new $T(parallel, scratch, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)",
          CONV_OP, s.channels(), s.height(), s.width(), c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
          c.padH(), c.padW(), c.groups(), n.shape().height(), n.shape().width(), activation(act)));
      f.addStatement("$LOp.forward(batch, $L, $L, $L, $L)", stem, in, w, orNull(bias), out);
      b.addStatement("$LOp.backward(batch, $L, $L, $L, $L, $L, $LGrad, $L)", stem, in, w, out, dOut, orNull(dIn), w,
          bias == null ? "null" : bias + "Grad");
    } else if (op.op() instanceof Dense d) {
      List<WeightSpec> specs = graph.weightsOf(op);
      String w = weightField(stem + "Weight", specs.get(0), true);
      String bias = d.bias() ? weightField(stem + "Bias", specs.get(1), true) : null;
      opField(stem + "Op", DENSE_OP, CodeBlock.of("new $T(parallel, $L, $L, $L)", DENSE_OP, inShapes.get(0).size(),
          d.units(), activation(act)));
      f.addStatement("$LOp.forward(batch, $L, $L, $L, $L)", stem, in, w, orNull(bias), out);
      b.addStatement("$LOp.backward(batch, $L, $L, $L, $L, $L, $LGrad, $L)", stem, in, w, out, dOut, orNull(dIn), w,
          bias == null ? "null" : bias + "Grad");
    } else if (n.op() instanceof Activation a) {
      String kind = names.newName(stem + "Kind");
      type.addField(FieldSpec.builder(ACTIVATION, kind, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer(activation(a)).build());
      f.addStatement("$T.arraycopy($L, 0, $L, 0, batch * $L)", System.class, in, out, count);
      f.addStatement("$T.apply($L, $L, 0, batch * $L)", ACTIVATIONS, kind, out, count);
      if (dIn != null) {
        b.addStatement("$T.accumulateBackward($L, $L, $L, $L, batch * $L)", ACTIVATIONS, kind, out, dOut, dIn, count);
      }
      backwardNeeded = dIn != null;
    } else if (n.op() instanceof Lrn l) {
      Shape s = inShapes.get(0);
      opField(stem + "Op", LRN_OP, CodeBlock.of("new $T(parallel, scratch, new $T($L, $L, $L, $L, $L), $L, $L, $L)", LRN_OP, LRN,
          l.size(), literal(l.alpha()), literal(l.beta()), literal(l.k()), l.perSize(), s.channels(), s.height(),
          s.width()));
      f.addStatement("$LOp.forward(batch, $L, $L)", stem, in, out);
      b.addStatement("$LOp.backward(batch, $L, $L, $L)", stem, in, dOut, dIn);
      backwardNeeded = dIn != null;
    } else if (n.op() instanceof Pool p) {
      Shape s = inShapes.get(0);
      opField(stem + "Op", POOL_OP, CodeBlock.of("new $T(parallel, new $T($T.Kind.$L, $L, $L, $L, $L, $L, $L, $L, $L), "
          + "$L, $L, $L, $L, $L)", POOL_OP, POOL, POOL, p.kind(), p.windowH(), p.windowW(), p.strideH(), p.strideW(),
          p.padH(), p.padW(), p.ceil(), p.countIncludePad(), s.channels(), s.height(), s.width(), n.shape().height(),
          n.shape().width()));
      f.addStatement("$LOp.forward(batch, $L, $L)", stem, in, out);
      b.addStatement("$LOp.backward(batch, $L, $L, $L, $L)", stem, in, out, dOut, dIn);
      backwardNeeded = dIn != null;
    } else if (n.op() instanceof GlobalAvgPool || n.op() instanceof AdaptiveAvgPool) {
      Shape s = inShapes.get(0);
      opField(stem + "Op", ADAPTIVE_AVG_POOL_OP, CodeBlock.of("new $T($L, $L, $L, $L, $L)", ADAPTIVE_AVG_POOL_OP,
          s.channels(), s.height(), s.width(), n.shape().height(), n.shape().width()));
      f.addStatement("$LOp.forward(batch, $L, $L)", stem, in, out);
      b.addStatement("$LOp.backward(batch, $L, $L)", stem, dOut, dIn);
      backwardNeeded = dIn != null;
    } else if (n.op() instanceof Softmax) {
      Shape s = inShapes.get(0);
      f.addStatement("$T.softmax(batch, $L, $L, $L, $L)", TENSOR_OPS, s.channels(), s.plane(), in, out);
      if (n.name().equals(graph.output())) {
        b.add("// the loss's gradient enters below this softmax (JavaTrainer.step)\n");
        backwardNeeded = false;
      } else {
        b.addStatement("$T.softmaxBackward(batch, $L, $L, $L, $L, $L)", TENSOR_OPS, s.channels(), s.plane(), out, dOut,
            dIn);
        backwardNeeded = dIn != null;
      }
    } else if (n.op() instanceof Concat) {
      int offset = 0;
      for (int k = 0; k < n.inputs().size(); k++) {
        String input = n.inputs().get(k);
        int size = inShapes.get(k).size();
        f.addStatement("$T.concatForward(batch, $L, $L, $L, $L, $L)", TENSOR_OPS, value(input), size, out, offset, count);
        if (grad(input) != null) {
          b.addStatement("$T.concatBackward(batch, $L, $L, $L, $L, $L)", TENSOR_OPS, dOut, offset, count, grad(input),
              size);
        }
        offset += size;
      }
    } else if (n.op() instanceof Add) {
      f.addStatement("$T.add($L, $L, $L, batch * $L)", TENSOR_OPS, value(n.inputs().get(0)), value(n.inputs().get(1)),
          out, count);
      for (int k = 2; k < n.inputs().size(); k++) {
        f.addStatement("$T.accumulate($L, $L, batch * $L)", TENSOR_OPS, out, value(n.inputs().get(k)), count);
      }
      for (String input : n.inputs()) {
        if (grad(input) != null) b.addStatement("$T.accumulate($L, $L, batch * $L)", TENSOR_OPS, grad(input), dOut, count);
      }
    } else if (n.op() instanceof Dropout d) {
      opField(stem + "Op", DROPOUT_OP, CodeBlock.of("new $T($L, $L)", DROPOUT_OP, literal(d.rate()), count));
      f.addStatement("$LOp.forward(batch, training, random, $L, $L)", stem, in, out);
      b.addStatement("$LOp.backward(batch, $L, $L)", stem, dOut, dIn);
      backwardNeeded = dIn != null;
    } else if (n.op() instanceof BatchNorm bn) {
      Shape s = inShapes.get(0);
      List<WeightSpec> specs = graph.weightsOf(n);
      String gamma = weightField(stem + "Gamma", specs.get(0), true);
      String beta = weightField(stem + "Beta", specs.get(1), true);
      String mean = weightField(stem + "RunningMean", specs.get(2), false);
      String var = weightField(stem + "RunningVar", specs.get(3), false);
      opField(stem + "Op", BATCH_NORM_OP, CodeBlock.of("new $T(parallel, $L, $L, $L, $L)", BATCH_NORM_OP, s.channels(),
          s.height(), s.width(), literal(bn.eps())));
      f.addStatement("$LOp.forward(batch, training, $L, $L, $L, $L, $L, $L)", stem, in, gamma, beta, mean, var, out);
      b.addStatement("$LOp.backward(batch, $L, $L, $L, $LGrad, $LGrad)", stem, gamma, dOut, orNull(dIn), gamma, beta);
    } else {
      throw new IllegalStateException("no training kernel for " + n.op().label()); // unsupported() rules this out
    }
    forward.add(f.build());
    if (backwardNeeded) backward.add(0, b.build());
  }

  private void finish(ClassName self, ClassName model) {
    List<ParameterSpec> batchOnly = List.of(ParameterSpec.builder(int.class, "batch").build());
    List<ParameterSpec> forwardParams = List.of(ParameterSpec.builder(float[].class, "input").build(),
        ParameterSpec.builder(int.class, "batch").build(), ParameterSpec.builder(boolean.class, "training").build(),
        ParameterSpec.builder(SplittableRandom.class, "random").build());
    List<ParameterSpec> backwardParams = List.of(ParameterSpec.builder(float[].class, "input").build(),
        ParameterSpec.builder(int.class, "batch").build());
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
        .addParameter(WEIGHTS, "initial").addParameter(int.class, "threads")
        .addStatement("super($T.GRAPH, initial, threads)", model)
        .addCode(MethodChunks.inline(type, "bind", "Binds the tensors and kernels of the layers", bind, List.of()))
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addJavadoc("A trainer starting from {@code initial} (copied; it may be closed afterwards), using all cores.\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC).addParameter(WEIGHTS, "initial").returns(self)
        .addStatement("return new $T(initial, $T.defaultThreads())", self, PARALLEL).build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addJavadoc("A trainer starting from {@code initial}, with the given number of threads.\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC).addParameter(WEIGHTS, "initial")
        .addParameter(int.class, "threads").returns(self)
        .addStatement("return new $T(initial, threads)", self).build());
    type.addMethod(override("allocate", batchOnly).addCode(MethodChunks.inline(type, "allocate", "Allocates arrays",
        allocate, batchOnly)).build());
    type.addMethod(override("zeroGradients", batchOnly).addCode(MethodChunks.inline(type, "zeroGradients",
        "Zeroes gradients", zero, batchOnly)).build());
    type.addMethod(override("forward", forwardParams).addCode(MethodChunks.inline(type, "forwardLayers",
        "The forward pass", forward, forwardParams)).build());
    type.addMethod(override("backward", backwardParams).addCode(MethodChunks.inline(type, "backwardLayers",
        "The backward pass", backward, backwardParams)).build());
    Node out = graph.node(graph.output());
    type.addMethod(override("output", List.of()).returns(float[].class)
        .addStatement("return $L", value(out.name())).build());
    String logits = endsInSoftmax ? grad(out.inputs().get(0)) : grad(out.name());
    type.addMethod(override("logitsGradient", List.of()).returns(float[].class)
        .addStatement("return $L", logits).build());
    type.addMethod(override("endsInSoftmax", List.of()).returns(boolean.class)
        .addStatement("return $L", endsInSoftmax).build());
  }

  private static MethodSpec.Builder override(String name, List<ParameterSpec> params) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PROTECTED)
        .addParameters(params);
  }

  /** The array holding a node's value (the network input is the {@code input} parameter). */
  private String value(String node) {
    Node n = graph.node(node);
    if (n.op() instanceof Input) return "input";
    String stem = stems.get(node);
    if (stem == null) throw new IllegalStateException(node + " has no value array (absorbed into its activation)");
    return stem + "Value";
  }

  /** The array of a node's gradient, or null for the network input (nothing needs it). */
  private String grad(String node) {
    if (graph.node(node).op() instanceof Input) return null;
    return stems.get(node) + "Grad";
  }

  /** Declares the fields of a tensor and its gradient; returns the tensor's field name. */
  private String weightField(String field, WeightSpec spec, boolean learned) {
    String name = names.newName(field);
    type.addField(FieldSpec.builder(float[].class, name, Modifier.PRIVATE)
        .addJavadoc("$L $L\n", spec.name(), Arrays.toString(spec.dims())).build());
    CodeBlock.Builder b = CodeBlock.builder().addStatement("$L = $L($S)", name, learned ? "parameter" : "buffer",
        spec.name());
    if (learned) {
      names.newName(name + "Grad");
      type.addField(FieldSpec.builder(float[].class, name + "Grad", Modifier.PRIVATE).build());
      b.addStatement("$LGrad = gradient($S)", name, spec.name());
    }
    bind.add(b.build());
    return name;
  }

  private void opField(String field, ClassName opType, CodeBlock init) {
    names.newName(field);
    type.addField(FieldSpec.builder(opType, field, Modifier.PRIVATE).build());
    bind.add(CodeBlock.of("$L = $L;\n", field, init));
  }

  private static CodeBlock activation(Activation a) {
    if (a.isIdentity()) return CodeBlock.of("$T.NONE", ACTIVATION);
    return CodeBlock.of("new $T($T.Kind.$L, $Lf)", ACTIVATION, ACTIVATION, a.kind(), a.alpha());
  }

  private static String orNull(String s) {
    return s == null ? "null" : s;
  }

  private static String literal(double d) {
    return Double.toString(d);
  }

  /** {@code conv1/conv} to {@code conv1Conv}, {@code layer1.0/conv1} to {@code layer1_0Conv1}. */
  private static String stem(String nodeName) {
    StringBuilder s = new StringBuilder();
    boolean upper = false;
    for (char ch : nodeName.toCharArray()) {
      if (ch == '/') {
        upper = true;
      } else if (Character.isLetterOrDigit(ch)) {
        s.append(upper && s.length() > 0 ? Character.toUpperCase(ch) : ch);
        upper = false;
      } else {
        s.append('_');
        upper = false;
      }
    }
    if (s.length() == 0 || !Character.isJavaIdentifierStart(s.charAt(0))) s.insert(0, 'n');
    return s.toString();
  }
}
