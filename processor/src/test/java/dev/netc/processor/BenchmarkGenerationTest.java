package dev.netc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netc.processor.Compile.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.generators.BenchmarkProcessor;

/**
 * {@code @Network(benchmark = true)}: with JMH on the class path the processor writes {@code <Name>_Benchmark} and
 * JMH's processor, in a later round of the same compilation, makes benchmarks of it; without JMH javac warns on
 * the attribute and the build still succeeds.
 */
class BenchmarkGenerationTest {
  /** A convolution, an in-place concatenation (no kernel: not a benchmark), a pool and a dense layer. */
  private static final String SMALL = """
      @Network(benchmark = true)
      @Input(channels = 2, height = 6, width = 6)
      public final class Small {
        @Conv(filters = 4, kernel = 3, padding = 1) @Relu Layer stem;
        @Conv(filters = 3, kernel = 1) Layer a;
        @From("stem") @Conv(filters = 5, kernel = 1) Layer b;
        @From({"a", "b"}) @Concat Layer cat;
        @MaxPool(window = 2) Layer pool;
        @Dense(units = 6) @Softmax Layer out;
      }
      """;

  @Test
  void writesAJmhBenchmarkThatJmhsProcessorTurnsIntoBenchmarks() throws IOException {
    Compilation c = Compiler.javac().withProcessors(new NetcProcessor(), new BenchmarkProcessor())
        .compile(source("Small", SMALL));
    assertWithMessage(Compile.describe(c)).that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(c).hadWarningCount(0);
    String text = c.generatedSourceFile("test.Small_Benchmark").orElseThrow().getCharContent(true).toString();
    assertThat(text).contains("@Param({\"all\", \"stem\", \"a\", \"b\", \"pool\", \"out\"})");
    assertThat(text).contains("public class Small_Benchmark {");
    assertThat(text).contains("model = Netc.load(Small.class, new SyntheticWeights(), Backend.parse(backend));");
    assertThat(text).contains("groups.runGroup(group, batch);");
    assertThat(text).contains("@Setup(Level.Trial)");
    assertThat(text).contains("@Benchmark");
    assertThat(text).contains("@Param(\"java\")");

    // JMH's processor saw the generated class: its stubs and the benchmark list exist
    assertThat(c.generatedSourceFile("test.jmh_generated.Small_Benchmark_run_jmhTest")).isPresent();
    JavaFileObject list = c.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/BenchmarkList").orElseThrow();
    assertThat(list.getCharContent(true).toString()).contains("test.jmh_generated.Small_Benchmark_run_jmhTest");
  }

  @Test
  void generatesTheSameBenchmarkTwice() throws IOException {
    String first = benchmarkSource();
    assertThat(benchmarkSource()).isEqualTo(first);
  }

  @Test
  void warnsOnTheAttributeWithoutJmhAndStillCompiles() {
    // the test's class path without JMH's jars
    List<File> noJmh = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> !p.contains("jmh")).map(File::new).collect(Collectors.toList());
    Compilation c = Compiler.javac().withProcessors(new NetcProcessor()).withClasspath(noJmh)
        .compile(source("Small", SMALL));
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("benchmark = true needs JMH at compile time").inFile(
        source("Small", SMALL)).onLineContaining("@Network(benchmark = true)");
    assertThat(c).hadWarningContaining("No Small_Benchmark written [netc.benchmark-without-jmh]");
    assertThat(c.generatedSourceFile("test.Small_Benchmark")).isEmpty();
    assertThat(c.generatedSourceFile("test.Small_Model")).isPresent();
  }

  @Test
  void writesNothingWithoutTheAttribute() {
    Compilation c = Compiler.javac().withProcessors(new NetcProcessor())
        .compile(source("Small", SMALL.replace("@Network(benchmark = true)", "@Network")));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c.generatedSourceFile("test.Small_Benchmark")).isEmpty();
  }

  @Test
  void warnsForAPrivateDescription() {
    Compilation c = Compiler.javac().withProcessors(new NetcProcessor()).compile(source("Outer", """
        public final class Outer {
          @Network(benchmark = true)
          @Input(channels = 1, height = 4, width = 4)
          private static final class Hidden {
            @Dense(units = 2) Layer out;
          }
        }
        """));
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("Hidden is private");
    assertThat(c.generatedSourceFile("test.Outer_Hidden_Benchmark")).isEmpty();
  }

  private static String benchmarkSource() throws IOException {
    Compilation c = Compiler.javac().withProcessors(new NetcProcessor()).compile(source("Small", SMALL));
    return c.generatedSourceFile("test.Small_Benchmark").orElseThrow().getCharContent(true).toString();
  }
}
