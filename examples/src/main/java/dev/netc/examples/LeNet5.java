package dev.netc.examples;

import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;
import dev.netc.dsl.Softmax;

/**
 * A modern LeNet-5 for Fashion-MNIST (28 x 28 grey images, 10 classes): LeCun et al., "Gradient-Based Learning
 * Applied to Document Recognition", 1998, with the changes every modern version makes (see shared/SEEDS.md, "The
 * family around it"): max-pooling instead of trainable subsampling, ReLU, a fully connected C3 instead of the
 * partial connection table, and a softmax output instead of radial-basis units. conv1 pads by 2 so that the 28 x 28
 * input gives the paper's 28 x 28 C1 maps, as the 32 x 32 input did in 1998.
 *
 * <p>Shapes: conv1 6x28x28, pool 6x14x14, conv2 16x10x10, pool 16x5x5, fc1 120, fc2 84, fc3 10; 61,706 parameters.
 * Weight names are the field names (PyTorch's {@code conv1.weight}, {@code fc3.bias}, ...).
 */
@Network
@Input(channels = 1, height = 28, width = 28)
public final class LeNet5 {
  @Conv(filters = 6, kernel = 5, padding = 2) @Relu @MaxPool(window = 2)
  Layer conv1;

  @Conv(filters = 16, kernel = 5) @Relu @MaxPool(window = 2)
  Layer conv2;

  /** Flattens the 16 x 5 x 5 maps (400 features) implicitly. */
  @Dense(units = 120) @Relu
  Layer fc1;

  @Dense(units = 84) @Relu
  Layer fc2;

  @Dense(units = 10) @Softmax
  Layer fc3;
}
