package dev.netc.examples;

import dev.netc.dsl.Add;
import dev.netc.dsl.AvgPool;
import dev.netc.dsl.BatchNorm;
import dev.netc.dsl.Concat;
import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Dropout;
import dev.netc.dsl.Elu;
import dev.netc.dsl.From;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.LeakyRelu;
import dev.netc.dsl.Lrn;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;
import dev.netc.dsl.Selu;
import dev.netc.dsl.Sigmoid;
import dev.netc.dsl.Softmax;
import dev.netc.dsl.Tanh;

/**
 * Every layer kind a generated trainer differentiates, small enough for the double-precision reference trainer:
 * strided and grouped convolutions, all activations, LRN in both conventions, overlapping max pooling, padded
 * average pooling, batch norm, concatenation, a residual addition, dropout, dense layers and a final softmax.
 * The LRN constants are far larger than AlexNet's so that the normalisation matters to the gradient.
 */
@Network
@Input(channels = 3, height = 16, width = 16)
public final class TrainingCoverage {
  @Conv(filters = 8, kernel = 3, padding = 1) @LeakyRelu(slope = 0.1)
  @Lrn(size = 3, alpha = 0.05, beta = 0.75, k = 1, convention = Lrn.Convention.PAPER)
  @MaxPool(window = 3, stride = 2)
  Layer conv1;                                                  // 8 x 7 x 7

  @Conv(filters = 8, kernel = 3, stride = 1, padding = 1, groups = 2) @Elu
  @AvgPool(window = 3, stride = 2, padding = 1)
  Layer conv2;                                                  // 8 x 4 x 4

  @Conv(filters = 6, kernel = 1, bias = false) @BatchNorm @Selu
  Layer branchA;                                                // 6 x 4 x 4

  @From("conv2") @Conv(filters = 4, kernel = 3, stride = 2, padding = 1) @Sigmoid
  @Lrn(size = 3, alpha = 0.3, beta = 0.75, k = 2, convention = Lrn.Convention.PER_SIZE)
  Layer branchB;                                                // 4 x 2 x 2

  @From("branchA") @MaxPool(window = 2, stride = 2) Layer branchAPooled; // 6 x 2 x 2

  @From({"branchAPooled", "branchB"}) @Concat Layer joined;    // 10 x 2 x 2

  @Conv(filters = 10, kernel = 3, padding = 1) @Tanh Layer residual;

  @From({"residual", "joined"}) @Add @Relu Layer sum;

  @Dense(units = 16) @Relu @Dropout(rate = 0.5)
  Layer fc1;

  @Dense(units = 5) @Softmax
  Layer fc2;
}
