package dev.netc.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.netc.processor.Compile.source;

import com.google.testing.compile.Compilation;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.reference.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compiles networks in memory, runs the generated {@code <Name>_Model} on random inputs at batch 1 and 3, and
 * compares it with the reference interpreter running the unfused described graph ({@code GRAPH}): every
 * kernel and every fusion of the Java backend against the oracle.
 */
class FunctionalTest {
  /** Float32 accumulation over a few hundred terms, relative to the output's magnitude. */
  private static final double TOLERANCE = 1e-4;

  /** What one check ran: the graphs, for assertions on the structure as well as the numbers. */
  record Checked(Graph described, Graph fused, String modelSource) {
    List<String> fusedGroups() {
      return fused.nodes().stream().map(n -> String.join("+", n.fusedFrom())).collect(Collectors.toList());
    }
  }

  /**
   * Compiles {@code test.<name>} (plus any blocks), runs {@code <name>_Model} at batch 1, 3 and 1 again on one
   * model (the arena grows and is reused), and compares each with the reference interpreter.
   */
  static Checked check(String name, String body, JavaFileObject... blocks) throws Exception {
    List<JavaFileObject> files = new ArrayList<>(List.of(blocks));
    files.add(0, source(name, body));
    Compilation c = Compile.succeeded(files.toArray(JavaFileObject[]::new));
    Class<?> model = Compile.classLoader(c).loadClass("test." + name + "_Model");
    Graph described = (Graph) model.getField("GRAPH").get(null);
    Graph fused = (Graph) model.getField("FUSED").get(null);
    Weights weights = new SyntheticWeights();
    ReferenceInterpreter reference = new ReferenceInterpreter(described, weights);
    Random random = new Random(name.hashCode());
    // twice: with the Vector API convolutions, in slices of 2 images (batch 3 runs as 2 + 1); and the plain-Java
    // kernels on whole batches
    for (boolean vector : new boolean[] {true, false}) {
      System.setProperty("netc.vector", Boolean.toString(vector));
      System.setProperty("netc.microBatch", vector ? "2" : "1000");
      try (Model m = (Model) model.getMethod("load", Weights.class).invoke(null, weights)) {
        assertThat(m.inputShape()).isEqualTo(described.inputShape());
        assertThat(m.outputShape()).isEqualTo(described.outputShape());
        for (int batch : new int[] {1, 3, 1}) {
          float[] input = new float[batch * described.inputShape().size()];
          for (int i = 0; i < input.length; i++) input[i] = random.nextFloat() * 2 - 1;
          float[] expected = reference.run(input, batch);
          float[] actual = m.forward(input, batch);
          compare(name + " at batch " + batch + " on " + m.backend(), expected, actual);
        }
      } finally {
        System.clearProperty("netc.vector");
        System.clearProperty("netc.microBatch");
      }
    }
    String source = c.generatedSourceFile("test." + name + "_Model").orElseThrow().getCharContent(true).toString();
    return new Checked(described, fused, source);
  }

