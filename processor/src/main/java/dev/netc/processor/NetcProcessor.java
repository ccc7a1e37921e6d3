package dev.netc.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.netc.graph.Graph;
import dev.netc.graph.Problem;
import dev.netc.graph.ShapeInference;
import dev.netc.processor.emit.BenchmarkWriter;
import dev.netc.processor.emit.ModelWriter;
import dev.netc.processor.emit.TrainerWriter;
import dev.netc.processor.emit.opencl.OpenClModelWriter;
import dev.netc.processor.emit.opencl.OpenClProgramWriter;
import dev.netc.processor.emit.opencl.TrainingProgramWriter;
import dev.netc.processor.parse.NetworkParser;
import dev.netc.processor.parse.Site;
import dev.netc.processor.parse.Unresolved;
import dev.netc.processor.passes.BufferPlan;
import dev.netc.processor.passes.BufferPlanner;
import dev.netc.processor.passes.Passes;
import dev.netc.processor.report.Diagnostics;
import dev.netc.processor.report.Message;
import dev.netc.runtime.opencl.TrainingPrograms;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * netc's annotation processor: for each {@code @Network} class, parse -> check and infer shapes -> passes ->
 * plan buffers -> generate {@code <Name>_Model} (the Java backend), {@code <Name>.cl} (the OpenCL program, a
 * resource next to the classes) and {@code <Name>_OpenClModel} (which runs it; only when the runtime on the
 * class path has the OpenCL backend), and for {@code @Network(benchmark = true)} {@code <Name>_Benchmark} (a
 * JMH benchmark; only when JMH is on the class path). It stops before generating anything for a network with
 * mistakes, after reporting all of them. It never throws into javac: an unexpected failure becomes one
 * "internal error" diagnostic with its stack trace.
 *
 * <p>Option {@code -Anetc.dumpIr=true} prints the graph after each pass (marking passes that changed nothing)
 * with their times, as notes.
 */
@AutoService(Processor.class)
public final class NetcProcessor extends AbstractProcessor {
  static final String NETWORK = "dev.netc.dsl.Network";
  static final String DUMP_IR = "netc.dumpIr";
  static final String TRAINER_BASE_CLASS = "dev.netc.runtime.train.JavaTrainer";

  /** Networks with annotation values javac has not resolved yet, by qualified name, retried next round. */
  private final Set<String> deferred = new LinkedHashSet<>();

