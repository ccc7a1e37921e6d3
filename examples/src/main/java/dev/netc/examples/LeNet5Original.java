package dev.netc.examples;

import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.Network;
import dev.netc.dsl.Sees;
import dev.netc.dsl.Sigmoid;
import dev.netc.dsl.Softmax;
import dev.netc.dsl.Subsample;
import dev.netc.dsl.Tanh;

/**
 * LeNet-5 as LeCun, Bottou, Bengio and Haffner describe it ("Gradient-Based Learning Applied to Document
 * Recognition", 1998; shared/SEEDS.md): a 32 x 32 input, trainable subsampling in S2 and S4 (the sum of each
 * 2 x 2 window times a learned coefficient plus a learned bias, through a sigmoid), and C3's partial
 * connection table (the paper's Table I), so that C3's maps see different combinations of S2's maps. The one
 * change is the output: a 10-way softmax instead of the paper's Euclidean radial-basis units.
 *
 * <p>The paper squashes C1, C3, C5 and F6 with a scaled tanh, {@code 1.7159 tanh(2a/3)}; here it is plain
 * tanh, which is the same function once the 2/3 is folded into the layer's weights and bias and the 1.7159
 * into the next layer's weights.
 *
 * <p>Shapes and parameters: C1 6x28x28 (156), S2 6x14x14 (12), C3 16x10x10 (1,516: 60 connected 5 x 5 kernels
 * and 16 biases), S4 16x5x5 (32), C5 120x1x1 (48,120), F6 84 (10,164), output 10 (850); 60,850 parameters.
 * Weights are named by field: {@code c3.weight} is {@code [60, 5, 5]}, the connected kernels filter by filter
 * and by ascending input map ({@code weight[mask]} of a masked PyTorch convolution, see docs/DSL.md);
 * {@code s2.weight} and {@code s2.bias} are the coefficients and biases, {@code [6]} each.
 */
@Network
@Input(channels = 1, height = 32, width = 32)
public final class LeNet5Original {
  @Conv(filters = 6, kernel = 5) @Tanh
  Layer c1;

  @Subsample @Sigmoid
  Layer s2;

  /** Table I of the paper: maps 0-5 see 3 adjacent S2 maps, 6-11 see 4 adjacent, 12-14 4 non-adjacent, 15 all. */
  @Conv(filters = 16, kernel = 5, table = {
      @Sees({0, 1, 2}), @Sees({1, 2, 3}), @Sees({2, 3, 4}), @Sees({3, 4, 5}), @Sees({4, 5, 0}), @Sees({5, 0, 1}),
      @Sees({0, 1, 2, 3}), @Sees({1, 2, 3, 4}), @Sees({2, 3, 4, 5}), @Sees({3, 4, 5, 0}), @Sees({4, 5, 0, 1}),
      @Sees({5, 0, 1, 2}),
      @Sees({0, 1, 3, 4}), @Sees({1, 2, 4, 5}), @Sees({0, 2, 3, 5}),
      @Sees({0, 1, 2, 3, 4, 5})})
  @Tanh
  Layer c3;

  @Subsample @Sigmoid
  Layer s4;

  /** 5 x 5 kernels on 5 x 5 maps: a 1 x 1 output, fully connected to S4 in effect. */
  @Conv(filters = 120, kernel = 5) @Tanh
  Layer c5;

  @Dense(units = 84) @Tanh
  Layer f6;

  /** A softmax in place of the paper's radial-basis output units. */
  @Dense(units = 10) @Softmax
  Layer output;
}
