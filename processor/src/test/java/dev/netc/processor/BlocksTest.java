package dev.netc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netc.processor.Compile.compile;
import static dev.netc.processor.Compile.source;

import com.google.testing.compile.Compilation;
import dev.netc.graph.Activation;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The block features that whole model families need: nested blocks taking their arguments from the enclosing
 * block ({@code @Use(bind = ...)}), the input's shape in expressions ({@code in.channels}), numbered names for a
 * single copy ({@code numbered = true}), and {@code bind} of lists and decimals ({@code kernel = {1, n}},
 * {@code eps = 0.001}). Each good program is compiled, run and compared with the reference interpreter; each
 * misuse is a javac error on the line of the annotation value at fault.
 */
class BlocksTest {

  /** torchvision's basic block, the projection decided by the input's channels as well as the stride. */
  private static final String BASIC = """
      @Block(params = {"planes", "stride"})
      final class Basic {
        @Conv(kernel = 3, padding = 1, bias = false, bind = {"filters = planes", "stride = index == 0 ? stride : 1"})
        @BatchNorm(name = "bn1") @Relu
        Layer conv1;
        @Conv(kernel = 3, padding = 1, bias = false, bind = "filters = planes")
        @BatchNorm(name = "bn2")
        Layer conv2;
        @When("index == 0 && (stride != 1 || in.channels != planes)")
        @From("in")
        @Conv(kernel = 1, bias = false, name = "downsample.0", bind = {"filters = planes", "stride = stride"})
        @BatchNorm(name = "downsample.1")
        Layer downsample;
        @From({"conv2", "downsample"}) @Add @Relu
        Layer out;
      }
      """;

  private static List<String> weightNames(Graph g) {
    return g.weights().stream().map(WeightSpec::name).collect(Collectors.toList());
  }

  private static JavaFileObject basic() {
    return source("Basic", BASIC);
  }

  // --- in.channels ---------------------------------------------------------------------------------------------

  @Test
  void projectionExistsExactlyWhereTheInputsChannelsOrStrideDiffer() throws Exception {
    FunctionalTest.Checked c = FunctionalTest.check("Res", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public final class Res {
          @Conv(filters = 4, kernel = 3, padding = 1) @Relu Layer stem;
          @Use(value = Basic.class, args = {4, 1}, repeat = 2) Layer layer1;   // 4 -> 4: no projection
          @Use(value = Basic.class, args = {8, 1}, repeat = 2) Layer layer2;   // 4 -> 8 at stride 1: projection
          @Use(value = Basic.class, args = {8, 2}) Layer layer3;               // stride 2: projection
          @GlobalAvgPool Layer pool;
        }
        """, basic());
    List<String> names = weightNames(c.described());
    assertThat(names).doesNotContain("layer1.0.downsample.0.weight");
    assertThat(names).containsAtLeast("layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var",
        "layer3.downsample.0.weight");
    assertThat(names).doesNotContain("layer2.1.downsample.0.weight");
    assertThat(c.described().outputShape()).isEqualTo(new Shape(8, 1, 1));
  }

  @Test
  void inputHeightAndWidthAreKnownToo() throws Exception {
    FunctionalTest.Checked c = FunctionalTest.check("Sized", """
        @Network
        @Input(channels = 2, height = 6, width = 10)
        public final class Sized {
          @Use(Whole.class) Layer whole;
        }
        """, source("Whole", """
        @Block
        final class Whole {
          // A pool over the whole input, however large: window = the input's height and width.
          @AvgPool(window = 1, bind = "window = {in.height, in.width}") Layer pool;
          @Conv(kernel = 1, bind = "filters = in.channels * 3") Layer conv;
        }
        """));
    assertThat(c.described().outputShape()).isEqualTo(new Shape(6, 1, 1));
  }

  @Test
  void anUpstreamShapeErrorIsReportedOnceAndInChannelsFailsQuietly() {
    JavaFileObject f = source("Broken", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public final class Broken {
          @Conv(filters = 4, kernel = 3, groups = 3) Layer stem;
          @Use(value = Basic.class, args = {4, 1}, repeat = 2) Layer layer1;
        }
        """);
    Compilation c = failing(f, basic());
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("groups = 3 needs both channel counts divisible by 3").inFile(f)
        .onLineContaining("groups = 3");
  }

