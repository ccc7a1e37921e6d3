package dev.netc.examples.passes;

import dev.netc.dsl.*;

/**
 * A small network whose kernels use every fusion pass, for the OpenCL simulator (tools/oclgrind-check.sh): batch
 * norm folded into convolutions, residual adds (identity and projection shortcuts) in the convolution epilogue, a
 * residual convolution whose plane (7 x 7) leaves a partial last vector, and copy-free concatenations (nested,
 * partly copied) whose branches write straight into their channel slices.
 */
@Network
@Input(channels = 3, height = 14, width = 14)
public final class SmallFusions {
  @Conv(filters = 16, kernel = 3, padding = 1, bias = false) @BatchNorm @Relu Layer stem;
  @Conv(filters = 16, kernel = 3, padding = 1, bias = false) @BatchNorm(name = "block1.bn1") @Relu Layer block1a;
  @Conv(filters = 16, kernel = 3, padding = 1, bias = false) @BatchNorm(name = "block1.bn2") Layer block1b;
  @From({"block1b", "stem"}) @Add @Relu Layer block1;
  @Conv(filters = 32, kernel = 3, stride = 2, padding = 1, bias = false) @BatchNorm(name = "block2.bn1") @Relu
  Layer block2a;
  @Conv(filters = 32, kernel = 3, padding = 1, bias = false) @BatchNorm(name = "block2.bn2") Layer block2b;
  @From("block1") @Conv(filters = 32, kernel = 1, stride = 2, bias = false) @BatchNorm(name = "block2.down.1")
  Layer block2down;
  @From({"block2b", "block2down"}) @Add @Relu Layer block2;
  @From("block2") @Conv(filters = 8, kernel = 1) @Relu Layer branch1;
  @From("block2") @Conv(filters = 8, kernel = 1) @Relu Layer branch2a;
  @Conv(filters = 16, kernel = 3, padding = 1) @Relu Layer branch2;
  @From("block2") @MaxPool(window = 3, stride = 1, padding = 1) @Conv(filters = 8, kernel = 1) @Relu Layer branch3;
  @From({"branch1", "branch2", "branch3"}) @Concat Layer inception;
  @Conv(filters = 8, kernel = 1) Layer extra;
  @From({"inception", "extra"}) @Concat Layer wide;
  @From("block2") @AvgPool(window = 3, stride = 1, padding = 1) Layer pooled;
  @From({"wide", "pooled"}) @Concat Layer joined;
  @From({"pooled", "joined"}) @Concat Layer again;
  @GlobalAvgPool Layer gap;
  @Dense(units = 10) @Softmax Layer fc;
}