  /**
   * All of netc's annotations, so that javac's {@code -Xlint:processing} finds them claimed (users building with
   * {@code -Xlint:all -Werror} would otherwise fail on "no processor claimed").
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("dev.netc.dsl.*");
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(DUMP_IR);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    TypeElement network = processingEnv.getElementUtils().getTypeElement(NETWORK);
    if (network == null) return false;
    List<Element> todo = new ArrayList<>(round.getElementsAnnotatedWith(network));
    for (String name : deferred) {
      TypeElement again = processingEnv.getElementUtils().getTypeElement(name);
      if (again != null && !todo.contains(again)) todo.add(again);
    }
    deferred.clear();
    for (Element e : todo) {
      Diagnostics diag = new Diagnostics(processingEnv.getMessager());
      try {
        if (e.getKind() != ElementKind.CLASS) {
          diag.error(Site.of(e), Message.NOT_A_CLASS, e.getKind().toString().toLowerCase(java.util.Locale.ROOT));
          continue;
        }
        TypeElement type = (TypeElement) e;
        if (Unresolved.in(type)) {
          // Perhaps resolved in a later round; if never, javac reports the unresolved symbol itself.
          deferred.add(type.getQualifiedName().toString());
          continue;
        }
        compile(type, diag);
      } catch (Throwable t) { // any bug of ours must not crash the user's build
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.INTERNAL_ERROR.format(e, trace), e);
      }
    }
    return true; // the dev.netc.dsl annotations are ours alone
  }

  private void compile(TypeElement type, Diagnostics diag) throws IOException {
    NetworkParser.Parsed parsed = new NetworkParser(processingEnv.getElementUtils(), diag).parse(type);
    if (parsed == null) return;
    ShapeInference.Result result = ShapeInference.infer(parsed.name(), parsed.nodes(), parsed.output());
    for (Problem p : result.problems()) diag.error(parsed.sources(), p);
    if (!result.ok()) return;
    Graph described = result.graph();
    boolean dump = Boolean.parseBoolean(processingEnv.getOptions().getOrDefault(DUMP_IR, "false"));
    Graph fused = Passes.run(described, dump ? text -> diag.note(Site.of(type), text) : null);
    BufferPlan plan = BufferPlanner.plan(fused);
    if (dump) {
      diag.note(Site.of(type), "-- buffers: " + plan.arenaSize() + " floats per image (unshared " + plan.unplannedSize()
          + "): " + plan.describe());
    }
    String pkg = processingEnv.getElementUtils().getPackageOf(type).getQualifiedName().toString();
    JavaFile file = ModelWriter.write(type, pkg, described, fused, plan);
    file.writeTo(processingEnv.getFiler());
    writeOpenCl(type, pkg, fused, plan);
    writeTrainer(type, pkg, described);
    if (parsed.benchmark() != null) writeBenchmark(type, pkg, fused, plan, parsed.benchmark(), diag);
  }

  /**
   * {@code <Name>_Benchmark} for {@code @Network(benchmark = true)}, when JMH is on the class path (JMH's own
   * processor then turns it into benchmarks in a later round); without JMH a warning on the attribute, never an
   * error: the network itself compiled fine.
   */
  private void writeBenchmark(TypeElement type, String pkg, Graph fused, BufferPlan plan, Site attribute,
      Diagnostics diag) throws IOException {
    String name = BenchmarkWriter.benchmarkName(type, pkg);
    if (processingEnv.getElementUtils().getTypeElement(BenchmarkWriter.JMH_BENCHMARK) == null) {
      diag.warning(attribute, Message.BENCHMARK_WITHOUT_JMH, name);
      return;
    }
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        diag.warning(attribute, Message.BENCHMARK_PRIVATE, name, e.getSimpleName());
        return;
      }
    }
    BenchmarkWriter.write(type, pkg, fused, plan).writeTo(processingEnv.getFiler());
  }

  /**
   * The Java training step, for networks the training kernels cover, when the runtime on the class path has
   * them (a project built against an older runtime still compiles); with it the OpenCL training program,
   * {@code <Name>.train.cl} next to the classes, whose shape-specialised kernels the OpenCL trainer launches.
   */
  private void writeTrainer(TypeElement type, String pkg, Graph described) throws IOException {
    if (TrainerWriter.unsupported(described) != null) return;
    if (processingEnv.getElementUtils().getTypeElement(TRAINER_BASE_CLASS) == null) return;
    TrainerWriter.write(type, pkg, described).writeTo(processingEnv.getFiler());
    String file = TrainingPrograms.fileName(OpenClProgramWriter.base(ModelWriter.modelName(type, pkg)));
    FileObject program = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, pkg, file, type);
    try (OutputStream out = program.openOutputStream()) {
      out.write(TrainingProgramWriter.write(type.getQualifiedName().toString(), described)
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The OpenCL programs (one per kernel variant) always (users can read it in target/classes); the model class that runs it only when
   * {@code dev.netc.runtime.opencl.OpenClModel} is on the class path, so that a project built against a
   * runtime without the OpenCL backend still compiles.
   */
  private void writeOpenCl(TypeElement type, String pkg, Graph fused, BufferPlan plan) throws IOException {
    OpenClModelWriter.Output cl = OpenClModelWriter.write(type, pkg, fused, plan);
    for (OpenClModelWriter.Program p : cl.programs()) {
      FileObject program = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, pkg, p.fileName(),
          type);
      try (OutputStream out = program.openOutputStream()) {
        out.write(p.source().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (processingEnv.getElementUtils().getTypeElement(OpenClModelWriter.BASE_CLASS) != null) {
      cl.model().writeTo(processingEnv.getFiler());
    }
  }
}