  @Test
  void inChannelsIsUnknownOutsideABlock() {
    JavaFileObject f = source("Top", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public final class Top {
          @Use(value = Basic.class, args = {4},
              bind = "stride = in.channels") Layer layer1;
        }
        """);
    assertThat(failing(f, basic())).hadErrorContaining("unknown name 'in.channels'; known: ").inFile(f)
        .onLineContaining("bind = \"stride = in.channels\"");
  }

  @Test
  void misspelledInputAxisListsTheKnownNames() {
    JavaFileObject f = net("@Use(value = Bad.class, args = {4}) Layer layer1;");
    JavaFileObject block = source("Bad", """
        @Block(params = {"planes"})
        final class Bad {
          @When("in.chanels != planes") @Conv(kernel = 1, bind = "filters = planes") Layer conv1;
        }
        """);
    assertThat(failing(f, block)).hadErrorContaining("unknown name 'in.chanels'; known: in.channels, in.height,"
        + " in.width, index, planes [netc.expression]").inFile(f).onLineContaining("args = {4}");
  }

  // --- nested blocks: @Use(bind = ...) ----------------------------------------------------------------------

  private static final String STAGE = """
      @Block(params = {"planes", "stride"})
      final class Stage {
        // a stage of two basic blocks, the first one strided; the block's own parameters passed on
        @Use(value = Basic.class, bind = {"planes = planes", "stride = stride"}, repeat = 2) Layer blocks;
        @Conv(kernel = 1, bind = "filters = planes * 2") @Relu Layer widen;
      }
      """;

  @Test
  void nestedBlocksTakeTheirArgumentsFromTheEnclosingBlock() throws Exception {
    FunctionalTest.Checked c = FunctionalTest.check("Nested", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public final class Nested {
          @Conv(filters = 4, kernel = 3, padding = 1) Layer stem;
          @Use(value = Stage.class, args = {4, 1}) Layer stage1;
          @Use(value = Stage.class, args = {6, 2}) Layer stage2;
        }
        """, basic(), source("Stage", STAGE));
    List<String> names = weightNames(c.described());
    assertThat(names).containsAtLeast("stage1.blocks.0.conv1.weight", "stage1.blocks.1.bn2.bias",
        "stage1.widen.weight", "stage2.blocks.0.downsample.0.weight", "stage2.widen.bias");
    assertThat(names).doesNotContain("stage1.blocks.0.downsample.0.weight"); // 4 -> 4 at stride 1
    Conv strided = (Conv) c.described().node("stage2.blocks.0.conv1/conv").op();
    assertThat(strided.strideH()).isEqualTo(2);
    assertThat(strided.filters()).isEqualTo(6);
    assertThat(c.described().outputShape()).isEqualTo(new Shape(12, 4, 4));
  }

  @Test
  void argsAndBindTogetherAndDecimalParameters() throws Exception {
    FunctionalTest.Checked c = FunctionalTest.check("Eps", """
        @Network
        @Input(channels = 3, height = 6, width = 6)
        public final class Eps {
          @Use(value = ConvBn.class, args = {5}, bind = "eps = 0.001") Layer conv1;
          @Use(value = ConvBn.class, args = {4}, bind = "eps = 1e-5") Layer conv2;
        }
        """, source("ConvBn", """
        @Block(params = {"filters", "eps"})
        final class ConvBn {
          @Conv(kernel = 3, padding = 1, bias = false, bind = "filters = filters") @BatchNorm(bind = "eps = eps")
          @LeakyRelu(bind = "slope = eps * 100")
          Layer conv;
        }
        """));
    assertThat(((BatchNorm) c.described().node("conv1.conv/batchnorm").op()).eps()).isEqualTo(0.001);
    assertThat(((BatchNorm) c.described().node("conv2.conv/batchnorm").op()).eps()).isEqualTo(1e-5);
    assertThat(((Activation) c.described().node("conv1.conv").op()).alpha()).isEqualTo(0.1f);
  }

  @Test
  void useBindOfAnUnknownParameter() {
    JavaFileObject f = net("""
          @Use(value = Basic.class, args = {4},
              bind = "strides = 2") Layer layer1;
        """);
    assertThat(failing(f, basic())).hadErrorContaining("block Basic has no parameter 'strides' to bind; its"
        + " parameters: planes, stride [netc.use-bind]").inFile(f).onLineContaining("bind = \"strides = 2\"");
  }

