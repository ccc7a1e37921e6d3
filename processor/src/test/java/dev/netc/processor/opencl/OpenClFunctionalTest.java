package dev.netc.processor.opencl;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.netc.processor.opencl.ClCompile.net;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import dev.netc.graph.Graph;
import dev.netc.runtime.Model;
import dev.netc.runtime.NetcException;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SafeTensorsWriter;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.opencl.ClDevice;
import dev.netc.runtime.opencl.ClSession;
import dev.netc.runtime.opencl.KernelVariant;
import dev.netc.runtime.opencl.OpenClModel;
import dev.netc.runtime.opencl.OpenCl;
import dev.netc.runtime.opencl.OpenClTests;
import dev.netc.runtime.reference.ReferenceInterpreter;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compiles networks in memory, runs the generated {@code <Name>_OpenClModel} on an OpenCL device (PoCL on a
 * CPU here) at batch 1, 3 and 1 again, and compares it with the reference interpreter on the described graph
 * and with the Java backend: every OpenCL kernel and every fusion against the oracle.
 *
 * <p>Without OpenCL the tests are skipped with a loud line on stderr, except under {@code CI=true}, where a
 * missing OpenCL is a failure (CI must run them).
 */
class OpenClFunctionalTest {
  /** Float32 accumulation over a few hundred terms, relative to the output's magnitude. */
  private static final double TOLERANCE = 1e-4;

  private static ClDevice device;
  /** One binary cache for the whole class, so the tests never write to the user's cache. */
  @TempDir static Path cache;

  @BeforeAll
  static void openClOrSkip() {
    device = OpenClTests.device(); // skips loudly without OpenCL, fails under CI=true
  }

  /** A model's classes, loaded from one in-memory compilation. */
  record Compiled(Class<?> java, Class<?> openCl, Graph described) {
    Model loadOpenCl(Weights weights) throws Exception {
      return invoke(openCl.getMethod("load", Weights.class, ClSession.class), weights, ClSession.open(device, cache));
    }

    /** Loads with the kernels of {@code variant}, whatever the device's type. */
    Model loadOpenCl(Weights weights, KernelVariant variant) throws Exception {
      String old = System.setProperty(VARIANT_PROPERTY, variant.id());
      try {
        Model m = loadOpenCl(weights);
        assertThat(((OpenClModel) m).kernelVariant()).isEqualTo(variant);
        return m;
      } finally {
        if (old == null) System.clearProperty(VARIANT_PROPERTY);
        else System.setProperty(VARIANT_PROPERTY, old);
      }
    }

    Model loadJava(Weights weights) throws Exception {
      return invoke(java.getMethod("load", Weights.class, int.class), weights, 2);
    }
  }

  static Model invoke(java.lang.reflect.Method m, Object... args) throws Exception {
    try {
      return (Model) m.invoke(null, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception x) throw x;
      throw e;
    }
  }

  static Compiled compile(String name, JavaFileObject... sources) throws Exception {
    Compilation c = ClCompile.succeeded(sources);
    ClassLoader loader = ClCompile.classLoader(c);
    Class<?> java = loader.loadClass("test." + name + "_Model");
    return new Compiled(java, loader.loadClass("test." + name + "_OpenClModel"), (Graph) java.getField("GRAPH").get(null));
  }

  static final String VARIANT_PROPERTY = "netc.opencl.variant";

  /**
   * Compiles {@code test.<name>} (plus any blocks) and runs its OpenCL model, with each kernel variant, at batch
   * 1, 6, 21 and 1 (the arena grows and is reused; 6 and 21 also take the dense kernels' paths for blocks of four
   * images, groups of sixteen and the single images after them) against the reference interpreter and the Java
   * backend.
   */
  static Compiled check(String name, String fields, int c, int h, int w, JavaFileObject... blocks) throws Exception {
    List<JavaFileObject> files = new ArrayList<>(List.of(blocks));
    files.add(0, net(name, c, h, w, fields));
    Compiled compiled = compile(name, files.toArray(JavaFileObject[]::new));
    Graph described = compiled.described();
    Weights weights = new SyntheticWeights();
    ReferenceInterpreter reference = new ReferenceInterpreter(described, weights);
    Random random = new Random(name.hashCode());
    for (KernelVariant variant : KernelVariant.values()) {
      try (Model cl = compiled.loadOpenCl(weights, variant); Model java = compiled.loadJava(weights)) {
        assertThat(cl.inputShape()).isEqualTo(described.inputShape());
        assertThat(cl.outputShape()).isEqualTo(described.outputShape());
        String what = name + " (" + variant.id() + " kernels)";
        for (int batch : new int[] {1, 6, 21, 1}) {
          float[] input = new float[batch * described.inputShape().size()];
          for (int i = 0; i < input.length; i++) input[i] = random.nextFloat() * 2 - 1;
          float[] actual = cl.forward(input, batch);
          compare(what + " at batch " + batch + " against the reference", reference.run(input, batch), actual);
          compare(what + " at batch " + batch + " against the Java backend", java.forward(input, batch), actual);
        }
      }
    }
    return compiled;
  }

