package dev.netc.processor.opencl;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.netc.processor.NetcProcessor;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * What the connection-table and subsampling kernels look like in both backends: lint-clean Java, portable
 * float-only OpenCL C with the table as literals, and the same bytes on every compile.
 */
class LeNetGenerationTest {
  private static final String LENET = """
        @Conv(filters = 4, kernel = 3) @Tanh Layer c1;
        @Subsample @Sigmoid Layer s2;
        @Conv(filters = 3, kernel = 3, padding = 1, table = {@Sees({2, 0}), @Sees({1, 3}), @Sees({0, 1, 2, 3})})
        @Tanh Layer c3;
        @Subsample(window = 3, stride = 2, bias = false) Layer s4;
        @Dense(units = 2) @Softmax Layer out;
      """;

  private static JavaFileObject lenet() {
    return ClCompile.net("LeNet", 1, 20, 20, LENET);
  }

  private static String program(Compilation c) {
    return ClCompile.resource(c, "LeNet.cpu.cl").orElseThrow(() -> new AssertionError("LeNet.cpu.cl was not generated"));
  }

  private static String java(Compilation c) throws IOException {
    return c.generatedSourceFile("test.LeNet_Model").orElseThrow().getCharContent(false).toString();
  }

  @Test
  void javaIsLintCleanWithWerror() {
    Compilation c = Compiler.javac().withProcessors(new NetcProcessor())
        .withOptions(List.of("-Xlint:all,-processing", "-Werror")).compile(lenet());
    assertWithMessage(ClCompile.describe(c)).that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void theTableIsGeneratedAsLiteralsInAscendingMapOrder() throws IOException {
    Compilation c = ClCompile.succeeded(lenet());
    String cl = program(c);
    assertThat(cl).contains("__constant int c3_tableconv_first[4] = {0, 2, 4, 8};");
    assertThat(cl).contains("    0, 2, // filter 0\n");
    assertThat(cl).contains("    0, 1, 2, 3 // filter 2\n};");
    assertThat(cl).contains("__kernel void c3_tableconv(");
    assertThat(cl).contains("__kernel void s2_subsample(");
    assertThat(cl).contains("const float v = coefficient[c] * sum;"); // s4: no bias
    String java = java(c);
    assertThat(java).contains("private static final int[] c3TableConvFirst = {0, 2, 4, 8};");
    assertThat(java).contains("private static final int[] c3TableConvMaps = {0, 2, 1, 3, 0, 1, 2, 3};");
  }

  @Test
  void floatOnlyPortableOpenClC() {
    String cl = program(ClCompile.succeeded(lenet()));
    assertThat(cl).doesNotContainMatch("\\bdouble\\b");
    assertThat(cl).doesNotContain("#pragma");
    Matcher m = Pattern.compile("(?<![\\w.])\\d+\\.\\d+(E-?\\d+)?(?![\\dEf])").matcher(cl.replaceAll("//[^\n]*", ""));
    assertWithMessage("a double literal in the program").that(m.find() ? m.group() : null).isNull();
  }

  @Test
  void deterministic() throws IOException {
    Compilation a = ClCompile.succeeded(lenet());
    Compilation b = ClCompile.succeeded(lenet());
    assertThat(program(b)).isEqualTo(program(a));
    assertThat(java(b)).isEqualTo(java(a));
  }
}