  @Test
  void useBindOfAParameterArgsAlreadyGives() {
    JavaFileObject f = net("""
          @Use(value = Basic.class, args = {4, 1},
              bind = "planes = 8") Layer layer1;
        """);
    assertThat(failing(f, basic())).hadErrorContaining("parameter 'planes' of block Basic is given twice")
        .inFile(f).onLineContaining("bind = \"planes = 8\"");
  }

  @Test
  void blockUsedWithAMissingParameter() {
    JavaFileObject f = net("""
          @Use(value = Basic.class,
              bind = "planes = 8") Layer layer1;
        """);
    assertThat(failing(f, basic())).hadErrorContaining("block Basic needs parameter(s) stride, which @Use does"
        + " not give; add them to args or bind (\"stride = ...\") [netc.use-args]").inFile(f)
        .onLineContaining("bind = \"planes = 8\"");
  }

  @Test
  void nestedUseWithAMissingParameterIsReportedOnTheOuterUse() {
    JavaFileObject f = net("@Use(value = Stage.class, args = {4, 1}) Layer stage1;");
    JavaFileObject stage = source("Stage", STAGE.replace("bind = {\"planes = planes\", \"stride = stride\"}",
        "bind = \"planes = planes\""));
    assertThat(failing(f, basic(), stage)).hadErrorContaining("in block Stage as stage1: block Basic needs"
        + " parameter(s) stride").inFile(f).onLineContaining("args = {4, 1}");
  }

  @Test
  void nestedUseReadingAnUnknownName() {
    JavaFileObject f = net("@Use(value = Stage.class, args = {4, 1}) Layer stage1;");
    JavaFileObject stage = source("Stage", STAGE.replace("\"stride = stride\"", "\"stride = strid\""));
    assertThat(failing(f, basic(), stage)).hadErrorContaining("unknown name 'strid'").inFile(f)
        .onLineContaining("args = {4, 1}");
  }

  // --- numbered -------------------------------------------------------------------------------------------

  @Test
  void numberedNamesASingleCopyLikeARepeatedOne() throws Exception {
    FunctionalTest.Checked c = FunctionalTest.check("One", """
        @Network
        @Input(channels = 3, height = 8, width = 8)
        public final class One {
          @Use(value = Basic.class, args = {4, 1}, numbered = true) Layer layer1;
          @Use(value = Basic.class, args = {4, 1}) Layer layer2;
        }
        """, basic());
    List<String> names = weightNames(c.described());
    assertThat(names).containsAtLeast("layer1.0.conv1.weight", "layer1.0.downsample.0.weight", "layer2.conv1.weight");
    assertThat(names.stream().filter(n -> n.startsWith("layer1.conv1")).count()).isEqualTo(0);
  }

  @Test
  void numberedMustBeABoolean() {
    JavaFileObject f = net("""
          @Use(value = Basic.class, args = {4, 1},
              numbered = 1) Layer layer1;
        """);
    Compilation c = compile(f, basic());
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("incompatible types").inFile(f).onLineContaining("numbered = 1");
    assertWithMessage(Compile.describe(c)).that(Compile.internalError(c)).isFalse();
  }

  // --- bind of lists and decimals --------------------------------------------------------------------------

  /** Inception v3's factorised n x n: a 1 x n then an n x 1 convolution, n a block parameter. */
  private static final String FACTORISED = """
      @Block(params = {"n", "width"})
      final class Factorised {
        @Conv(kernel = 1, bind = {"kernel = {1, n}", "padding = {0, n / 2}", "filters = width"}) @Relu Layer row;
        @Conv(kernel = 1, bind = {"kernel = {n, 1}", "padding = {n / 2, 0}", "filters = width"}) @Relu Layer column;
      }
      """;

  @Test
  void bindOfAKernelPairFactorisesAConvolution() throws Exception {
    FunctionalTest.Checked c = FunctionalTest.check("Seven", """
        @Network
        @Input(channels = 3, height = 9, width = 9)
        public final class Seven {
          @Use(value = Factorised.class, args = {7, 5}) Layer mixed;
          @Use(value = Factorised.class, args = {3, 4}) Layer small;
        }
        """, source("Factorised", FACTORISED));
    Node row = c.described().node("mixed.row/conv");
    assertThat(row.op()).isEqualTo(new Conv(5, 1, 7, 1, 1, 0, 3, 1, true, ((Conv) row.op()).activation()));
    Conv column = (Conv) c.described().node("mixed.column/conv").op();
    assertThat(List.of(column.kernelH(), column.kernelW(), column.padH(), column.padW())).containsExactly(7, 1, 3, 0)
        .inOrder();
    assertThat(c.described().outputShape()).isEqualTo(new Shape(4, 9, 9));
  }

