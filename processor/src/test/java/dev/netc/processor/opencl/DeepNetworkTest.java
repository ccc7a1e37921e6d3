package dev.netc.processor.opencl;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.opencl.ClCompile.source;

import dev.netc.runtime.FusedGroups;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.opencl.ClBuffer;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network deep enough that the generated code which grows with the depth (loading weights, uploading them,
 * enqueuing kernels) is split into helper methods, so that no generated method outgrows HotSpot's 8,000-byte
 * JIT limit: both backends still match the reference interpreter, and the split is really there.
 */
class DeepNetworkTest {
  @BeforeAll
  static void openClOrSkip() {
    OpenClFunctionalTest.openClOrSkip(); // skips loudly without OpenCL, fails under CI=true
  }

  @Test
  void thirtyResidualBlocksAreLoadedAndEnqueuedInChunks() throws Exception {
    OpenClFunctionalTest.Compiled c = OpenClFunctionalTest.check("Deep", """
          @Conv(filters = 4, kernel = 3, padding = 1) Layer stem;
          @Use(value = Unit.class, args = {4}, repeat = 30) Layer body;
          @GlobalAvgPool Layer pool;
        """, 3, 6, 6, source("Unit", """
        @Block(params = {"width"})
        final class Unit {
          @Conv(kernel = 3, padding = 1, bias = false, bind = "filters = width") @BatchNorm @Relu Layer conv;
          @From({"conv", "in"}) @Add Layer out;
        }
        """));
    List<String> java = names(c.java().getDeclaredMethods());
    // 30 blocks: 31 convolutions with weights (batch norm folded, residual add fused) and 32 launches, more than
    // MethodChunks.UNITS_PER_METHOD (24)
    assertThat(java).containsAtLeast("loadWeights0", "loadWeights1", "computeGroup0", "computeGroup1");
    List<String> cl = names(c.openCl().getDeclaredMethods());
    assertThat(cl).containsAtLeast("upload0", "upload1", "enqueueCpu0", "enqueueCpu1", "enqueueGpu0", "enqueueGpu1",
        "enqueueGroupCpu0", "enqueueGroupCpu2", "enqueueGroupGpu0", "enqueueGroupGpu2");
    // and each group still runs alone through the chunked dispatchers
    try (Model m = c.loadJava(new SyntheticWeights())) {
      FusedGroups g = (FusedGroups) m;
      m.forward(new float[3 * 6 * 6], 1);
      for (int k = 0; k < g.groups(); k++) g.runGroup(k, 1);
      // stem, 30 x (conv with batch norm and ReLU, add: the ReLU keeps the add unfused), pool
      assertThat(g.groups()).isEqualTo(62);
    }
    assertThat(c.java().getDeclaredMethod("loadWeights0", Weights.class)).isNotNull();
    assertThat(c.openCl().getDeclaredMethod("enqueueCpu0", ClBuffer.class, int.class)).isNotNull();
  }

  private static List<String> names(Method[] methods) {
    return Arrays.stream(methods).map(Method::getName).sorted().collect(Collectors.toList());
  }
}
