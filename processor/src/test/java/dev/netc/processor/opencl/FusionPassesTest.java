package dev.netc.processor.opencl;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.netc.processor.opencl.ClCompile.net;

import com.google.testing.compile.Compilation;
import dev.netc.graph.Add;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Concat;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.opencl.ClDevice;
import dev.netc.runtime.opencl.ClSession;
import dev.netc.runtime.opencl.KernelVariant;
import dev.netc.runtime.opencl.OpenClTests;
import dev.netc.runtime.reference.ReferenceInterpreter;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fusion passes end to end, on both backends: batch norm folded into convolution and dense layers, residual
 * add (+activation) in the convolution epilogue, copy-free concatenation (branches written into their channel
 * slices, nested, partly copied). Each network compiles in memory; its generated Java model and OpenCL model run
 * on random inputs at batch 1, 3 and 1 and are compared with the reference interpreter running the unfused,
 * described graph in double (batch norm unfolded, adds and concatenations as separate operations), within
 * float32 bounds: max |expected - actual| / max |expected| at most {@value #TOLERANCE}. Batch norms get running
 * statistics far from the identity, so a fold that forgot the mean or the variance fails.
 *
 * <p>The Java checks run everywhere; the OpenCL checks skip loudly without a device (fail under CI=true).
 */
class FusionPassesTest {
  private static final double TOLERANCE = 2e-5;

  @TempDir static Path cache;

  /** Synthetic weights whose batch norms have running statistics far from 0 and 1. */
  static final class Stats implements Weights {
    private final SyntheticWeights synthetic = new SyntheticWeights();

    @Override
    public float[] get(WeightSpec spec) {
      String name = spec.name();
      if (name.endsWith(".running_mean")) return SyntheticWeights.values(name, spec.dims(), 0.3, 0.8);
      if (name.endsWith(".running_var")) return SyntheticWeights.values(name, spec.dims(), 1.6, 1.4);
      if (name.endsWith(".weight") && spec.rank() == 1) return SyntheticWeights.values(name, spec.dims(), 0.5, 1.0);
      if (name.endsWith(".bias") && spec.rank() == 1) return SyntheticWeights.values(name, spec.dims(), 0.2, 0.5);
      return synthetic.get(spec);
    }

    @Override
    public boolean contains(String name) {
      return true;
    }

    @Override
    public String source() {
      return "synthetic weights with non-trivial batch norm statistics";
    }
  }

  /** What one check compiled: the graphs, the Java model's class and the OpenCL program. */
  record Checked(Graph described, Graph fused, Class<?> java, String program) {
    long count(Class<?> op) {
      return fused.nodes().stream().filter(n -> op.isInstance(n.op())).count();
    }

    List<String> javaMethods() {
      List<String> names = new ArrayList<>();
      for (Method m : java.getDeclaredMethods()) names.add(m.getName());
      return names;
    }
  }

  static Checked check(String name, String fields, int c, int h, int w) throws Exception {
    Compilation compilation = ClCompile.succeeded(net(name, c, h, w, fields));
    ClassLoader loader = ClCompile.classLoader(compilation);
    Class<?> java = loader.loadClass("test." + name + "_Model");
    Graph described = (Graph) java.getField("GRAPH").get(null);
    Graph fused = (Graph) java.getField("FUSED").get(null);
    String program = ClCompile.resource(compilation, name + ".cpu.cl").orElseThrow();
    Weights weights = new Stats();
    ReferenceInterpreter reference = new ReferenceInterpreter(described, weights);
    List<float[]> inputs = new ArrayList<>();
    Random random = new Random(name.hashCode());
    for (int batch : new int[] {1, 3, 1}) {
      float[] input = new float[batch * described.inputShape().size()];
      for (int i = 0; i < input.length; i++) input[i] = random.nextFloat() * 2 - 1;
      inputs.add(input);
    }
    try (Model m = (Model) java.getMethod("load", Weights.class, int.class).invoke(null, weights, 2)) {
      for (float[] input : inputs) {
        int batch = input.length / described.inputShape().size();
        compare(name + " (Java) at batch " + batch, reference.run(input, batch), m.forward(input, batch));
      }
    }
    Method load = loader.loadClass("test." + name + "_OpenClModel").getMethod("load", Weights.class, ClSession.class);
    // without OpenCL, device() skips the rest of the test loudly (fails under CI=true); the Java part has run
    ClDevice device = OpenClTests.device();
    for (KernelVariant variant : KernelVariant.values()) { // the fused epilogues exist in both kernel variants
      System.setProperty(OpenClFunctionalTest.VARIANT_PROPERTY, variant.id());
      try (Model m = OpenClFunctionalTest.invoke(load, weights, ClSession.open(device, cache))) {
        for (float[] input : inputs) {
          int batch = input.length / described.inputShape().size();
          compare(name + " (OpenCL, " + variant.id() + " kernels) at batch " + batch, reference.run(input, batch),
              m.forward(input, batch));
        }
      } finally {
        System.clearProperty(OpenClFunctionalTest.VARIANT_PROPERTY);
      }
    }
    return new Checked(described, fused, java, program);
  }

  static void compare(String what, float[] expected, float[] actual) {
    assertWithMessage(what + ": output length").that(actual.length).isEqualTo(expected.length);
    double scale = 0;
    for (float e : expected) scale = Math.max(scale, Math.abs(e));
    assertWithMessage(what + ": the expected output is all zeros, so the comparison proves nothing")
        .that(scale).isGreaterThan(0.0);
    double worst = 0;
    int at = 0;
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

  // --- batch norm folding --------------------------------------------------------------------------------------

  @Test
  void batchNormFoldsIntoConvolutionsAndDenseLayersAndStaysWhereNothingAbsorbsIt() throws Exception {
    Checked r = check("Fold", """
          @BatchNorm Layer first;
          @Conv(filters = 6, kernel = 3, padding = 1, bias = false) @BatchNorm @Relu Layer conv1;
          @Conv(filters = 8, kernel = 3, stride = 2, groups = 2) @BatchNorm(eps = 0.01) Layer conv2;
          @MaxPool(window = 2) @BatchNorm Layer pooled;
          @Conv(filters = 4, kernel = 1) Layer a;
          @BatchNorm Layer an;
          @From({"an", "a"}) @Add Layer sum;
          @Dense(units = 10) @BatchNorm @Relu Layer fc;
          @Dense(units = 7, bias = false) @BatchNorm(eps = 0.001) @Softmax Layer out;
        """, 3, 12, 11);
    // first (on the input), pooled (after a pool) and an (its conv is read twice) stay; four fold
    assertThat(r.count(BatchNorm.class)).isEqualTo(3);
    List<String> folded = new ArrayList<>();
    for (Node n : r.fused().nodes()) {
      if (n.op() instanceof Conv c && c.norm() != null) folded.add(c.norm().prefix());
      if (n.op() instanceof Dense d && d.norm() != null) folded.add(d.norm().prefix());
    }
    assertThat(folded).containsExactly("conv1.bn", "conv2.bn", "fc.bn", "out.bn").inOrder();
    assertThat(r.program()).contains("__kernel void first_batchnorm");
    assertThat(r.program()).doesNotContain("conv1_batchnorm");
  }

  // --- residual add --------------------------------------------------------------------------------------------

  @Test
  void residualAddsFuseIntoTheConvolutionProducingAnOperand() throws Exception {
    Checked r = check("Residual", """
          @Conv(filters = 8, kernel = 3, padding = 1, bias = false) @BatchNorm @Relu Layer stem;
          @Conv(filters = 8, kernel = 3, padding = 1, bias = false) @BatchNorm(name = "b1.bn1") @Relu Layer b1;
          @Conv(filters = 8, kernel = 3, padding = 1, bias = false) @BatchNorm(name = "b1.bn2") Layer b2;
          @From({"b2", "stem"}) @Add @Relu Layer block1;
          @Conv(filters = 12, kernel = 3, stride = 2, padding = 1) @Relu Layer c1;
          @Conv(filters = 12, kernel = 3, padding = 1) Layer c2;
          @From("block1") @Conv(filters = 12, kernel = 1, stride = 2, bias = false) @BatchNorm(name = "down.1")
          Layer down;
          @From({"c2", "down"}) @Add @Relu Layer block2;
          @From({"block2", "block2"}) @Add Layer twice;
          @From("block2") @Conv(filters = 12, kernel = 1) Layer e;
          @From({"e", "twice", "block2"}) @Add @Tanh Layer three;
          @Conv(filters = 5, kernel = 3) @Sigmoid Layer tail;
        """, 3, 11, 10);
    // block1 (identity shortcut) and block2 (projection: the later conv, down, takes it) fuse with their ReLU;
    // add(x, x) and the three-input add stay
    assertThat(r.count(Add.class)).isEqualTo(2);
    Node block1 = r.fused().node("block1");
    assertThat(block1.inputs()).containsExactly("b1", "stem").inOrder();
    assertThat(((Conv) block1.op()).residual()).isTrue();
    assertThat(((Conv) block1.op()).activation().isIdentity()).isFalse();
    Node block2 = r.fused().node("block2");
    assertThat(block2.inputs()).containsExactly("block1", "c2").inOrder();
    assertThat(block2.fusedFrom()).containsExactly("down/conv", "down", "block2/add", "block2").inOrder();
  }

  @Test
  void residualWithAnOddPlaneAndAConvolutionWrittenIntoAConcatSlice() throws Exception {
    // 7x7 planes leave a partial last vector in the OpenCL kernel: the residual must be gathered, not loaded past
    // the plane; the fused conv's output is a slice of the concatenation that is the network's output
    Checked r = check("ResidualSlice", """
          @Conv(filters = 32, kernel = 3, padding = 1) @Relu Layer stem;
          @Conv(filters = 32, kernel = 3, padding = 1, bias = false) @BatchNorm Layer body;
          @From({"stem", "body"}) @Add @Relu Layer sum;
          @From("stem") @Conv(filters = 3, kernel = 1) Layer side;
          @From({"side", "sum"}) @Concat Layer out;
        """, 2, 7, 7);
    assertThat(r.count(Add.class)).isEqualTo(0);
    assertThat(r.javaMethods()).doesNotContain("outConcat");
    assertThat(r.program()).doesNotContain("__kernel void out_concat");
  }

  // --- copy-free concatenation ---------------------------------------------------------------------------------

  @Test
  void concatenationsWriteBranchesInPlaceNestedAndCopyOnlyWhatCannotLiveInASlice() throws Exception {
    Checked r = check("Concats", """
          @Conv(filters = 6, kernel = 3, padding = 1) @Relu Layer stem;
          @From("stem") @Conv(filters = 4, kernel = 1) @Relu Layer b1;
          @From("stem") @Conv(filters = 3, kernel = 1) @Relu Layer b2r;
          @Conv(filters = 5, kernel = 3, padding = 1) @Relu Layer b2;
          @From("stem") @MaxPool(window = 3, stride = 1, padding = 1) @Conv(filters = 2, kernel = 1) Layer b3;
          @From({"b1", "b2", "b3"}) @Concat Layer joined;
          @Conv(filters = 4, kernel = 1) Layer c1;
          @From({"joined", "c1"}) @Concat Layer wide;
          @From("stem") @AvgPool(window = 3, stride = 1, padding = 1) Layer shared;
          @From({"input", "shared"}) @Concat Layer withInput;
          @From({"wide", "shared", "withInput"}) @Concat @Relu Layer all;
          @Conv(filters = 3, kernel = 1) Layer out;
        """, 3, 9, 8);
    assertThat(r.count(Concat.class)).isEqualTo(4);
    // joined, wide: every input in place (wide nests inside all); withInput copies the input and shared (which
    // feeds two concatenations); all copies shared
    assertThat(r.javaMethods()).containsNoneOf("joinedConcat", "wideConcat");
    assertThat(r.javaMethods()).containsAtLeast("withInputConcat", "allConcat");
    assertThat(r.program()).contains("joined: concat of b1, b2, b3: no kernel");
    assertThat(r.program()).contains("__kernel void all_concat");
  }

  @Test
  void aResidualConvolutionReadsItsOperandFromOneSliceAndWritesAnotherOfTheSameConcatenation() throws Exception {
    Checked r = check("ViewResidual", """
          @Conv(filters = 4, kernel = 3, padding = 1) @Relu Layer a;
          @Conv(filters = 4, kernel = 3, padding = 1, bias = false) @BatchNorm Layer b;
          @From({"b", "a"}) @Add @Relu Layer sum;
          @From({"a", "sum"}) @Concat Layer both;
          @Conv(filters = 3, kernel = 1) Layer tail;
        """, 3, 10, 9);
    assertThat(r.count(Add.class)).isEqualTo(0);
    assertThat(r.javaMethods()).doesNotContain("bothConcat");
  }

  @Test
  void denseLayersAndPoolsWriteIntoSlicesOfAVectorConcatenation() throws Exception {
    Checked r = check("VectorConcat", """
          @Conv(filters = 6, kernel = 3) @Relu Layer conv1;
          @GlobalAvgPool Layer gap;
          @Dense(units = 5) @BatchNorm @Relu Layer fc;
          @From("gap") @Dense(units = 3) @Softmax Layer probs;
          @From({"gap", "fc", "probs"}) @Concat Layer both;
          @Dense(units = 4) @Softmax Layer out;
        """, 2, 7, 6);
    assertThat(r.count(BatchNorm.class)).isEqualTo(0);
    assertThat(r.javaMethods()).doesNotContain("bothConcat");
    assertThat(r.program()).doesNotContain("__kernel void both_concat");
  }
}