  @Test
  void aDecimalForAWholeNumberAttribute() {
    JavaFileObject f = net("@Use(value = Half.class, args = {8}) Layer layer1;");
    JavaFileObject block = source("Half", """
        @Block(params = {"planes"})
        final class Half {
          @Conv(kernel = 1, bind = "filters = planes * 0.5") Layer conv1;
        }
        """);
    assertThat(failing(f, block)).hadErrorContaining("bind on @Conv: filters takes a whole number, but \"planes *"
        + " 0.5\" gives 4.0; use integer arithmetic (planes / 2, not planes * 0.5) [netc.bind-type]").inFile(f)
        .onLineContaining("args = {8}");
  }

  @Test
  void aListForASingleValueAttribute() {
    JavaFileObject f = net("@Use(value = Pair.class, args = {8}) Layer layer1;");
    JavaFileObject block = source("Pair", """
        @Block(params = {"planes"})
        final class Pair {
          @Conv(kernel = 1, bind = "filters = {planes, 2}") Layer conv1;
        }
        """);
    assertThat(failing(f, block)).hadErrorContaining("filters takes one value, but the bind gives a list:"
        + " {planes, 2}").inFile(f).onLineContaining("args = {8}");
  }

  @Test
  void aListOfThreeForAKernel() {
    JavaFileObject f = net("@Use(value = Three.class, args = {8}) Layer layer1;");
    JavaFileObject block = source("Three", """
        @Block(params = {"planes"})
        final class Three {
          @Conv(bind = {"filters = planes", "kernel = {1, 3, 3}"}) Layer conv1;
        }
        """);
    assertThat(failing(f, block)).hadErrorContaining("kernel takes one number (square) or two (height, width),"
        + " but got 3").inFile(f).onLineContaining("args = {8}");
  }

  // --- the mistakes model families make, inside blocks -----------------------------------------------------

  @Test
  void residualAdditionOfMismatchedShapes() {
    // the projection forgotten: 8 channels from conv2 added to the 4 of the block's input
    JavaFileObject f = net("""
          @Conv(filters = 4, kernel = 1) Layer stem;
          @Use(value = Basic.class,
              args = {8, 1}) Layer layer1;
        """);
    JavaFileObject block = source("Basic", BASIC.replace("@When(\"index == 0 && (stride != 1 || in.channels !="
        + " planes)\")", "@When(\"stride != 1\")"));
    Compilation c = failing(f, block);
    assertThat(c).hadErrorContaining("in block Basic as layer1: ").inFile(f).onLineContaining("args = {8, 1}");
    assertThat(c).hadErrorContaining("[netc.shape-mismatch]").inFile(f).onLineContaining("args = {8, 1}");
  }

  @Test
  void concatenationOfMismatchedSpatialSizes() {
    JavaFileObject f = net("""
          @Use(value = TwoWay.class,
              args = {4}) Layer mixed;
        """);
    JavaFileObject block = source("TwoWay", """
        @Block(params = {"width"})
        final class TwoWay {
          @Conv(kernel = 3, padding = 1, bind = "filters = width") Layer same;
          @From("in") @Conv(kernel = 3, bind = "filters = width") Layer valid;   // 8x8 -> 6x6: no padding
          @From({"same", "valid"}) @Concat Layer out;
        }
        """);
    Compilation c = failing(f, block);
    assertThat(c).hadErrorContaining("in block TwoWay as mixed: ").inFile(f).onLineContaining("args = {4}");
    assertThat(c).hadErrorContaining("[netc.shape-mismatch]").inFile(f).onLineContaining("args = {4}");
  }

  private static JavaFileObject net(String fields) {
    return source("Net", "@Network\n@Input(channels = 3, height = 8, width = 8)\npublic final class Net {\n"
        + fields + "\n}\n");
  }

  private static Compilation failing(JavaFileObject... files) {
    Compilation c = compile(files);
    assertWithMessage(Compile.describe(c)).that(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertWithMessage(Compile.describe(c)).that(Compile.internalError(c)).isFalse();
    return c;
  }
}
