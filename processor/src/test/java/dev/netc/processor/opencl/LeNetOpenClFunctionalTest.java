package dev.netc.processor.opencl;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.opencl.ClCompile.net;

import com.google.testing.compile.Compilation;
import dev.netc.graph.Graph;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.opencl.ClDevice;
import dev.netc.runtime.opencl.ClSession;
import dev.netc.runtime.opencl.OpenClTests;
import dev.netc.runtime.reference.ReferenceInterpreter;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenCL connection-table convolution and trainable subsampling against the reference interpreter and the
 * Java backend, on random inputs at batch 1, 3 and 1 again, over the variants the kernels generate differently.
 * Skips loudly without OpenCL; fails under {@code CI=true}.
 */
class LeNetOpenClFunctionalTest {
  private static ClDevice device;
  @TempDir static Path cache;

  @BeforeAll
  static void openClOrSkip() {
    device = OpenClTests.device();
  }

  private static void check(String name, String fields, int c, int h, int w) throws Exception {
    Compilation compilation = ClCompile.succeeded(net(name, c, h, w, fields));
    ClassLoader loader = ClCompile.classLoader(compilation);
    Class<?> java = loader.loadClass("test." + name + "_Model");
    Class<?> openCl = loader.loadClass("test." + name + "_OpenClModel");
    Graph described = (Graph) java.getField("GRAPH").get(null);
    Weights weights = new SyntheticWeights();
    ReferenceInterpreter reference = new ReferenceInterpreter(described, weights);
    Random random = new Random(name.hashCode());
    try (Model cl = OpenClFunctionalTest.invoke(openCl.getMethod("load", Weights.class, ClSession.class), weights,
            ClSession.open(device, cache));
        Model j = OpenClFunctionalTest.invoke(java.getMethod("load", Weights.class, int.class), weights, 2)) {
      assertThat(cl.outputShape()).isEqualTo(described.outputShape());
      for (int batch : new int[] {1, 3, 1}) {
        float[] input = new float[batch * described.inputShape().size()];
        for (int i = 0; i < input.length; i++) input[i] = random.nextFloat() * 2 - 1;
        float[] actual = cl.forward(input, batch);
        OpenClFunctionalTest.compare(name + " at batch " + batch + " against the reference",
            reference.run(input, batch), actual);
        OpenClFunctionalTest.compare(name + " at batch " + batch + " against the Java backend", j.forward(input, batch),
            actual);
      }
    }
  }

  @Test
  void lenetStyleTableAndSubsamplingFused() throws Exception {
    check("LeNetLike", """
          @Conv(filters = 4, kernel = 3) @Tanh Layer c1;
          @Subsample @Sigmoid Layer s2;
          @Conv(filters = 5, kernel = 3, table = {
              @Sees({0, 1}), @Sees({1, 2}), @Sees({3, 2}), @Sees({3, 0}), @Sees({0, 1, 2, 3})}) @Tanh Layer c3;
          @Subsample @Sigmoid Layer s4;
          @Dense(units = 3) @Softmax Layer out;
        """, 1, 16, 16);
  }

  @Test
  void paddedStridedNonSquareTableWithoutBiasAndAPartialLastVector() throws Exception {
    // 3 x 40 x 21: 20 x 22 = 440 output positions, 27.5 vectors of 16: the last one stored lane by lane
    check("PaddedTable", """
          @Conv(filters = 4, kernel = {3, 2}, stride = {2, 1}, padding = {1, 1}, bias = false, table = {
              @Sees({2, 0}), @Sees({1}), @Sees({0, 1, 2}), @Sees({2})}) @Relu Layer c;
        """, 3, 40, 21);
  }

  @Test
  void stridedUnpaddedTableWithAWideKernel() throws Exception {
    // 3 x 12 x 41, stride 2: 5 x 18 = 90 outputs in vectors of 8, the last one partial
    check("Strided", """
          @Conv(filters = 3, kernel = {2, 7}, stride = 2, table = {@Sees({1, 2}), @Sees({0}), @Sees({2, 1, 0})})
          @Sigmoid Layer c;
        """, 3, 12, 41);
  }

  @Test
  void subsamplingOverlappingNonSquareAndWithoutBias() throws Exception {
    check("Subsampling", """
          @Subsample(window = 3, stride = 2) @Tanh Layer a;
          @Subsample(window = {2, 1}, stride = {1, 2}, bias = false) Layer b;
          @Subsample(window = 1) @LeakyRelu(slope = 0.1) Layer c;
        """, 3, 11, 10);
  }
}
