package dev.netc.examples;

import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Softmax;
import dev.netc.dsl.Tanh;

/**
 * The four-layer convolutional network of the AlexNet paper's Figure 1 (three convolutions and a classifier), here
 * for Fashion-MNIST, with tanh units; {@link Figure1Relu} is the same network with ReLU. The paper
 * trained both on CIFAR-10 and found the ReLU network reached 25% training error six times faster; {@code netc
 * figure1} repeats the experiment. Weight names, and so the initial weights for a seed, are the same in both.
 *
 * <p>Shapes: conv1 16x28x28 -> pool 16x13x13, conv2 32x13x13 -> pool 32x6x6, conv3 32x6x6 -> pool 32x2x2, fc 10.
 */
@Network
@Input(channels = 1, height = 28, width = 28)
public final class Figure1Tanh {
  @Conv(filters = 16, kernel = 5, padding = 2) @Tanh @MaxPool(window = 3, stride = 2)
  Layer conv1;

  @Conv(filters = 32, kernel = 5, padding = 2) @Tanh @MaxPool(window = 3, stride = 2)
  Layer conv2;

  @Conv(filters = 32, kernel = 3, padding = 1) @Tanh @MaxPool(window = 3, stride = 2)
  Layer conv3;

  @Dense(units = 10) @Softmax
  Layer fc;
}
