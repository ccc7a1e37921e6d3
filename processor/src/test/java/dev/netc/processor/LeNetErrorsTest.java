package dev.netc.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netc.processor.Compile.compile;
import static dev.netc.processor.Compile.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Mistakes in a connection table ({@code @Conv(table = ...)}) and in {@code @Subsample}: each one javac error
 * with the rule's message, on the line of the value at fault (the row, or the map within it), never an internal
 * error, and all of a network's mistakes in one compile.
 */
class LeNetErrorsTest {

  private static Compilation failing(JavaFileObject... files) {
    Compilation c = compile(files);
    assertWithMessage(Compile.describe(c)).that(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertWithMessage(Compile.describe(c)).that(Compile.internalError(c)).isFalse();
    return c;
  }

  /** A network of 3 x 8 x 8 images whose class body is {@code fields}. */
  private static JavaFileObject net(String fields) {
    return source("Net", "@Network\n@Input(channels = 3, height = 8, width = 8)\npublic final class Net {\n"
        + fields + "}\n");
  }

  // --- connection tables ---------------------------------------------------------------------------------------

  @Test
  void tableWithTooFewRows() {
    JavaFileObject f = net("""
          @Conv(filters = 3, kernel = 3,
              table = {@Sees({0, 1}), @Sees({1, 2})}) Layer c3;
        """);
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("layer c3: the connection table has 2 rows but the layer has 3 filters; give one"
        + " @Sees per filter, in filter order [netc.connection-table]").inFile(f).onLineContaining("table = {");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void tableWithTooManyRows() {
    JavaFileObject f = net("""
          @Conv(filters = 1, kernel = 3, table = {@Sees(0), @Sees(1)}) Layer c3;
        """);
    assertThat(failing(f)).hadErrorContaining("has 2 rows but the layer has 1 filters").inFile(f)
        .onLineContaining("@Sees(0)");
  }

  @Test
  void mapOutOfRangeIsReportedOnItsRow() {
    JavaFileObject f = net("""
          @Conv(filters = 3, kernel = 3, table = {
              @Sees({0, 1}),
              @Sees({1, 3}),
              @Sees({2, 0})}) Layer c3;
        """);
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("layer c3: row 1 of the connection table names input map 3, but the input has 3"
        + " maps, numbered 0 to 2 [netc.connection-table]").inFile(f).onLineContaining("@Sees({1, 3})");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void negativeMap() {
    JavaFileObject f = net("""
          @Conv(filters = 2, kernel = 3, table = {
              @Sees({0}),
              @Sees({-1, 2})}) Layer c3;
        """);
    assertThat(failing(f)).hadErrorContaining("row 1 of the connection table names input map -1").inFile(f)
        .onLineContaining("@Sees({-1, 2})");
  }

  @Test
  void mapListedTwice() {
    JavaFileObject f = net("""
          @Conv(filters = 2, kernel = 3, table = {
              @Sees({0, 2, 0}),
              @Sees({1})}) Layer c3;
        """);
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("layer c3: row 0 of the connection table lists input map 0 twice; list each map"
        + " once [netc.connection-table]").inFile(f).onLineContaining("@Sees({0, 2, 0})");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void emptyRow() {
    JavaFileObject f = net("""
          @Conv(filters = 2, kernel = 3, table = {
              @Sees({0, 1}),
              @Sees({})}) Layer c3;
        """);
    assertThat(failing(f)).hadErrorContaining("layer c3: row 1 of the connection table (filter 1) lists no input map;"
        + " every filter must see at least one map [netc.connection-table]").inFile(f).onLineContaining("@Sees({})");
  }

  @Test
  void tableOnAGroupedConvolution() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 1) Layer c1;
          @Conv(filters = 2, kernel = 3, groups = 2,
              table = {@Sees({0, 1}), @Sees({2, 3})}) Layer c3;
        """);
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("layer c3: a connection table cannot be combined with groups = 2; the table"
        + " already says which input maps each filter sees (groups are one such table), so remove groups"
        + " [netc.connection-table]").inFile(f).onLineContaining("table = {");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void everyMistakeOfATableInOneCompile() {
    JavaFileObject f = net("""
          @Conv(filters = 3, kernel = 3, table = {
              @Sees({0, 5}),
              @Sees({1, 1}),
              @Sees({})}) Layer c3;
        """);
    Compilation c = failing(f);
    // duplicates and empty rows need no input shape; once they are fixed the range is checked
    assertThat(c).hadErrorContaining("lists input map 1 twice").inFile(f).onLineContaining("@Sees({1, 1})");
    assertThat(c).hadErrorContaining("lists no input map").inFile(f).onLineContaining("@Sees({})");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void tableMistakeBehindAnotherLayersMistakeIsStillReported() {
    JavaFileObject f = net("""
          @Conv(filters = 3, kernel = 9) Layer c1;
          @Conv(filters = 2, kernel = 3, table = {
              @Sees({0, 0}),
              @Sees({1})}) Layer c3;
        """);
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("kernel 9 is larger").inFile(f).onLineContaining("kernel = 9");
    assertThat(c).hadErrorContaining("lists input map 0 twice").inFile(f).onLineContaining("@Sees({0, 0})");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void tableInABlockIsReportedOnTheUse() {
    JavaFileObject block = source("Sparse", """
        @Block(params = {"width"})
        final class Sparse {
          @Conv(kernel = 1, bind = "filters = width", table = {@Sees({0}), @Sees({1})}) Layer conv;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Sparse.class,
              args = {3}) Layer sparse;
        """);
    Compilation c = failing(f, block);
    assertThat(c).hadErrorContaining("in block Sparse as sparse: layer sparse.conv: the connection table has 2 rows but"
        + " the layer has 3 filters").inFile(f).onLineContaining("args = {3}");
  }

  // --- trainable subsampling ------------------------------------------------------------------------------------

  @Test
  void subsampleWindowLargerThanTheInput() {
    JavaFileObject f = net("""
          @Subsample(window = {2, 9}) Layer s2;
        """);
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("layer s2: window 9 is larger than the input width 8; use a smaller window"
        + " [netc.window-too-large]").inFile(f).onLineContaining("window = {2, 9}");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void subsampleStrideZero() {
    JavaFileObject f = net("""
          @Subsample(stride = 0) Layer s2;
        """);
    assertThat(failing(f)).hadErrorContaining("layer s2: stride must be at least 1, but it is 0 [netc.out-of-range]")
        .inFile(f).onLineContaining("stride = 0");
  }

  @Test
  void subsampleWindowOfThreeNumbers() {
    JavaFileObject f = net("""
          @Subsample(window = {2, 2, 2}) Layer s2;
        """);
    assertThat(failing(f)).hadErrorContaining("window takes one number (square) or two (height, width), but got 3")
        .inFile(f).onLineContaining("window = {2, 2, 2}");
  }

  @Test
  void subsampleWindowBoundInABlock() {
    JavaFileObject block = source("Sub", """
        @Block(params = {"size"})
        final class Sub {
          @Subsample(bind = "window = size") @Sigmoid Layer s;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Sub.class, args = {0}) Layer sub;
        """);
    assertThat(failing(f, block)).hadErrorContaining("in block Sub as sub: layer sub.s/subsample: window must be at"
        + " least 1, but it is 0").inFile(f).onLineContaining("args = {0}");
  }
}
