package dev.netc.examples;

import dev.netc.dsl.AdaptiveAvgPool;
import dev.netc.dsl.AvgPool;
import dev.netc.dsl.Concat;
import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Elu;
import dev.netc.dsl.From;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.LeakyRelu;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Selu;
import dev.netc.dsl.Sigmoid;
import dev.netc.dsl.Tanh;

/**
 * What TrainingCoverage leaves out, for the trainers' kernels: ceil-mode max and average pooling (a last window
 * clipped by the input's edge), average pooling that leaves padding out of the divisor, adaptive average pooling
 * with overlapping windows, a rectangular kernel, and every activation as a layer of its own (after a pool or a
 * concatenation, where it cannot fuse), ending in logits.
 */
@Network
@Input(channels = 3, height = 8, width = 8)
public final class TrainingExtras {
  @Conv(filters = 4, kernel = 3, padding = 1) @MaxPool(window = 3, stride = 2, ceil = true) @Tanh
  Layer conv1;                                                  // 4 x 4 x 4

  @Conv(filters = 6, kernel = {3, 1}, padding = {1, 0})
  @AvgPool(window = 3, stride = 2, padding = 1, ceil = true, countIncludePad = false) @LeakyRelu(slope = 0.2)
  Layer conv2;                                                  // 6 x 3 x 3 (4 x 4 in ceil mode with padding)

  @From("conv1") @AdaptiveAvgPool(height = 3, width = 3) @Elu
  Layer adaptive;                                               // 4 x 3 x 3, overlapping windows

  @From({"conv2", "adaptive"}) @Concat @Selu Layer joined;     // 10 x 3 x 3

  @MaxPool(window = 2, stride = 1) @Sigmoid Layer pooled;      // 10 x 2 x 2

  @Dense(units = 5) Layer fc;
}