  static void compare(String what, float[] expected, float[] actual) {
    assertWithMessage(what + ": output length").that(actual.length).isEqualTo(expected.length);
    double scale = 0;
    for (float e : expected) scale = Math.max(scale, Math.abs(e));
    assertWithMessage(what + ": the expected output is all zeros, so the comparison proves nothing")
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

  // --- convolution -------------------------------------------------------------------------------------------

  @Test
  void convolutionWithGroupsStridesAndPadding() throws Exception {
    check("Groups", """
          @Conv(filters = 6, kernel = 3, stride = 2, padding = 1, groups = 2) Layer conv1;
          @Conv(filters = 9, kernel = 3, padding = 1, groups = 3, bias = false) Layer conv2;
          @Conv(filters = 9, kernel = 3, stride = {1, 2}, padding = {2, 1}, groups = 9) Layer depthwise;
          @Conv(filters = 4, kernel = {2, 3}, stride = {2, 1}, groups = 1) Layer conv3;
        """, 4, 12, 10);
  }

  @Test
  void nonSquareKernelsAndPaddingInOneDirection() throws Exception {
    check("Kernels", """
          @Conv(filters = 5, kernel = 3, padding = 1) @Relu Layer conv1;
          @Conv(filters = 5, kernel = {1, 7}, padding = {0, 3}) Layer conv1x7;
          @Conv(filters = 5, kernel = {7, 1}, padding = {3, 0}) Layer conv7x1;
          @Conv(filters = 7, kernel = 5, padding = 2, stride = 2) Layer conv5;
          @Conv(filters = 3, kernel = 1, bias = false) Layer conv1x1;
        """, 3, 9, 11);
  }

  @Test
  void convolutionOverMoreThanOneWorkGroupWithARoundedUpTail() throws Exception {
    // 13 x 17 = 221 positions: four work-groups of 64, the last one partly past the end
    check("Tiles", """
          @Conv(filters = 37, kernel = 3, padding = 1) @Relu Layer conv1;
          @Conv(filters = 5, kernel = 5, stride = 3) Layer conv2;
        """, 3, 13, 17);
  }

  // --- activations ----------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"@Relu", "@LeakyRelu(slope = 0.2)", "@Elu(alpha = 0.5)", "@Selu", "@Tanh", "@Sigmoid"})
  void activationFusedIntoConvolutionAndDense(String activation) throws Exception {
    check("Fused", "  @Conv(filters = 6, kernel = 3, padding = 1) " + activation + " Layer conv1;\n"
        + "  @Dense(units = 7) " + activation + " Layer fc1;\n"
        + "  @Dense(units = 5) Layer fc2;\n", 3, 7, 7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"@Relu", "@LeakyRelu(slope = 0.2)", "@Elu(alpha = 0.5)", "@Selu", "@Tanh", "@Sigmoid"})
  void standaloneActivation(String activation) throws Exception {
    check("Alone", "  " + activation + " Layer first;\n"
        + "  @Conv(filters = 4, kernel = 3, padding = 1) Layer a;\n"
        + "  @From(\"first\") @Conv(filters = 4, kernel = 1) Layer b;\n"
        + "  @From({\"a\", \"b\"}) @Add " + activation + " Layer sum;\n"
        + "  @MaxPool(window = 2) " + activation + " Layer pooled;\n", 4, 6, 6);
  }

  // --- LRN and pooling ------------------------------------------------------------------------------------------

  @Test
  void lrnFusedWithMaxPoolPaperConvention() throws Exception {
    check("LrnMax", """
          @Conv(filters = 7, kernel = 3, padding = 1) @Relu @Lrn(alpha = 0.05) @MaxPool(window = 3, stride = 2)
          Layer conv1;
          @Conv(filters = 3, kernel = 1) Layer conv2;
        """, 3, 11, 11);
  }

  @Test
  void lrnFusedWithAvgPoolPerSizeConventionAndBetaOneHalf() throws Exception {
    check("LrnAvg", """
          @Conv(filters = 6, kernel = 3) @Relu
          @Lrn(size = 3, alpha = 0.3, beta = 0.5, k = 1, convention = Lrn.Convention.PER_SIZE)
          @AvgPool(window = 2, stride = 2, ceil = true)
          Layer conv1;
          @Conv(filters = 3, kernel = 1) Layer conv2;
        """, 3, 10, 9);
  }

  @Test
  void lrnFusedWithPaddedCeilModePoolAndAGeneralBeta() throws Exception {
    check("LrnCeil", """
          @Conv(filters = 9, kernel = 3, padding = 1) @Tanh
          @Lrn(size = 7, alpha = 0.1, beta = 1.25, k = 1.5) @MaxPool(window = 3, stride = 2, padding = 1, ceil = true)
          Layer conv1;
        """, 2, 9, 8);
  }

  @Test
  void lrnAloneWithBetaOne() throws Exception {
    check("LrnOnly", """
          @Lrn(size = 5, alpha = 0.2, beta = 0.75, k = 2) Layer norm1;
          @Conv(filters = 4, kernel = 3) Layer conv1;
          @Lrn(size = 3, alpha = 0.02, beta = 1, k = 1, convention = Lrn.Convention.PER_SIZE) Layer norm2;
        """, 6, 5, 7);
  }

  @Test
  void maxAndAveragePoolsIncludingCeilModeAndPadding() throws Exception {
    check("Pools", """
          @MaxPool(window = 3, stride = 2, padding = 1, ceil = true) Layer pool1;
          @AvgPool(window = 3, stride = 2, padding = 1, ceil = true, countIncludePad = false) Layer pool2;
          @Conv(filters = 4, kernel = 1) Layer conv1;
          @AvgPool(window = {2, 3}, stride = {1, 2}, padding = {1, 1}) Layer pool3;
          @AvgPool(window = 3, stride = 2, padding = 1, ceil = true) Layer pool4;
          @MaxPool(window = {2, 1}, stride = 1) Layer pool5;
        """, 3, 13, 11);
  }

  @Test
  void poolsWhoseWindowsLieInsideTheInputTakeTheUnclampedPath() throws Exception {
    check("InsidePools", """
          @AvgPool(window = {2, 3}, stride = {2, 1}) Layer avg;
          @MaxPool(window = 3, stride = 2) Layer max;
          @Conv(filters = 4, kernel = 1) @Lrn(size = 3, alpha = 0.5, beta = 0.75, k = 1) @MaxPool(window = 2) Layer lrn;
        """, 3, 11, 12);
  }

  @Test
  void ceilModeDropsAWindowThatWouldStartInThePadding() throws Exception {
    check("CeilDrop", """
          @MaxPool(window = 2, stride = 2, padding = 1, ceil = true) Layer pool1;
          @From("input") @AvgPool(window = 2, stride = 2, padding = 1, ceil = true, countIncludePad = false) Layer pool2;
          @From({"pool1", "pool2"}) @Concat Layer both;
        """, 2, 5, 5);
  }

  @Test
  void maxPoolingPropagatesNaNLikeTheJavaBackend() throws Exception {
    Compiled compiled = compile("NaNs", net("NaNs", 1, 4, 4, """
          @MaxPool(window = 2) Layer pool;
        """));
    float[] input = new float[16];
    for (int i = 0; i < 16; i++) input[i] = i;
    input[5] = Float.NaN; // in the top-left window, after the window's first value
    Weights weights = new SyntheticWeights();
    try (Model cl = compiled.loadOpenCl(weights); Model java = compiled.loadJava(weights)) {
      float[] expected = java.forward(input, 1);
      float[] actual = cl.forward(input, 1);
      assertThat(Float.isNaN(expected[0])).isTrue();
      assertThat(Float.isNaN(actual[0])).isTrue();
      for (int i = 1; i < 4; i++) assertThat(actual[i]).isEqualTo(expected[i]);
    }
  }

  @Test
  void globalAndAdaptiveAveragePools() throws Exception {
    check("Adaptive", """
          @Conv(filters = 4, kernel = 1) Layer conv1;
          @AdaptiveAvgPool(height = 3, width = 2) Layer down;
          @AdaptiveAvgPool(height = 5, width = 4) Layer up;
          @AdaptiveAvgPool(height = 5, width = 4) Layer same;
          @From("conv1") @GlobalAvgPool Layer global;
          @From({"same", "up"}) @Add Layer sum;
          @Dense(units = 4) Layer fc;
          @From({"global", "fc"}) @Concat Layer out;
        """, 3, 7, 5);
  }

  // --- dense, softmax, batch norm ---------------------------------------------------------------------------------

  @Test
  void denseWithAndWithoutBiasAndSoftmax() throws Exception {
    check("Mlp", """
          @Conv(filters = 5, kernel = 3) @Relu @MaxPool(window = 2) Layer conv1;
          @Dense(units = 130) @Dropout @Relu Layer fc1;
          @Dense(units = 7, bias = false) @Relu @Dropout(rate = 0.2) Layer fc2;
          @Dense(units = 5) @Softmax Layer fc3;
        """, 3, 5, 6);
  }

  @Test
  void softmaxOfADenseLayerReadTwiceStaysStandalone() throws Exception {
    check("Logits", """
          @Dense(units = 6, bias = false) Layer logits;
          @Softmax Layer probs;
          @From({"logits", "probs"}) @Add Layer out;
        """, 2, 3, 3);
  }

  @Test
  void spatialSoftmaxAcrossChannels() throws Exception {
    check("Heat", """
          @Conv(filters = 5, kernel = 3, padding = 1) @Softmax Layer heat;
        """, 3, 6, 7);
  }

  @Test
  void batchNormStandaloneAndAfterConvolution() throws Exception {
    check("Norms", """
          @BatchNorm Layer norm0;
          @Conv(filters = 6, kernel = 3, padding = 1, bias = false) @BatchNorm @Relu Layer conv1;
          @BatchNorm(eps = 0.1, name = "extra") Layer norm2;
          @Dense(units = 4) @BatchNorm Layer fc;
        """, 3, 6, 6);
  }

  // --- merging, blocks, whole networks --------------------------------------------------------------------------

  @Test
  void concatOfBranchesAndResidualAdd() throws Exception {
    check("Branches", """
          @Conv(filters = 8, kernel = 3, padding = 1) @Relu Layer stem;
          @Conv(filters = 3, kernel = 1) @Relu Layer b1;
          @From("stem") @Conv(filters = 2, kernel = 1) @Relu Layer b2a;
          @Conv(filters = 4, kernel = 3, padding = 1) @Relu Layer b2b;
          @From("stem") @MaxPool(window = 3, stride = 1, padding = 1) @Conv(filters = 1, kernel = 1) Layer b3;
          @From({"b1", "b2b", "b3"}) @Concat Layer joined;
          @From({"joined", "stem"}) @Add @Relu Layer residual;
          @MaxPool(window = 2) Layer pool;
        """, 4, 9, 9);
  }

  @Test
  void resNetLikeBlocksWithProjectionAndStride() throws Exception {
    JavaFileObject basic = ClCompile.source("Basic", """
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
    check("TinyResNet", """
          @Conv(filters = 8, kernel = 3, padding = 1, bias = false) @BatchNorm(name = "bn1") @Relu Layer conv1;
          @Use(value = Basic.class, args = {8, 1}, repeat = 2) Layer layer1;
          @Use(value = Basic.class, args = {16, 2}, repeat = 2) Layer layer2;
          @GlobalAvgPool Layer avgpool;
          @Dense(units = 10) Layer fc;
        """, 3, 12, 12, basic);
  }

  @Test
  void outputOtherThanTheLastField() throws Exception {
    Compiled compiled = compile("EarlyOut", ClCompile.source("EarlyOut", "@Network(output = \"sum\")\n"
        + "@Input(channels = 2, height = 4, width = 4)\npublic final class EarlyOut {\n"
        + "  @Conv(filters = 2, kernel = 3, padding = 1) Layer a;\n"
        + "  @From({\"a\", \"input\"}) @Add @Relu Layer sum;\n"
        + "}\n"));
    Weights weights = new SyntheticWeights();
    float[] input = new float[32];
    for (int i = 0; i < input.length; i++) input[i] = (i % 7) / 3f - 1;
    try (Model cl = compiled.loadOpenCl(weights)) {
      compare("EarlyOut", new ReferenceInterpreter(compiled.described(), weights).run(input, 1), cl.forward(input, 1));
    }
  }

  @Test
  void everyKernelTogether() throws Exception {
    check("Everything", OpenClGenerationTest.EVERYTHING, 3, 16, 16);
  }

  // --- loading --------------------------------------------------------------------------------------------------

  @Test
  void loadOnTheDefaultDeviceOwnsItsSessionAndCloseReleasesEverything() throws Exception {
    Compiled compiled = compile("Owned", net("Owned", 2, 5, 5, """
          @Conv(filters = 3, kernel = 3) @BatchNorm @Relu Layer conv1;
          @Dense(units = 4) @Softmax Layer fc;
        """));
    int before = OpenCl.liveObjects();
    Model m = invoke(compiled.openCl().getMethod("load", Weights.class), new SyntheticWeights());
    assertThat(m.backend()).isNotEmpty();
    float[] out = m.forward(new float[50], 1);
    double sum = 0;
    for (float v : out) sum += v;
    assertThat(sum).isWithin(1e-5).of(1.0);
    m.close();
    assertThat(OpenCl.liveObjects()).isEqualTo(before);
    assertThrows(IllegalStateException.class, () -> m.forward(new float[50], 1));
  }

  @Test
  void loadFromASafetensorsFile(@TempDir Path dir) throws Exception {
    Compiled compiled = compile("FromFile", net("FromFile", 2, 4, 4, """
          @Conv(filters = 3, kernel = 3) @Relu Layer conv1;
          @Dense(units = 2) Layer fc;
        """));
    SyntheticWeights synthetic = new SyntheticWeights();
    SafeTensorsWriter writer = new SafeTensorsWriter();
    for (WeightSpec w : compiled.described().weights()) writer.put(w.name(), w.dims(), synthetic.get(w));
    Path file = dir.resolve("weights.safetensors");
    writer.write(file);
    float[] input = new float[32];
    for (int i = 0; i < input.length; i++) input[i] = i / 16f - 1;
    try (Model m = invoke(compiled.openCl().getMethod("load", Path.class), file)) {
      compare("FromFile", new ReferenceInterpreter(compiled.described(), synthetic).run(input, 1), m.forward(input, 1));
    }
  }

  @Test
  void aMissingProgramResourceIsAClearErrorAndClosesTheSession() throws Exception {
    Compilation c = ClCompile.succeeded(net("NoProgram", 1, 3, 3, """
          @Conv(filters = 1, kernel = 1) Layer conv1;
        """));
    ClassLoader withProgram = ClCompile.classLoader(c);
    ClassLoader withoutProgram = new ClassLoader(withProgram) {
      @Override
      public InputStream getResourceAsStream(String name) {
        return name.endsWith(".cl") ? null : super.getResourceAsStream(name);
      }

      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("test.")) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
          Class<?> done = findLoadedClass(name);
          if (done != null) return done;
          try (InputStream in = withProgram.getResourceAsStream(name.replace('.', '/') + ".class")) {
            byte[] b = in.readAllBytes();
            return defineClass(name, b, 0, b.length);
          } catch (java.io.IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
      }
    };
    Class<?> model = withoutProgram.loadClass("test.NoProgram_OpenClModel");
    ClSession session = ClSession.open(device, cache);
    NetcException e = assertThrows(NetcException.class,
        () -> invoke(model.getMethod("load", Weights.class, ClSession.class), new SyntheticWeights(), session));
    assertThat(e).hasMessageThat().contains("the OpenCL program NoProgram.cpu.cl is missing next to test.NoProgram_OpenClModel");
    assertThat(session.isClosed()).isTrue();
  }
}
