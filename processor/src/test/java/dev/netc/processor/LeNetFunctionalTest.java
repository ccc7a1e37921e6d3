package dev.netc.processor;

import static com.google.common.truth.Truth.assertThat;
import static dev.netc.processor.FunctionalTest.check;
import static dev.netc.processor.FunctionalTest.net;

import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import org.junit.jupiter.api.Test;

/**
 * The Java backend's connection-table convolution and trainable subsampling against the reference interpreter
 * ({@link FunctionalTest#check}: random inputs, batch 1, 3 and 1 again), over the variants their kernels
 * generate differently: padding or not, strides, non-square kernels, no bias, activations fused or standalone.
 */
class LeNetFunctionalTest {

  @Test
  void lenetStyleTableAndSubsamplingFused() throws Exception {
    FunctionalTest.Checked r = check("LeNetLike", net("LeNetLike", 1, 16, 16, """
          @Conv(filters = 4, kernel = 3) @Tanh Layer c1;
          @Subsample @Sigmoid Layer s2;
          @Conv(filters = 5, kernel = 3, table = {
              @Sees({0, 1}), @Sees({1, 2}), @Sees({3, 2}), @Sees({3, 0}), @Sees({0, 1, 2, 3})}) @Tanh Layer c3;
          @Subsample @Sigmoid Layer s4;
          @Dense(units = 3) @Softmax Layer out;
        """));
    assertThat(r.fusedGroups()).containsExactly("input", "c1/conv+c1", "s2/subsample+s2", "c3/conv+c3",
        "s4/subsample+s4", "out/dense+out").inOrder();
    assertThat(r.fused().node("c3").op()).isInstanceOf(TableConv.class);
    assertThat(r.fused().node("s2").op()).isInstanceOf(Subsample.class);
  }

  @Test
  void paddedStridedNonSquareTableWithoutBias() throws Exception {
    // rows written out of order: the weights are still read by ascending input map
    check("PaddedTable", net("PaddedTable", 3, 9, 11, """
          @Conv(filters = 4, kernel = {3, 2}, stride = {2, 1}, padding = {1, 2}, bias = false, table = {
              @Sees({2, 0}), @Sees({1}), @Sees({0, 1, 2}), @Sees({2})}) @Relu Layer c;
        """));
  }

  @Test
  void tableWithAStandaloneActivationAndManyFilters() throws Exception {
    // a second activation cannot fuse (the epilogue is taken), so it runs as its own kernel
    check("Standalone", net("Standalone", 2, 7, 7, """
          @Conv(filters = 6, kernel = 3, padding = 1, table = {
              @Sees({0}), @Sees({1}), @Sees({0, 1}), @Sees({1, 0}), @Sees({0}), @Sees({1})}) @Elu @Sigmoid Layer c;
        """));
  }

  @Test
  void stridedUnpaddedTableWithAWideKernel() throws Exception {
    // stride 2 without padding gathers the taps' inputs; a 7-wide kernel is one fma4 and three fma1 per row
    check("Strided", net("Strided", 3, 12, 17, """
          @Conv(filters = 3, kernel = {2, 7}, stride = 2, table = {@Sees({1, 2}), @Sees({0}), @Sees({2, 1, 0})})
          Layer c;
        """));
  }

  @Test
  void subsamplingOverlappingNonSquareAndWithoutBias() throws Exception {
    FunctionalTest.Checked r = check("Subsampling", net("Subsampling", 3, 11, 10, """
          @Subsample(window = 3, stride = 2) @Tanh Layer a;
          @Subsample(window = {2, 1}, stride = {1, 2}, bias = false) Layer b;
          @Subsample(window = 1) @LeakyRelu(slope = 0.1) Layer c;
        """));
    // 11x10 -> 5x4 (floor) -> 4x2 -> 4x2
    assertThat(r.fused().outputShape().toString()).isEqualTo("3x4x2");
  }
}
