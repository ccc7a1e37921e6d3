package dev.netc.processor.emit.opencl;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import dev.netc.graph.Graph;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import dev.netc.processor.emit.FusedGroupsCode;
import dev.netc.processor.emit.MethodChunks;
import dev.netc.processor.emit.ModelWriter;
import dev.netc.processor.passes.BufferPlan;
import dev.netc.runtime.opencl.KernelVariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes the OpenCL backend of one network: one program per {@link KernelVariant}, {@code <Name>.cpu.cl} and
 * {@code <Name>.gpu.cl} (resources next to the classes, see {@link OpenClProgramWriter}), and {@code
 * <Name>_OpenClModel extends OpenClModel}, which builds the variant the runtime chooses on a device, uploads
 * each weight tensor once with its expected shape (the variants share the weights in PyTorch's layout), and
 * launches that variant's kernels in graph order. Output is deterministic: names and order come from the graph
 * alone.
 */
public final class OpenClModelWriter {
  /** The runtime's base class; the processor emits the OpenCL model only when it is on the class path. */
  public static final String BASE_CLASS = "dev.netc.runtime.opencl.OpenClModel";

  private static final String PKG = "dev.netc.runtime.opencl";
  private static final ClassName OPEN_CL_MODEL = ClassName.get(PKG, "OpenClModel");
  private static final ClassName OPEN_CL = ClassName.get(PKG, "OpenCl");
  private static final ClassName CL_SESSION = ClassName.get(PKG, "ClSession");
  private static final ClassName CL_BUFFER = ClassName.get(PKG, "ClBuffer");
  private static final ClassName WEIGHTS = ClassName.get("dev.netc.runtime", "Weights");
  private static final ClassName SAFETENSORS = ClassName.get("dev.netc.runtime.io", "SafeTensors");
  private static final ClassName PACKING = ClassName.get("dev.netc.runtime.java", "Packing");
  private static final ClassName SHAPE = ClassName.get("dev.netc.graph", "Shape");
  private static final ClassName WEIGHT_SPEC = ClassName.get("dev.netc.graph", "WeightSpec");
  private static final ClassName KERNEL_PROGRAMS = ClassName.get(PKG, "KernelPrograms");
  private static final ClassName KERNEL_VARIANT = ClassName.get(PKG, "KernelVariant");
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

  /** Build options: none. Strict IEEE semantics (NaN from max pooling, exact softmax) need no fast-math flags. */
  static final String OPTIONS = "";

  private OpenClModelWriter() {}

  /**
   * What the OpenCL backend of one network consists of.
   *
   * @param programs one program per variant, in {@link KernelVariant} order
   * @param model {@code <Name>_OpenClModel}
   */
  public record Output(List<Program> programs, JavaFile model) {
    public Output {
      programs = List.copyOf(programs);
    }
  }

  /**
   * One variant's program.
   *
   * @param fileName its resource name in the description's package, e.g. {@code AlexNet.gpu.cl}
   * @param source the program, UTF-8
   */
  public record Program(KernelVariant variant, String fileName, String source) {}

  /** The generated class's simple name: {@code AlexNet_OpenClModel} next to {@code AlexNet_Model}. */
  public static String modelName(TypeElement description, String packageName) {
    return OpenClProgramWriter.base(ModelWriter.modelName(description, packageName)) + "_OpenClModel";
  }

  public static Output write(TypeElement description, String packageName, Graph fused, BufferPlan plan) {
    String javaModel = ModelWriter.modelName(description, packageName);
    Map<KernelVariant, ClPlan> plans = new EnumMap<>(KernelVariant.class);
    List<Program> programs = new ArrayList<>();
    for (KernelVariant v : KernelVariant.values()) {
      ClPlan p = OpenClProgramWriter.write(description.getQualifiedName().toString(), javaModel, fused, plan, v);
      plans.put(v, p);
      programs.add(new Program(v, OpenClProgramWriter.fileName(javaModel, v), p.source()));
    }
    // The model uploads one set of buffers for every variant: they must agree on them to the field.
    List<ClPlan.Upload> shared = plans.get(KernelVariant.CPU).uploads();
    for (Map.Entry<KernelVariant, ClPlan> e : plans.entrySet()) {
      if (!e.getValue().uploads().equals(shared)) {
        throw new IllegalStateException("the " + e.getKey().id() + " kernels of " + fused.name()
            + " use other weight buffers than the cpu kernels: " + e.getValue().uploads() + " vs " + shared);
      }
    }
    ClPlan program = plans.get(KernelVariant.CPU);
    String name = modelName(description, packageName);
    ClassName self = ClassName.get(packageName, name);

    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addOriginatingElement(description)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(OPEN_CL_MODEL)
        .addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", "dev.netc.processor.NetcProcessor").build())
        .addJavadoc("The OpenCL backend of {@link $T}, generated by netc; do not edit.\n\n", ClassName.get(description))
        .addJavadoc("<p>$L kernel launches (cpu variant) for $L fused groups, in {@code $L} and {@code $L} next to this"
            + " class (one program per {@link $T}); activations in one device arena of $L floats per image.\n",
            program.launches().size(), fused.nodes().size() - 1, programs.get(0).fileName(),
            programs.get(1).fileName(), KERNEL_VARIANT, plan.arenaSize())
        .addJavadoc("Load with {@link #load(Weights, ClSession)}, {@link #load(Weights)} or {@link #load(Path)};"
            + " see {@code dev.netc.runtime.Model}.\n");
    CodeBlock.Builder resources = CodeBlock.builder().add("$T.of(", Map.class);
    for (int i = 0; i < programs.size(); i++) {
      Program p = programs.get(i);
      resources.add(i == 0 ? "$T.$L, $S" : ", $T.$L, $S", KERNEL_VARIANT, p.variant().name(), p.fileName());
    }
    resources.add(")");
    type.addField(FieldSpec.builder(KERNEL_PROGRAMS, "PROGRAMS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The programs, one per kernel variant, read from next to this class on first use.\n")
        .initializer("new $T($T.class, $S, $S, $L)", KERNEL_PROGRAMS, self, fused.name(), OPTIONS, resources.build())
        .build());

    List<CodeBlock> uploads = new ArrayList<>(); // one unit per upload: its statements share locals
    for (ClPlan.Upload u : program.uploads()) {
      CodeBlock.Builder unit = CodeBlock.builder();
      upload(type, unit, u);
      uploads.add(unit.build());
    }

    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(WEIGHTS, "weights")
        .addParameter(CL_SESSION, "session")
        .addStatement("super($S, $L, $L, $L, $L, $L, session, PROGRAMS)", fused.name(),
            shape(fused.inputShape()), shape(fused.outputShape()), plan.arenaSize(),
            plan.offset(fused.inputNode().name()), plan.offset(fused.output()))
        .beginControlFlow("try")
        .addCode(MethodChunks.inline(type, "upload", "Uploads weights", uploads,
            List.of(ParameterSpec.builder(WEIGHTS, "weights").build())))
        .addStatement("finishLoading()")
        .nextControlFlow("catch ($T e)", RuntimeException.class)
        .addComment("release the session, the program and the buffers uploaded so far")
        .addStatement("close()")
        .addStatement("throw e")
        .endControlFlow()
        .build());

    type.addMethod(MethodSpec.methodBuilder("load")
        .addJavadoc("Builds the program on the session's device (or takes it from the session's binary cache) and"
            + " uploads the weights (copied; {@code weights} may be closed afterwards).\n\n")
        .addJavadoc("<p>The model owns {@code session} from here on: {@link #close()} closes it, and so does a failed"
            + " load.\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(WEIGHTS, "weights")
        .addParameter(CL_SESSION, "session")
        .returns(self)
        .addStatement("return new $T(weights, session)", self)
        .build());
    type.addMethod(MethodSpec.methodBuilder("load")
        .addJavadoc("Loads onto the device {@link $T#select()} picks, in a session of its own that {@link #close()}"
            + " releases.\n", OPEN_CL)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(WEIGHTS, "weights")
        .returns(self)
        .addStatement("return new $T(weights, $T.open($T.select()))", self, CL_SESSION, OPEN_CL)
        .build());
    type.addMethod(MethodSpec.methodBuilder("load")
        .addJavadoc("Loads the weights from a safetensors file (memory-mapped, closed before returning) onto the"
            + " device {@link $T#select()} picks.\n", OPEN_CL)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(Path.class, "safetensors")
        .returns(self)
        .beginControlFlow("try ($T weights = $T.open(safetensors))", SAFETENSORS, SAFETENSORS)
        .addStatement("return load(weights)")
        .endControlFlow()
        .build());

    type.addMethod(dispatch());
    for (KernelVariant v : KernelVariant.values()) type.addMethod(enqueue(type, v, plans.get(v)));
    FusedGroupsCode.addNames(type, fused);
    type.addMethod(dispatchGroup());
    for (KernelVariant v : KernelVariant.values()) type.addMethod(enqueueGroup(type, v, plans.get(v)));
    JavaFile file = JavaFile.builder(packageName, type.build())
        .addFileComment("Generated by netc from $L. Do not edit.", description.getQualifiedName())
        .skipJavaLangImports(true)
        .build();
    return new Output(programs, file);
  }

  private static void upload(TypeSpec.Builder type, CodeBlock.Builder code, ClPlan.Upload u) {
    if (u instanceof ClPlan.Tensor t) {
      // not final: large networks upload in helper methods (MethodChunks)
      type.addField(FieldSpec.builder(CL_BUFFER, t.field(), Modifier.PRIVATE).build());
      code.addStatement("this.$N = upload($S, weights.buffer($L))", t.field(), t.spec().name(), spec(t.spec()));
    } else if (u instanceof ClPlan.BatchNormParams b) {
      for (String f : new String[] {b.scaleField(), b.shiftField()}) {
        type.addField(FieldSpec.builder(CL_BUFFER, f, Modifier.PRIVATE).build());
      }
      List<WeightSpec> s = b.specs(); // gamma, beta, mean, var
      List<String> v = b.locals(); // gamma, beta, mean, var
      for (int i = 0; i < 4; i++) code.addStatement("float[] $N = weights.get($L)", v.get(i), spec(s.get(i)));
      code.addStatement("this.$N = upload($S, $T.batchNormScale($N, $N, $L))", b.scaleField(), b.prefix() + " scale",
              PACKING, v.get(0), v.get(3), b.eps())
          .addStatement("this.$N = upload($S, $T.batchNormShift($N, $N, $N, $N, $L))", b.shiftField(),
              b.prefix() + " shift", PACKING, v.get(1), v.get(2), v.get(0), v.get(3), b.eps());
    } else if (u instanceof ClPlan.Folded f) {
      for (String field : new String[] {f.weightField(), f.biasField()}) {
        type.addField(FieldSpec.builder(CL_BUFFER, field, Modifier.PRIVATE).build()); // not final: loaded in chunks
      }
      code.addStatement("$T $N = $T.foldBatchNorm(weights, $L, $L, $S, $L)", PACKING.nestedClass("Folded"), f.local(),
              PACKING, spec(f.weight()), f.bias() == null ? CodeBlock.of("null") : spec(f.bias()), f.normPrefix(), f.eps())
          .addStatement("this.$N = upload($S, $N.weight())", f.weightField(), f.weight().name() + " (folded)", f.local())
          .addStatement("this.$N = upload($S, $N.bias())", f.biasField(),
              (f.bias() == null ? f.normPrefix() + " shift" : f.bias().name()) + " (folded)", f.local());
    } else {
      throw new IllegalArgumentException(u.toString());
    }
  }

  /** {@code new WeightSpec("conv1.weight", 96, 3, 11, 11)}, marking buffers (running statistics) as such. */
  private static CodeBlock spec(WeightSpec s) {
    CodeBlock.Builder b = CodeBlock.builder().add("new $T($S", WEIGHT_SPEC, s.name());
    if (!s.learned()) b.add(", false");
    for (int d : s.dims()) b.add(", $L", d);
    return b.add(")").build();
  }

  private static CodeBlock shape(Shape s) {
    return CodeBlock.of("new $T($L, $L, $L)", SHAPE, s.channels(), s.height(), s.width());
  }

  /** {@code enqueue}: the chosen variant's launches. */
  private static MethodSpec dispatch() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("enqueue")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .addParameter(int.class, "batch");
    KernelVariant[] all = KernelVariant.values();
    for (int i = 0; i < all.length; i++) {
      if (i == 0) m.beginControlFlow("if (kernelVariant() == $T.$L)", KERNEL_VARIANT, all[i].name());
      else if (i < all.length - 1) m.nextControlFlow("else if (kernelVariant() == $T.$L)", KERNEL_VARIANT, all[i].name());
      else m.nextControlFlow("else");
      m.addStatement("$N(batch)", enqueueName(all[i]));
    }
    return m.endControlFlow().build();
  }

  /** {@code enqueueCpu}, {@code enqueueGpu}. */
  private static String enqueueName(KernelVariant v) {
    return "enqueue" + v.id().substring(0, 1).toUpperCase(Locale.ROOT) + v.id().substring(1);
  }

  /**
   * One {@code launch} per kernel of one variant, in graph order, with every size a literal and costs scaled by
   * the batch.
   */
  private static MethodSpec enqueue(TypeSpec.Builder type, KernelVariant variant, ClPlan program) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(enqueueName(variant))
        .addJavadoc("Launches the $L kernels ({@code $L}).\n", variant.id(), variant.id())
        .addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "batch")
        .addStatement("$T arena = arena()", CL_BUFFER);
    List<CodeBlock> launches = new ArrayList<>();
    for (ClPlan.Launch l : program.launches()) launches.add(launch(l));
    // Chunked, so that enqueue stays JIT-compilable for deep networks (ResNet-152: 40 KB in one method).
    return m.addCode(MethodChunks.inline(type, enqueueName(variant), "Enqueues " + variant.id() + " kernels", launches,
        List.of(ParameterSpec.builder(CL_BUFFER, "arena").build(), ParameterSpec.builder(int.class, "batch").build())))
        .build();
  }

  /** One {@code launch(...)} statement, every size a literal, costs scaled by the batch. */
  private static CodeBlock launch(ClPlan.Launch l) {
    List<String> global = new ArrayList<>();
    List<String> local = new ArrayList<>();
    for (long d : l.dims()) global.add(Long.toString(d));
    for (long d : l.local()) local.add(Long.toString(d));
    global.add(l.imagesPerItem() == 1 ? "batch" : "(batch + " + (l.imagesPerItem() - 1) + ") / " + l.imagesPerItem());
    local.add("1");
    CodeBlock.Builder args = CodeBlock.builder().add("arena, batch");
    for (String b : l.buffers()) args.add(", $N", b);
    return CodeBlock.builder().addStatement("launch($S, $S, $L, $L,\n    new long[] {$L}, new long[] {$L}, $L)",
        l.kernel(), l.label(), cost(l.flopsPerImage(), 0), cost(l.bytesPerImage(), l.weightBytes()),
        String.join(", ", global), String.join(", ", local), args.build()).build();
  }

  /** {@code enqueueGroup}, the {@code FusedGroups} hook: the chosen variant's launches of one group. */
  private static MethodSpec dispatchGroup() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("enqueueGroup")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .addParameter(int.class, "group")
        .addParameter(int.class, "batch")
        .addStatement("$T arena = arena()", CL_BUFFER);
    KernelVariant[] all = KernelVariant.values();
    for (int i = 0; i < all.length; i++) {
      if (i == 0) {
        m.beginControlFlow("if (kernelVariant() == $T.$L)", KERNEL_VARIANT, all[i].name());
      } else if (i < all.length - 1) {
        m.nextControlFlow("else if (kernelVariant() == $T.$L)", KERNEL_VARIANT, all[i].name());
      } else {
        m.nextControlFlow("else");
      }
      m.addStatement("$N(group, arena, batch)", enqueueGroupName(all[i]));
    }
    return m.endControlFlow().build();
  }

  /** {@code enqueueGroupCpu}, {@code enqueueGroupGpu}. */
  private static String enqueueGroupName(KernelVariant v) {
    return "enqueueGroup" + enqueueName(v).substring("enqueue".length());
  }

  /** A {@code switch} over the groups of one variant, each case that group's launches, as in {@code enqueue}. */
  private static MethodSpec enqueueGroup(TypeSpec.Builder type, KernelVariant variant, ClPlan program) {
    List<CodeBlock> cases = new ArrayList<>();
    for (ClPlan.Group g : program.groups()) {
      CodeBlock.Builder code = CodeBlock.builder();
      for (ClPlan.Launch l : program.launches().subList(g.from(), g.to())) code.add(launch(l));
      cases.add(FusedGroupsCode.caseBody(g.node(), code.build()));
    }
    List<ParameterSpec> params = List.of(ParameterSpec.builder(int.class, "group").build(),
        ParameterSpec.builder(CL_BUFFER, "arena").build(), ParameterSpec.builder(int.class, "batch").build());
    String name = enqueueGroupName(variant);
    // A group launches at most two kernels (dense + softmax): half as many groups as enqueue's chunks have launches.
    return MethodSpec.methodBuilder(name)
        .addJavadoc("Launches the $L kernels of one fused group.\n", variant.id())
        .addModifiers(Modifier.PRIVATE)
        .addParameters(params)
        .addCode(MethodChunks.dispatch(type, name, "Launches one group's " + variant.id() + " kernels", cases, params,
            MethodChunks.UNITS_PER_METHOD / 2))
        .build();
  }

  /** {@code perImage * batch + once}, as a long expression without zero terms. */
  private static String cost(long perImage, long once) {
    String s = perImage == 0 ? "" : perImage + "L * batch";
    if (once == 0) return s.isEmpty() ? "0L" : s;
    return s.isEmpty() ? once + "L" : s + " + " + once + "L";
  }
}
