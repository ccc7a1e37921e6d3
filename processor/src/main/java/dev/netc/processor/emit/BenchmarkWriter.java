package dev.netc.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.processor.passes.BufferPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes {@code <Name>_Benchmark} for {@code @Network(benchmark = true)}: a JMH benchmark of the network's kernels
 * on either backend, through the runtime's {@code FusedGroups} hook. JMH's own annotation processor turns it into
 * runnable benchmarks in a later round of the same compilation. The class names no JMH type the processor needs
 * at run time: it is text for javac, so the processor itself does not depend on JMH.
 *
 * <pre>{@code
 * @State(Scope.Benchmark) ... public class LeNet5_Benchmark {
 *   @Param({"all", "conv1", "conv2", "fc1", "fc2", "fc3"}) public String layer;
 *   @Param("1") public int batch;
 *   @Param("java") public String backend;
 *   @Setup(Level.Trial) public void load() { ... one forward pass, so the arena holds real data ... }
 *   @Benchmark public float[] run() { ... groups.runGroup(group, batch) or model.forward(...) ... }
 * }
 * }</pre>
 */
public final class BenchmarkWriter {
  /** Present on the class path exactly when JMH is; the processor checks for it before writing anything. */
  public static final String JMH_BENCHMARK = "org.openjdk.jmh.annotations.Benchmark";
  /** The {@code layer} value that times a whole forward pass instead of one group. */
  public static final String ALL = "all";

  private static final String JMH = "org.openjdk.jmh.annotations";
  private static final ClassName MODEL = ClassName.get("dev.netc.runtime", "Model");
  private static final ClassName FUSED_GROUPS = ClassName.get("dev.netc.runtime", "FusedGroups");
  private static final ClassName NETC = ClassName.get("dev.netc.runtime", "Netc");
  private static final ClassName BACKEND = ClassName.get("dev.netc.runtime", "Backend");
  private static final ClassName SYNTHETIC = ClassName.get("dev.netc.runtime.io", "SyntheticWeights");
  private static final ClassName SHAPE = ClassName.get("dev.netc.graph", "Shape");
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

  private BenchmarkWriter() {}

  /** {@code LeNet5_Model} -> {@code LeNet5_Benchmark}. */
  public static String benchmarkName(TypeElement description, String packageName) {
    String model = ModelWriter.modelName(description, packageName);
    return model.substring(0, model.length() - "_Model".length()) + "_Benchmark";
  }

  /**
   * The {@code layer} values: {@link #ALL} first, then every fused group that runs a kernel, in graph order (a
   * concatenation written in place runs nothing, so timing it would only time the call; a group named "all" is
   * left out, as the value means the whole network).
   */
  static List<String> layers(Graph fused, BufferPlan plan) {
    List<String> layers = new ArrayList<>(List.of(ALL));
    for (Node n : FusedGroupsCode.of(fused)) {
      if (FusedGroupsCode.hasKernel(n, plan) && !n.name().equals(ALL)) layers.add(n.name());
    }
    return layers;
  }

  public static JavaFile write(TypeElement description, String packageName, Graph fused, BufferPlan plan) {
    String name = benchmarkName(description, packageName);
    ClassName net = ClassName.get(description);
    List<String> layers = layers(fused, plan);
    CodeBlock.Builder values = CodeBlock.builder().add("{");
    for (int i = 0; i < layers.size(); i++) values.add(i == 0 ? "$S" : ", $S", layers.get(i));
    values.add("}");

    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addOriginatingElement(description)
        // public and not final: JMH subclasses state classes in the code it generates
        .addModifiers(Modifier.PUBLIC)
        .addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", "dev.netc.processor.NetcProcessor")
            .build())
        .addAnnotation(AnnotationSpec.builder(jmh("State")).addMember("value", "$T.Benchmark", jmh("Scope")).build())
        .addAnnotation(AnnotationSpec.builder(jmh("BenchmarkMode")).addMember("value", "$T.AverageTime", jmh("Mode"))
            .build())
        .addAnnotation(AnnotationSpec.builder(jmh("OutputTimeUnit"))
            .addMember("value", "$T.MICROSECONDS", TimeUnit.class).build())
        .addAnnotation(AnnotationSpec.builder(jmh("Warmup")).addMember("iterations", "3").addMember("time", "1")
            .build())
        .addAnnotation(AnnotationSpec.builder(jmh("Measurement")).addMember("iterations", "5").addMember("time", "1")
            .build())
        .addAnnotation(AnnotationSpec.builder(jmh("Fork")).addMember("value", "1").build())
        .addJavadoc("JMH benchmarks of {@link $T}'s kernels, generated by netc for {@code @Network(benchmark = true)};"
            + " do not edit.\n\n", net)
        .addJavadoc("<p>One operation is fused group {@code layer} run alone ({@code FusedGroups.runGroup}, on the"
            + " activations one forward pass left in the model's arena at setup) or, for {@code layer=all}, a whole"
            + " forward pass; weights are synthetic (values do not change the work). The groups are the nodes of"
            + " {@code $L_Model.FUSED}. Run, for example:\n", name.substring(0, name.length() - "_Benchmark".length()))
        .addJavadoc("<pre>java -jar benchmarks.jar $L -p batch=1,16 -p backend=java,opencl</pre>\n", name);