  static void compare(String what, float[] expected, float[] actual) {
    assertWithMessage(what + ": output length").that(actual.length).isEqualTo(expected.length);
    double scale = 0;
    for (float e : expected) scale = Math.max(scale, Math.abs(e));
    assertWithMessage(what + ": the reference output is all zeros, so the comparison proves nothing")
        .that(scale).isGreaterThan(0.0);
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs((double) expected[i] - actual[i]);
      if (Double.isNaN(actual[i]) || d > worst) {
        worst = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : d;
        at = i;
      }
    }
    if (worst > TOLERANCE * scale) {
      throw new AssertionError(String.format("%s: |expected - actual| = %.3g at %d (expected %s, got %s), above %.1g"
          + " x max |output| %.3g", what, worst, at, expected[at], actual[at], TOLERANCE, scale));
    }
  }

  /** A network {@code name} of {@code c x h x w} images whose class body is {@code fields}. */
  static String net(String name, int c, int h, int w, String fields) {
    return "@Network\n@Input(channels = " + c + ", height = " + h + ", width = " + w + ")\npublic final class "
        + name + " {\n" + fields + "}\n";
  }

  // --- convolution -------------------------------------------------------------------------------------------

  @Test
  void convolutionWithGroupsStridesAndPadding() throws Exception {
    Checked r = check("Groups", net("Groups", 4, 12, 10, """
          @Conv(filters = 6, kernel = 3, stride = 2, padding = 1, groups = 2) Layer conv1;
          @Conv(filters = 9, kernel = 3, padding = 1, groups = 3, bias = false) Layer conv2;
          @Conv(filters = 9, kernel = 3, stride = {1, 2}, padding = {2, 1}, groups = 9) Layer depthwise;
          @Conv(filters = 4, kernel = {2, 3}, stride = {2, 1}, groups = 1) Layer conv3;
        """));
    assertThat(r.fused().outputShape().toString()).isEqualTo("4x4x1");
  }

  @Test
  void nonSquareKernelsAndReductionsNotAMultipleOfFour() throws Exception {
    // K = 3*3*3 = 27, 5*1*7 = 35, 5*7*1 = 35, 5*5*5 = 125, 7*1*1 = 7
    check("Kernels", net("Kernels", 3, 9, 11, """
          @Conv(filters = 5, kernel = 3, padding = 1) @Relu Layer conv1;
          @Conv(filters = 5, kernel = {1, 7}, padding = {0, 3}) Layer conv1x7;
          @Conv(filters = 5, kernel = {7, 1}, padding = {3, 0}) Layer conv7x1;
          @Conv(filters = 7, kernel = 5, padding = 2, stride = 2) Layer conv5;
          @Conv(filters = 3, kernel = 1, bias = false) Layer conv1x1;
        """));
  }

  @Test
  void convolutionOverSeveralTilesAndFilterChunks() throws Exception {
    // 13 x 17 = 221 positions: one full tile of 128 and a partial one; 37 filters split into chunks.
    check("Tiles", net("Tiles", 3, 13, 17, """
          @Conv(filters = 37, kernel = 3, padding = 1) @Relu Layer conv1;
          @Conv(filters = 5, kernel = 1) Layer conv2;
        """));
  }

  @Test
  void convolutionWithALargeReductionUsesNarrowTiles() throws Exception {
    // K = 72 * 5 * 5 = 1800: the tile narrows to 64 positions; 11 x 13 = 143 of them.
    check("WideK", net("WideK", 72, 11, 13, """
          @Conv(filters = 20, kernel = 5, padding = 2) @Relu Layer conv1;
        """));
  }

  @Test
  void winogradConvolutionsWithWholeAndPartialTilesAndAResidual() throws Exception {
    // 3x3 layers with 16+ channels and filters run as Winograd tiles on the Vector API: a 13x11 map leaves
    // partial tiles at the bottom and the right; the residual add and the activation join the epilogue
    Checked r = check("Wino", net("Wino", 16, 13, 11, """
          @Conv(filters = 24, kernel = 3, padding = 1) @LeakyRelu(slope = 0.1) Layer conv1;
          @Conv(filters = 16, kernel = 3, padding = 1) Layer conv2;
          @From({"conv2", "input"}) @Add @Relu Layer sum;
          @Conv(filters = 20, kernel = 5, padding = 2) @Tanh Layer conv3;
        """));
    assertThat(r.modelSource()).contains("private void conv1ConvWinograd(");
    assertThat(r.modelSource()).contains("private void sumConvWinograd("); // conv2 with the add and ReLU
    assertThat(r.modelSource()).contains("private void conv3ConvWinograd(");
    assertThat(r.modelSource()).contains("a whole tile, written out");
  }

  @Test
  void stridedConvolutionsAsWinogradOverTheInputSpaceToDepth() throws Exception {
    // 11x11 stride 4 over 4 channels is a 3x3 over 64; 5x5 stride 2 with groups, on an 8x9 map whose padded width
    // the stride does not divide, is a 3x3 over 16 x 4 channels per group
    Checked r = check("Strided", net("Strided", 4, 35, 39, """
          @Conv(filters = 16, kernel = 11, stride = 4, padding = 2) @Relu Layer conv1;
          @Conv(filters = 32, kernel = 1) Layer mix;
          @Conv(filters = 32, kernel = 5, stride = 2, padding = 1, groups = 2) @Tanh Layer conv2;
        """));
    assertThat(r.modelSource()).contains("SpaceToDepth.band(a, n * 5460 + g * 5460, 4, 35, 39, 2, 4,");
    assertThat(r.modelSource()).contains("SpaceToDepth.band(a, n * 2304 + g * 1152, 16, 8, 9, 1, 2,");
  }

  // --- activations ----------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"@Relu", "@LeakyRelu(slope = 0.2)", "@Elu(alpha = 0.5)", "@Selu", "@Tanh", "@Sigmoid"})
  void activationFusedIntoConvolutionAndDense(String activation) throws Exception {
    Checked r = check("Fused", net("Fused", 3, 7, 7,
        "  @Conv(filters = 6, kernel = 3, padding = 1) " + activation + " Layer conv1;\n"
        + "  @Dense(units = 7) " + activation + " Layer fc1;\n"
        + "  @Dense(units = 5) Layer fc2;\n"));
    assertThat(r.fused().nodes()).hasSize(4);
    assertThat(r.fusedGroups()).contains("conv1/conv+conv1");
    assertThat(r.fusedGroups()).contains("fc1/dense+fc1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"@Relu", "@LeakyRelu(slope = 0.2)", "@Elu(alpha = 0.5)", "@Selu", "@Tanh", "@Sigmoid"})
  void standaloneActivation(String activation) throws Exception {
    // after @Add, on the input itself and after a pool: no producer to fuse into (the add's operands are no
    // convolutions, which would take the add and the activation into their epilogue)
    Checked r = check("Alone", net("Alone", 4, 6, 6,
        "  " + activation + " Layer first;\n"
        + "  @Conv(filters = 4, kernel = 3, padding = 1) Layer a;\n"
        + "  @MaxPool(window = 3, stride = 1, padding = 1) Layer b;\n"
        + "  @From({\"b\", \"first\"}) @Add " + activation + " Layer sum;\n"
        + "  @MaxPool(window = 2) " + activation + " Layer pooled;\n"));
    assertThat(r.fused().nodes()).hasSize(r.described().nodes().size());
  }

  // --- LRN and pooling ------------------------------------------------------------------------------------------

  @Test
  void lrnFusedWithMaxPoolPaperConvention() throws Exception {
    Checked r = check("LrnMax", net("LrnMax", 3, 11, 11, """
          @Conv(filters = 7, kernel = 3, padding = 1) @Relu @Lrn(alpha = 0.05) @MaxPool(window = 3, stride = 2)
          Layer conv1;
          @Conv(filters = 3, kernel = 1) Layer conv2;
        """));
    assertThat(r.fusedGroups()).contains("conv1/lrn+conv1");
  }

  @Test
  void lrnFusedWithAvgPoolPerSizeConventionAndAnotherBeta() throws Exception {
    Checked r = check("LrnAvg", net("LrnAvg", 3, 10, 9, """
          @Conv(filters = 6, kernel = 3) @Relu
          @Lrn(size = 3, alpha = 0.3, beta = 0.5, k = 1, convention = Lrn.Convention.PER_SIZE)
          @AvgPool(window = 2, stride = 2, ceil = true)
          Layer conv1;
          @Conv(filters = 3, kernel = 1) Layer conv2;
        """));
    assertThat(r.fusedGroups()).contains("conv1/lrn+conv1");
  }

  @Test
  void lrnFusedWithPaddedCeilModePool() throws Exception {
    check("LrnCeil", net("LrnCeil", 2, 9, 8, """
          @Conv(filters = 9, kernel = 3, padding = 1) @Tanh
          @Lrn(size = 7, alpha = 0.1, beta = 1.25, k = 1.5) @MaxPool(window = 3, stride = 2, padding = 1, ceil = true)
          Layer conv1;
        """));
  }

  @Test
  void lrnAlone() throws Exception {
    Checked r = check("LrnOnly", net("LrnOnly", 6, 5, 7, """
          @Lrn(size = 5, alpha = 0.2, beta = 0.75, k = 2) Layer norm1;
          @Conv(filters = 4, kernel = 3) Layer conv1;
          @Lrn(size = 3, alpha = 0.02, beta = 1.5, k = 1, convention = Lrn.Convention.PER_SIZE) Layer norm2;
        """));
    assertThat(r.fused().nodes()).hasSize(4);
  }

  @Test
  void maxAndAveragePoolsIncludingCeilModeAndPadding() throws Exception {
    check("Pools", net("Pools", 3, 13, 11, """
          @MaxPool(window = 3, stride = 2, padding = 1, ceil = true) Layer pool1;
          @AvgPool(window = 3, stride = 2, padding = 1, ceil = true, countIncludePad = false) Layer pool2;
          @Conv(filters = 4, kernel = 1) Layer conv1;
          @AvgPool(window = {2, 3}, stride = {1, 2}, padding = {1, 1}) Layer pool3;
          @MaxPool(window = {2, 1}, stride = 1) Layer pool4;
        """));
  }

  @Test
  void ceilModeDropsAWindowThatWouldStartInThePadding() throws Exception {
    // 5 + 2 x 1 = 7, window 2, stride 2: ceil((7 - 2) / 2) + 1 = 4 windows, but the last starts at 6 in the
    // right padding, so 3.
    Checked r = check("CeilDrop", net("CeilDrop", 2, 5, 5, """
          @MaxPool(window = 2, stride = 2, padding = 1, ceil = true) Layer pool1;
          @From("input") @AvgPool(window = 2, stride = 2, padding = 1, ceil = true, countIncludePad = false) Layer pool2;
          @From({"pool1", "pool2"}) @Concat Layer both;
        """));
    assertThat(r.described().node("pool1").shape().toString()).isEqualTo("2x3x3");
  }

  @Test
  void maxPoolsInTheEpilogueOfTheWideVectorKernel() throws Exception {
    // 33 rows: tiles of 8 rows, the last tile's row is left over by the floor-mode pool; 30 columns, 15 windows
    Checked r = check("WidePooled", net("WidePooled", 3, 33, 30, """
          @Conv(filters = 6, kernel = 3, padding = 1) @Tanh @MaxPool(window = 2) Layer conv1;
          @Conv(filters = 5, kernel = 3, padding = 1) @LeakyRelu(slope = 0.1) @MaxPool(window = 3) Layer conv2;
          @Conv(filters = 3, kernel = 3, padding = 1) @Dropout @MaxPool(window = {1, 2}) Layer conv3;
        """));
    assertThat(r.modelSource()).contains("its epilogue computes conv1 (maxpool 2x2 s2");
    // conv2's 16x15 map runs in tiles of 15 rows, a multiple of its 3x3 windows' height
    assertThat(r.modelSource()).contains("its epilogue computes conv2 (maxpool 3x3 s3");
    assertThat(r.modelSource()).contains("its epilogue computes conv3 (maxpool 1x2 s1x2");
    assertThat(r.modelSource()).contains("if (!vector) conv1Pool(batch)");
  }

  @Test
  void maxPoolsInTheEpilogueOfTheLaneVectorKernelWithGroups() throws Exception {
    // a 5x5 kernel on a 9x9 map and a 1x1 kernel on a 2x2 one: the wide kernel would waste too much, so filters
    // go across lanes; conv1's 5x5 output leaves a row and a column out of the floor-mode pool
    Checked r = check("LanePooled", net("LanePooled", 4, 9, 9, """
          @Conv(filters = 24, kernel = 5, groups = 2) @Relu @MaxPool(window = 2) Layer conv1;
          @Conv(filters = 16, kernel = 1) @Sigmoid @MaxPool(window = 2) Layer conv2;
        """));
    assertThat(r.modelSource()).contains("16 filters per block; its epilogue computes conv1 (maxpool 2x2 s2");
    assertThat(r.modelSource()).contains("16 filters per block; its epilogue computes conv2 (maxpool 2x2 s2");
  }

  @Test
  void filtersAcrossLanesInBlocksOf32() throws Exception {
    // 64 and 2 x 32 filters: register tiles of 6 positions by 32 filters; 9x8 and 5x4 outputs are no whole tiles
    Checked r = check("Lanes32", net("Lanes32", 3, 17, 15, """
          @Conv(filters = 64, kernel = 3, stride = 2, padding = 1) @Relu Layer conv1;
          @Conv(filters = 64, kernel = 3, stride = 2, padding = 1, groups = 2) @Elu Layer conv2;
        """));
    assertThat(r.modelSource()).contains("conv1 on the Vector API, filters across lanes: 9 output rows per task, 32 filters");
    assertThat(r.modelSource()).contains("LaneConv.sums32(pin, 0, conv2ConvTaps");
  }

  @Test
  void poolsThatCannotJoinTheEpilogueRunOnTheirOwn() throws Exception {
    // overlapping windows, a padded pool, a second reader of the convolution's output
    Checked r = check("NotPooled", net("NotPooled", 3, 12, 12, """
          @Conv(filters = 4, kernel = 3, padding = 1) @Relu @MaxPool(window = 3, stride = 2) Layer conv1;
          @Conv(filters = 4, kernel = 3, padding = 1) @Relu @MaxPool(window = 2, padding = 1) Layer conv2;
          @Conv(filters = 4, kernel = 3, padding = 1) @Relu Layer conv3;
          @From("conv3") @AvgPool(window = 2) Layer avg;
          @From("conv3") @MaxPool(window = 2) Layer max;
          @From({"avg", "max"}) @Add Layer sum;
        """));
    assertThat(r.modelSource()).doesNotContain("its epilogue computes");
  }

  @Test
  void globalAndAdaptiveAveragePools() throws Exception {
    check("Adaptive", net("Adaptive", 3, 7, 5, """
          @Conv(filters = 4, kernel = 1) Layer conv1;
          @AdaptiveAvgPool(height = 3, width = 2) Layer down;
          @AdaptiveAvgPool(height = 5, width = 4) Layer up;
          @AdaptiveAvgPool(height = 5, width = 4) Layer same;
          @From("conv1") @GlobalAvgPool Layer global;
          @From({"same", "up"}) @Add Layer sum;
          @Dense(units = 4) Layer fc;
          @From({"global", "fc"}) @Concat Layer out;
        """));
  }

  // --- dense, softmax, batch norm ---------------------------------------------------------------------------------

  @Test
  void denseWithAndWithoutBiasAndSoftmax() throws Exception {
    Checked r = check("Mlp", net("Mlp", 3, 5, 6, """
          @Conv(filters = 5, kernel = 3) @Relu @MaxPool(window = 2) Layer conv1;
          @Dense(units = 13) @Dropout @Relu Layer fc1;
          @Dense(units = 7, bias = false) @Relu @Dropout(rate = 0.2) Layer fc2;
          @Dense(units = 5) @Softmax Layer fc3;
        """));
    assertThat(r.fusedGroups()).contains("fc3/dense+fc3");
    assertThat(r.fused().nodes()).hasSize(6); // input, conv+relu, pool, fc1, fc2, fc3: dropouts gone
  }

  @Test
  void softmaxOfADenseLayerReadTwiceStaysStandalone() throws Exception {
    Checked r = check("Logits", net("Logits", 2, 3, 3, """
          @Dense(units = 6, bias = false) Layer logits;
          @Softmax Layer probs;
          @From({"logits", "probs"}) @Add Layer out;
        """));
    assertThat(r.fused().nodes()).hasSize(4);
  }

  @Test
  void spatialSoftmaxAcrossChannels() throws Exception {
    check("Heat", net("Heat", 3, 6, 7, """
          @Conv(filters = 5, kernel = 3, padding = 1) @Softmax Layer heat;
        """));
  }

  @Test
  void batchNormStandaloneAndAfterConvolution() throws Exception {
    check("Norms", net("Norms", 3, 6, 6, """
          @BatchNorm Layer norm0;
          @Conv(filters = 6, kernel = 3, padding = 1, bias = false) @BatchNorm @Relu Layer conv1;
          @BatchNorm(eps = 0.1, name = "extra") Layer norm2;
          @Dense(units = 4) @BatchNorm Layer fc;
        """));
  }

  // --- merging and blocks ----------------------------------------------------------------------------------------

  @Test
  void concatOfBranchesAndResidualAdd() throws Exception {
    check("Branches", net("Branches", 4, 9, 9, """
          @Conv(filters = 8, kernel = 3, padding = 1) @Relu Layer stem;
          @Conv(filters = 3, kernel = 1) @Relu Layer b1;
          @From("stem") @Conv(filters = 2, kernel = 1) @Relu Layer b2a;
          @Conv(filters = 4, kernel = 3, padding = 1) @Relu Layer b2b;
          @From("stem") @MaxPool(window = 3, stride = 1, padding = 1) @Conv(filters = 1, kernel = 1) Layer b3;
          @From({"b1", "b2b", "b3"}) @Concat Layer joined;
          @From({"joined", "stem"}) @Add @Relu Layer residual;
          @MaxPool(window = 2) Layer pool;
        """));
  }

  @Test
  void resNetLikeBlocksWithProjectionAndStride() throws Exception {
    JavaFileObject basic = source("Basic", """
        @Block(params = {"planes", "stride"})
        final class Basic {
          @Conv(kernel = 3, padding = 1, bias = false,
              bind = {"filters = planes", "stride = index == 0 ? stride : 1"})
          @BatchNorm(name = "bn1") @Relu
          Layer conv1;

          @Conv(kernel = 3, padding = 1, bias = false, bind = "filters = planes")
          @BatchNorm(name = "bn2")
          Layer conv2;

          @When("index == 0 && (stride != 1 || planes != 8)")
          @From("in")
          @Conv(kernel = 1, bias = false, name = "downsample.0", bind = {"filters = planes", "stride = stride"})
          @BatchNorm(name = "downsample.1")
          Layer downsample;

          @From({"conv2", "downsample"}) @Add @Relu
          Layer out;
        }
        """);
    Checked r = check("TinyResNet", net("TinyResNet", 3, 12, 12, """
          @Conv(filters = 8, kernel = 3, padding = 1, bias = false) @BatchNorm(name = "bn1") @Relu Layer conv1;
          @Use(value = Basic.class, args = {8, 1}, repeat = 2) Layer layer1;
          @Use(value = Basic.class, args = {16, 2}, repeat = 2) Layer layer2;
          @GlobalAvgPool Layer avgpool;
          @Dense(units = 10) Layer fc;
        """), basic);
    List<String> names = r.described().nodes().stream().map(Node::name).collect(Collectors.toList());
    assertThat(names).contains("layer2.0.downsample");
    assertThat(names).doesNotContain("layer1.0.downsample"); // 8 -> 8 at stride 1: no projection
    assertThat(names).doesNotContain("layer2.1.downsample");
    assertThat(r.described().node("layer2.1.out").shape().toString()).isEqualTo("16x6x6");
    assertThat(r.described().weights().stream().map(w -> w.name()).collect(Collectors.toList()))
        .containsAtLeast("layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var", "layer1.1.bn2.weight");
  }

  @Test
  void outputOtherThanTheLastField() throws Exception {
    check("EarlyOut", "@Network(output = \"sum\")\n@Input(channels = 2, height = 4, width = 4)\n"
        + "public final class EarlyOut {\n"
        + "  @Conv(filters = 2, kernel = 3, padding = 1) Layer a;\n"
        + "  @From({\"a\", \"input\"}) @Add @Relu Layer sum;\n"
        + "}\n");
  }
}
