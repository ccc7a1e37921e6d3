package dev.netc.examples.oclgrind;

import dev.netc.dsl.*;

/**
 * The code paths of the connection-table and subsampling kernels that LeNet5Original does not take, for the
 * OpenCL simulator: a padded table (clamped, masked gathers), an unpadded strided one without bias, both with
 * output planes that end in a partial vector, and overlapping non-square subsampling without bias.
 */
@Network
@Input(channels = 3, height = 21, width = 40)
public final class TableVariants {
  @Conv(filters = 4, kernel = 3, padding = 1, table = {@Sees({0}), @Sees({1, 2}), @Sees({2, 0}), @Sees({0, 1, 2})})
  @Relu Layer padded;
  @Conv(filters = 3, kernel = {2, 5}, stride = 2, bias = false, table = {@Sees({3}), @Sees({0, 1}), @Sees({2, 3})})
  @Tanh Layer strided;
  @Subsample(window = {3, 2}, stride = {2, 1}, bias = false) @Sigmoid Layer sub;
  @Dense(units = 5) @Softmax Layer out;
}