    type.addField(FieldSpec.builder(String.class, "layer", Modifier.PUBLIC)
        .addAnnotation(AnnotationSpec.builder(jmh("Param")).addMember("value", "$L", values.build()).build())
        .addJavadoc("A fused group's name, or {@code $L} for the whole forward pass.\n", ALL).build());
    type.addField(FieldSpec.builder(int.class, "batch", Modifier.PUBLIC)
        .addAnnotation(AnnotationSpec.builder(jmh("Param")).addMember("value", "$S", "1").build())
        .addJavadoc("Images per operation.\n").build());
    type.addField(FieldSpec.builder(String.class, "backend", Modifier.PUBLIC)
        .addAnnotation(AnnotationSpec.builder(jmh("Param")).addMember("value", "$S", "java").build())
        .addJavadoc("{@code java} or {@code opencl} (needs an OpenCL device; see {@code dev.netc.runtime.Backend}).\n")
        .build());
    type.addField(MODEL, "model", Modifier.PRIVATE);
    type.addField(FUSED_GROUPS, "groups", Modifier.PRIVATE);
    type.addField(FieldSpec.builder(int.class, "group", Modifier.PRIVATE)
        .addJavadoc("The group {@code layer} names, or -1 for the whole forward pass.\n").build());
    type.addField(float[].class, "input", Modifier.PRIVATE);
    type.addField(float[].class, "output", Modifier.PRIVATE);

    type.addMethod(MethodSpec.methodBuilder("load")
        .addJavadoc("Loads the model once per trial and runs one forward pass, so the arena holds real data.\n")
        .addAnnotation(AnnotationSpec.builder(jmh("Setup")).addMember("value", "$T.Trial", jmh("Level")).build())
        .addModifiers(Modifier.PUBLIC)
        .addStatement("model = $T.load($T.class, new $T(), $T.parse(backend))", NETC, net, SYNTHETIC, BACKEND)
        .addStatement("groups = ($T) model", FUSED_GROUPS)
        .addStatement("group = groups.groupNames().indexOf(layer)")
        .beginControlFlow("if (layer.equals($S))", ALL)
        .addStatement("group = -1")
        .nextControlFlow("else if (group < 0)")
        .addStatement("model.close()")
        .addStatement("throw new $T($S + layer + $S + groups.groupNames())", IllegalArgumentException.class,
            "no layer ", " in " + fused.name() + "; its fused groups: ")
        .endControlFlow()
        .addStatement("$T in = model.inputShape()", SHAPE)
        .addStatement("input = $T.input(batch, in.channels(), in.height(), in.width())", SYNTHETIC)
        .addStatement("output = new float[batch * model.outputShape().size()]")
        .addStatement("model.forward(input, output, batch)")
        .build());
    type.addMethod(MethodSpec.methodBuilder("run")
        .addJavadoc("One group, or the whole network; returns the output so that JMH consumes it.\n")
        .addAnnotation(jmh("Benchmark"))
        .addModifiers(Modifier.PUBLIC)
        .returns(float[].class)
        .beginControlFlow("if (group < 0)")
        .addStatement("model.forward(input, output, batch)")
        .nextControlFlow("else")
        .addStatement("groups.runGroup(group, batch)")
        .endControlFlow()
        .addStatement("return output")
        .build());
    type.addMethod(MethodSpec.methodBuilder("close")
        .addAnnotation(AnnotationSpec.builder(jmh("TearDown")).addMember("value", "$T.Trial", jmh("Level")).build())
        .addModifiers(Modifier.PUBLIC)
        .addStatement("model.close()")
        .build());
    return JavaFile.builder(packageName, type.build())
        .addFileComment("Generated by netc from $L. Do not edit.", description.getQualifiedName())
        .skipJavaLangImports(true)
        .build();
  }

  private static ClassName jmh(String simpleName) {
    return ClassName.get(JMH, simpleName);
  }
}
