package dev.netc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netc.processor.Compile.compile;
import static dev.netc.processor.Compile.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every user mistake is one javac error, with the rule's message, on the line of the annotation value that
 * causes it; no mistake crashes javac or reaches code generation.
 */
class ErrorsTest {

  /** Compiles one description and checks it failed cleanly, with no internal error and nothing generated. */
  private static Compilation failing(JavaFileObject file) {
    Compilation c = compile(file);
    assertWithMessage(Compile.describe(c)).that(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertWithMessage(Compile.describe(c)).that(Compile.internalError(c)).isFalse();
    return c;
  }

  /** A network of 3 x 8 x 8 images whose class body is {@code fields}. */
  private static JavaFileObject net(String fields) {
    return source("Net", "@Network\n@Input(channels = 3, height = 8, width = 8)\npublic final class Net {\n"
        + fields + "}\n");
  }

  // --- shapes and channels -------------------------------------------------------------------------------

  @Test
  void groupsMustDivideInputChannels() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3, groups = 2) Layer conv1;
        """);
    assertThat(failing(f)).hadErrorContaining("layer conv1: groups = 2 needs both channel counts divisible by 2,"
        + " but the input has 3 channels and the layer has 4 filters").inFile(f).onLineContaining("groups = 2");
    assertThat(failing(f)).hadErrorContaining("[netc.groups]").inFile(f).onLineContaining("groups = 2");
    assertThat(failing(f)).hadErrorCount(1);
  }

  @Test
  void groupsMustDivideFilters() {
    JavaFileObject f = net("""
          @Conv(filters = 6, kernel = 1) Layer conv1;
          @Conv(filters = 5, kernel = 3, groups = 3) Layer conv2;
        """);
    assertThat(failing(f)).hadErrorContaining("the input has 6 channels and the layer has 5 filters")
        .inFile(f).onLineContaining("groups = 3");
  }

  @Test
  void kernelLargerThanPaddedInput() {
    JavaFileObject f = source("Small", """
        @Network
        @Input(channels = 1, height = 5, width = 9)
        public final class Small {
          @Conv(filters = 2,
              kernel = 7,
              padding = 0) Layer conv1;
        }
        """);
    assertThat(failing(f)).hadErrorContaining("layer conv1: kernel 7 is larger than the padded input height 5"
        + " (5 + 2 x padding 0); use a smaller kernel or more padding [netc.window-too-large]")
        .inFile(f).onLineContaining("kernel = 7");
    // the width (9) fits: one error, not two
    assertThat(failing(f)).hadErrorCount(1);
  }

  @Test
  void poolWindowLargerThanPaddedInput() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3) Layer conv1;
          @MaxPool(window = 8, stride = 1) Layer pool1;
        """);
    assertThat(failing(f)).hadErrorContaining("layer pool1: window 8 is larger than the padded input height 6")
        .inFile(f).onLineContaining("window = 8");
  }

  @Test
  void strideLargerThanInputStillGivesOneOutput() {
    // floor((in + 2p - k) / s) + 1 >= 1 whenever the window fits: a huge stride is legal and yields 1 x 1.
    Compile.succeeded(net("""
          @Conv(filters = 4, kernel = 3, stride = 50) Layer conv1;
          @MaxPool(window = 1, stride = 9, ceil = true) Layer pool1;
        """));
  }

  @Test
  void unknownFromLayer() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3) Layer conv1;
          @From("conv9") @Relu Layer relu1;
        """);
    assertThat(failing(f)).hadErrorContaining("layer relu1 reads 'conv9', which is no layer of Net; known layers:"
        + " input, conv1, relu1 [netc.unknown-input]").inFile(f).onLineContaining("@From(\"conv9\")");
  }

  @Test
  void unknownFromLayerOnAMultiOperationField() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3) Layer conv1;
          @From("conv7") @Conv(filters = 4, kernel = 1) @Relu Layer conv2;
        """);
    assertThat(failing(f)).hadErrorContaining("reads 'conv7'").inFile(f).onLineContaining("@From(\"conv7\")");
    assertThat(failing(f)).hadErrorCount(1);
  }

  @Test
  void fieldNamedInputIsReserved() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3) Layer input;
        """);
    assertThat(failing(f)).hadErrorContaining("'input' is reserved for the network's input; rename the field"
        + " [netc.reserved-name]").inFile(f).onLineContaining("Layer input;");
  }

  @Test
  void twoLayersWithTheSameWeightName() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3, name = "features.0") Layer conv1;
          @Conv(filters = 5, kernel = 1, name = "features.0") Layer conv2;
        """);
    assertThat(failing(f)).hadErrorContaining("layers conv1 and conv2 both read weights named 'features.0.*';"
        + " give one of them another name [netc.duplicate-weight]").inFile(f).onLineContaining("filters = 5");
    assertThat(failing(f)).hadErrorCount(1);
  }

  @Test
  void explicitNameCollidingWithAFieldsDefaultWeightName() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3) Layer conv1;
          @Conv(filters = 5, kernel = 1, name = "conv1") Layer conv2;
        """);
    assertThat(failing(f)).hadErrorContaining("both read weights named 'conv1.*'").inFile(f)
        .onLineContaining("name = \"conv1\"");
  }

  @Test
  void cycleThroughFrom() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 1) Layer stem;
          @From("b") @Conv(filters = 4, kernel = 1) Layer a;
          @From("a") @Relu Layer b;
          @From("b") @Relu Layer out;
        """);
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("layer a depends on itself through a -> b -> a; a network must be acyclic"
        + " [netc.cycle]").inFile(f).onLineContaining("@From(\"b\") @Conv");
    assertThat(c).hadErrorContaining("layer b depends on itself through b -> a -> b").inFile(f)
        .onLineContaining("@From(\"a\")");
  }

  @Test
  void unusedLayer() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3) Layer conv1;
          @From("input") @Conv(filters = 2, kernel = 1) Layer side;
          @From("conv1") @Relu Layer out;
        """);
    assertThat(failing(f)).hadErrorContaining("layer side is computed but nothing reads it and it is not the output"
        + " (out); remove it, or name it in a later layer's @From [netc.unused-layer]").inFile(f)
        .onLineContaining("Layer side;");
  }

  @Test
  void severalInputsToAOneInputLayer() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3, padding = 1) Layer a;
          @Conv(filters = 4, kernel = 1) Layer b;
          @From({"a", "b"}) @Conv(filters = 4, kernel = 1) Layer c;
        """);
    assertThat(failing(f)).hadErrorContaining("takes 1 input but @From names 2; only @Concat and @Add take"
        + " several [netc.arity]").inFile(f).onLineContaining("@From({\"a\", \"b\"})");
  }

  // --- attribute ranges ----------------------------------------------------------------------------------

  @Test
  void dropoutRateOfOne() {
    JavaFileObject f = net("""
          @Dense(units = 4) @Dropout(rate = 1.0) Layer fc1;
          @Dense(units = 2) Layer fc2;
        """);
    assertThat(failing(f)).hadErrorContaining("dropout rate must be in [0, 1), but it is 1.0; AlexNet uses 0.5"
        + " [netc.dropout-rate]").inFile(f).onLineContaining("rate = 1.0");
  }

  @Test
  void negativeDropoutRate() {
    JavaFileObject f = net("""
          @Dense(units = 4) Layer fc1;
          @Dropout(rate = -0.1) @Dense(units = 2) Layer fc2;
        """);
    assertThat(failing(f)).hadErrorContaining("but it is -0.1").inFile(f).onLineContaining("rate = -0.1");
  }

  @Test
  void evenLrnSize() {
    JavaFileObject f = net("""
          @Conv(filters = 8, kernel = 3) @Relu
          @Lrn(size = 4) Layer conv1;
        """);
    assertThat(failing(f)).hadErrorContaining("layer conv1: LRN size must be a positive odd number so the window"
        + " is centred on its channel, but it is 4; AlexNet uses 5 [netc.lrn-even-size]").inFile(f)
        .onLineContaining("size = 4");
  }

  @Test
  void strideZero() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3,
              stride = 0) Layer conv1;
        """);
    assertThat(failing(f)).hadErrorContaining("layer conv1: stride must be at least 1, but it is 0"
        + " [netc.out-of-range]").inFile(f).onLineContaining("stride = 0");
    assertThat(failing(f)).hadErrorCount(1);
  }

  @Test
  void negativePadding() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3,
              padding = {1, -1}) Layer conv1;
        """);
    assertThat(failing(f)).hadErrorContaining("layer conv1: padding must be at least 0, but it is -1").inFile(f)
        .onLineContaining("padding = {1, -1}");
  }

  @Test
  void poolPaddingMoreThanHalfTheWindow() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3) Layer conv1;
          @MaxPool(window = 2, padding = 2) Layer pool1;
        """);
    assertThat(failing(f)).hadErrorContaining("layer pool1: pooling padding 2 is more than half the window 2, so a"
        + " window could hold padding only; use padding <= window / 2 [netc.out-of-range]").inFile(f)
        .onLineContaining("padding = 2");
  }

  @Test
  void denseWithZeroUnits() {
    JavaFileObject f = net("""
          @Dense(units = 0) Layer fc;
        """);
    assertThat(failing(f)).hadErrorContaining("layer fc: a dense layer needs at least 1 unit, but units = 0"
        + " [netc.dense-units]").inFile(f).onLineContaining("units = 0");
  }

  @Test
  void denseWithUnitsLeftOut() {
    JavaFileObject f = net("""
          @Dense(bias = false) Layer fc;
        """);
    assertThat(failing(f)).hadErrorContaining("[netc.dense-units]").inFile(f).onLineContaining("@Dense(bias");
  }

  @Test
  void networkWithoutLayers() {
    JavaFileObject f = source("Empty", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public final class Empty {
          int notALayer;
        }
        """);
    assertThat(failing(f)).hadErrorContaining("network Empty has no layers, so it has no output; declare at least"
        + " one annotated layer field [netc.no-output]").inFile(f).onLineContaining("@Input");
  }

  @Test
  void missingInput() {
    JavaFileObject f = source("NoInput", """
        @Network
        public final class NoInput {
          @Conv(filters = 4, kernel = 3) Layer conv1;
        }
        """);
    assertThat(failing(f)).hadErrorContaining("@Network class NoInput needs @Input(channels = ..., height = ...,"
        + " width = ...) to say what one image looks like [netc.missing-input]").inFile(f)
        .onLineContaining("@Network");
  }

  @Test
  void kernelWithThreeNumbers() {
    JavaFileObject f = net("""
          @Conv(filters = 4,
              kernel = {1, 3, 3}) Layer conv1;
        """);
    assertThat(failing(f)).hadErrorContaining("kernel takes one number (square) or two (height, width), but got 3"
        + " [netc.arity-value]").inFile(f).onLineContaining("kernel = {1, 3, 3}");
  }

  @Test
  void convWithoutKernel() {
    JavaFileObject f = net("""
          @Conv(filters = 4) Layer conv1;
        """);
    assertThat(failing(f)).hadErrorContaining("@Conv needs a kernel size: write kernel = 3 or kernel = {1, 7}"
        + " [netc.missing-kernel]").inFile(f).onLineContaining("@Conv(filters = 4)");
  }

  // --- merging -------------------------------------------------------------------------------------------

  @Test
  void addOfMismatchedShapes() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3, padding = 1) Layer a;
          @Conv(filters = 8, kernel = 1) Layer b;
          @From({"a", "b"})
          @Add @Relu Layer sum;
        """);
    assertThat(failing(f)).hadErrorContaining("layer sum/add: @Add needs equal shapes, but a is 4x8x8 and b is"
        + " 8x8x8; project the shortcut with a 1x1 convolution of matching filters and stride"
        + " [netc.shape-mismatch]").inFile(f).onLineContaining("@From({\"a\", \"b\"})");
  }

  @Test
  void concatOfMismatchedSpatialSizes() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3, padding = 1) Layer a;
          @From("input") @Conv(filters = 2, kernel = 3) Layer b;
          @From({"a", "b"}) @Concat Layer joined;
        """);
    assertThat(failing(f)).hadErrorContaining("layer joined: @Concat needs equal spatial sizes, but a is 4x8x8 and"
        + " b is 2x6x6; adjust padding or strides so the branches agree").inFile(f)
        .onLineContaining("@Concat");
  }

  @Test
  void concatOfOneInput() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3, padding = 1) Layer a;
          @From("a") @Concat Layer joined;
        """);
    assertThat(failing(f)).hadErrorContaining("@Concat joins two or more inputs, but @From names 1").inFile(f)
        .onLineContaining("@Concat");
  }

  // --- blocks ------------------------------------------------------------------------------------------------

  private static final String BASIC = """
      @Block(params = {"planes", "stride"})
      final class Basic {
        @Conv(kernel = 3, padding = 1, bias = false, bind = {"filters = planes", "stride = stride"})
        @BatchNorm(name = "bn1") @Relu Layer conv1;
      }
      """;

  @Test
  void useWithTooFewArgs() {
    JavaFileObject block = source("Basic", BASIC);
    JavaFileObject f = net("""
          @Use(value = Basic.class,
              args = {64}) Layer layer1;
        """);
    Compilation c = failingWith(f, block);
    assertThat(c).hadErrorContaining("block Basic takes 2 parameter(s) (planes, stride) but @Use gives 1; write"
        + " args = {planes, stride} [netc.use-args]").inFile(f).onLineContaining("args = {64}");
  }

  @Test
  void useWithArgsLeftOut() {
    JavaFileObject block = source("Basic", BASIC);
    JavaFileObject f = net("""
          @Use(Basic.class) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining("but @Use gives 0").inFile(f)
        .onLineContaining("@Use(Basic.class)");
  }

  @Test
  void bindSyntaxError() {
    JavaFileObject block = source("Bad", """
        @Block(params = {"planes"})
        final class Bad {
          @Conv(kernel = 3, bind = "filters planes") Layer conv1;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Bad.class, args = {4}) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining("in block Bad as layer1: bind entry \"filters planes\""
        + " must look like \"attribute = expression\" [netc.bind-syntax]").inFile(f)
        .onLineContaining("args = {4}");
  }

  @Test
  void bindOfAComparisonIsASyntaxError() {
    JavaFileObject block = source("Bad", """
        @Block(params = {"planes"})
        final class Bad {
          @Conv(kernel = 3, bind = "filters == planes") Layer conv1;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Bad.class, args = {4}) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining("bind entry \"filters == planes\"").inFile(f)
        .onLineContaining("@Use(");
  }

  @Test
  void bindOfAnUnknownAttribute() {
    JavaFileObject block = source("Bad", """
        @Block(params = {"planes"})
        final class Bad {
          @Conv(kernel = 3, bind = "kernels = planes") Layer conv1;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Bad.class, args = {4}) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining("@Conv has no attribute 'kernels' that bind can set;"
        + " bindable: filters, kernel, stride, padding, groups [netc.bind-attribute]").inFile(f)
        .onLineContaining("args = {4}");
  }

  @Test
  void bindOnAnAnnotationWithoutBindableAttributes() {
    JavaFileObject block = source("Bad", """
        @Block(params = {"planes"})
        final class Bad {
          @Conv(kernel = 3, bind = "filters = planes") Layer conv1;
          @MaxPool(window = 2, bind = "ceil = 1") Layer pool1;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Bad.class, args = {4}) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining("@MaxPool has no attribute 'ceil' that bind can set;"
        + " bindable: window, stride, padding").inFile(f).onLineContaining("args = {4}");
  }

  @Test
  void unknownParameterInABindExpression() {
    JavaFileObject block = source("Basic", BASIC.replace("filters = planes", "filters = plane * 2"));
    JavaFileObject f = net("""
          @Use(value = Basic.class, args = {4, 1}) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining("in block Basic as layer1: in expression \"plane * 2\" at 1:")
        .inFile(f).onLineContaining("args = {4, 1}");
    assertThat(failingWith(f, block)).hadErrorContaining("unknown name 'plane'; known: in.channels, in.height, in.width, index, planes,"
        + " stride"
        + " [netc.expression]").inFile(f).onLineContaining("args = {4, 1}");
  }

  @Test
  void unknownParameterInAWhenExpression() {
    JavaFileObject block = source("Opt", """
        @Block(params = {"planes"})
        final class Opt {
          @Conv(kernel = 1, bind = "filters = planes") Layer conv1;
          @When("idx == 0") @Relu Layer act;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Opt.class, args = {4}) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining(
        "unknown name 'idx'; known: in.channels, in.height, in.width, index, planes").inFile(f)
        .onLineContaining("args = {4}");
  }

  @Test
  void divisionByZeroInABindExpression() {
    JavaFileObject block = source("Div", """
        @Block(params = {"planes", "d"})
        final class Div {
          @Conv(kernel = 1, bind = "filters = planes / d") Layer conv1;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Div.class, args = {4, 0}) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining("division by zero").inFile(f)
        .onLineContaining("args = {4, 0}");
  }

  @Test
  void useOfAClassWithoutBlock() {
    JavaFileObject plain = source("Plain", """
        final class Plain {
          @Conv(filters = 4, kernel = 1) Layer conv1;
        }
        """);
    JavaFileObject f = net("""
          @Use(value = Plain.class,
              args = {}) Layer layer1;
        """);
    assertThat(failingWith(f, plain)).hadErrorContaining("@Use names test.Plain, which is not annotated with @Block"
        + " [netc.use-not-block]").inFile(f).onLineContaining("value = Plain.class");
  }

  @Test
  void shapeErrorInsideABlockNamesTheExpandedLayer() {
    JavaFileObject block = source("Basic", BASIC);
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 1) Layer stem;
          @Use(value = Basic.class, args = {4, 0}, repeat = 2) Layer layer1;
        """);
    Compilation c = failingWith(f, block);
    assertThat(c).hadErrorContaining("in block Basic as layer1.0: layer layer1.0.conv1/conv: stride must be at least"
        + " 1, but it is 0").inFile(f).onLineContaining("args = {4, 0}");
  }

  @Test
  void whenOutsideABlock() {
    JavaFileObject f = net("""
          @When("1") @Conv(filters = 4, kernel = 1) Layer conv1;
        """);
    assertThat(failing(f)).hadErrorContaining("[netc.when-outside-block]").inFile(f).onLineContaining("@When");
  }

  @Test
  void bindOutsideABlock() {
    JavaFileObject f = net("""
          @Conv(kernel = 1, bind = "filters = 4") Layer conv1;
        """);
    assertThat(failing(f)).hadErrorContaining("[netc.bind-outside-block]").inFile(f)
        .onLineContaining("bind = \"filters = 4\"");
  }

  @Test
  void recursiveBlock() {
    JavaFileObject block = source("Loop", """
        @Block
        final class Loop {
          @Relu Layer a;
          @Use(Loop.class) Layer again;
        }
        """);
    JavaFileObject f = net("""
          @Use(Loop.class) Layer layer1;
        """);
    assertThat(failingWith(f, block)).hadErrorContaining("block Loop uses itself").inFile(f)
        .onLineContaining("@Use(Loop.class)");
  }

  // --- all errors at once; no crashes ------------------------------------------------------------------------

  @Test
  void everyMistakeOfANetworkIsReportedInOneCompile() {
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 3, stride = 0) Layer conv1;
          @Lrn(size = 2) Layer norm1;
          @Dense(units = 8) @Dropout(rate = 1.5) Layer fc1;
          @Dense(units = 2) Layer fc2;
        """);
    Compilation c = failing(f);
    assertThat(c).hadErrorCount(3);
    assertThat(c).hadErrorContaining("stride must be at least 1").inFile(f).onLineContaining("stride = 0");
    assertThat(c).hadErrorContaining("LRN size must be a positive odd number").inFile(f).onLineContaining("size = 2");
    assertThat(c).hadErrorContaining("dropout rate must be in [0, 1)").inFile(f).onLineContaining("rate = 1.5");
  }

  @Test
  void parserAndGraphMistakesOfTwoNetworksAreAllReported() {
    JavaFileObject a = source("A", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public final class A {
          @Conv(filters = 4, kernel = {1, 2, 3}) Layer conv1;
          @When("1") @Relu Layer relu1;
        }
        """);
    JavaFileObject b = source("B", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public final class B {
          @Conv(filters = 4, kernel = 3, groups = 2) Layer conv1;
        }
        """);
    Compilation c = compile(a, b);
    assertThat(c).hadErrorCount(3);
    assertThat(c).hadErrorContaining("got 3").inFile(a).onLineContaining("kernel = {1, 2, 3}");
    assertThat(c).hadErrorContaining("[netc.when-outside-block]").inFile(a).onLineContaining("@When");
    assertThat(c).hadErrorContaining("[netc.groups]").inFile(b).onLineContaining("groups = 2");
    assertWithMessage(Compile.describe(c)).that(Compile.internalError(c)).isFalse();
  }

  @Test
  void networkOnAnInterface() {
    JavaFileObject f = source("NetI", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public interface NetI {
          @Conv(filters = 4, kernel = 3) Layer conv1 = null;
        }
        """);
    assertThat(failing(f)).hadErrorContaining("@Network and @Block go on classes, not on interface"
        + " [netc.not-a-class]").inFile(f).onLineContaining("public interface NetI");
  }

  @Test
  void networkOnAnEnum() {
    JavaFileObject f = source("NetE", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public enum NetE {
          A;
          @Conv(filters = 4, kernel = 3) Layer conv1;
        }
        """);
    assertThat(failing(f)).hadErrorContaining("not on enum").inFile(f).onLineContaining("public enum NetE");
  }

  @Test
  void networkOnARecord() {
    JavaFileObject f = source("NetR", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public record NetR(@Conv(filters = 4, kernel = 3) Layer conv1) {}
        """);
    assertThat(failing(f)).hadErrorContaining("not on record").inFile(f).onLineContaining("public record NetR");
  }

  /** javac's own "cannot find symbol" must reach the user, not hidden behind an error of netc's. */
  private static void unresolved(String fields, String symbol, String line) {
    JavaFileObject f = net(fields);
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("cannot find symbol").inFile(f).onLineContaining(line);
    assertThat(c).hadErrorContaining(symbol);
    assertWithMessage(Compile.describe(c)).that(Compile.errors(c).stream().anyMatch(m -> m.contains("[netc.")))
        .isFalse();
  }

  @Test
  void useOfAClassThatDoesNotExist() {
    unresolved("  @Use(value = Missing.class, args = {1}) Layer layer1;\n", "class Missing", "Missing.class");
  }

  @Test
  void unresolvedConstantsInAttributes() {
    unresolved("  @Conv(filters = Sizes.WIDE, kernel = 3) Layer conv1;\n", "Sizes", "Sizes.WIDE");
    unresolved("  @Conv(filters = 4, kernel = {Sizes.K, 3}) Layer conv1;\n", "Sizes", "Sizes.K");
    unresolved("  @Conv(filters = 4, kernel = 3, bias = Flags.BIAS) Layer conv1;\n", "Flags", "Flags.BIAS");
    unresolved("  @Relu @Dropout(rate = Rates.HALF) Layer d;\n", "Rates", "Rates.HALF");
    unresolved("  @Conv(filters = 4, kernel = 3) Layer a;\n  @From(Names.A) @Relu Layer r;\n", "Names", "Names.A");
  }

  @Test
  void misspelledLayerAnnotation() {
    // javac leaves an unresolvable annotation out of the field's mirrors: netc sees no layer (and says so),
    // and javac's own error names the misspelling.
    JavaFileObject f = net("  @Convv(filters = 4, kernel = 3) Layer conv1;\n");
    Compilation c = failing(f);
    assertThat(c).hadErrorContaining("cannot find symbol").inFile(f).onLineContaining("@Convv");
    assertThat(c).hadErrorContaining("class Convv");
  }

  @Test
  void unresolvedConstantInsideABlock() {
    JavaFileObject block = source("Basic", BASIC.replace("padding = 1,", "padding = Pads.ONE,"));
    JavaFileObject f = net("""
          @Use(value = Basic.class, args = {4, 1}) Layer layer1;
        """);
    Compilation c = failingWith(f, block);
    assertThat(c).hadErrorContaining("cannot find symbol").inFile(block).onLineContaining("Pads.ONE");
    assertWithMessage(Compile.describe(c)).that(Compile.errors(c).stream().anyMatch(m -> m.contains("[netc.")))
        .isFalse();
  }

  @Test
  void inputOfZeroChannelsIsOutOfRange() {
    JavaFileObject f = source("Zero", """
        @Network
        @Input(channels = 0, height = 8, width = 8)
        public final class Zero {
          @Conv(filters = 4, kernel = 3) Layer conv1;
        }
        """);
    assertThat(failing(f)).hadErrorContaining("channels must be at least 1, but it is 0").inFile(f)
        .onLineContaining("channels = 0");
  }

  @Test
  void outputNamingNoLayer() {
    JavaFileObject f = source("Out", """
        @Network(output = "conv9")
        @Input(channels = 3, height = 8, width = 8)
        public final class Out {
          @Conv(filters = 4, kernel = 3) Layer conv1;
        }
        """);
    Compilation c = compile(f);
    assertThat(c).failed();
    assertWithMessage(Compile.describe(c)).that(Compile.internalError(c)).isFalse();
  }

  private static Compilation failingWith(JavaFileObject network, JavaFileObject other) {
    Compilation c = compile(network, other);
    assertWithMessage(Compile.describe(c)).that(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertWithMessage(Compile.describe(c)).that(Compile.internalError(c)).isFalse();
    return c;
  }
}
