package dev.netc.examples;

import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Dropout;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.Lrn;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;
import dev.netc.dsl.Softmax;

/**
 * AlexNet's ideas at Fashion-MNIST's scale (28 x 28 grey images, 10 classes), small enough to train on two CPU
 * cores: ReLU everywhere, local response normalisation with the paper's constants after the first two
 * convolutions, overlapping max-pooling (window 3, stride 2), a grouped convolution (conv2 sees its own half of
 * conv1's maps, as each GPU did in the paper), a third convolution seeing all maps (as the paper's conv3 did),
 * and dropout 0.5 before the last layer.
 *
 * <p>Shapes: conv1 32x28x28 -> pool 32x13x13, conv2 64x13x13 -> pool 64x6x6, conv3 96x6x6 (3,456 features),
 * fc1 256, fc2 10; 5.1 million multiply-adds and 953,066 parameters. Weight names are the field names.
 */
@Network
@Input(channels = 1, height = 28, width = 28)
public final class FashionAlexNet {
  @Conv(filters = 32, kernel = 5, padding = 2) @Relu
  @Lrn(size = 5, alpha = 1e-4, beta = 0.75, k = 2, convention = Lrn.Convention.PAPER)
  @MaxPool(window = 3, stride = 2)
  Layer conv1;

  @Conv(filters = 64, kernel = 3, padding = 1, groups = 2) @Relu
  @Lrn(size = 5, alpha = 1e-4, beta = 0.75, k = 2, convention = Lrn.Convention.PAPER)
  @MaxPool(window = 3, stride = 2)
  Layer conv2;

  @Conv(filters = 96, kernel = 3, padding = 1) @Relu
  Layer conv3;

  @Dense(units = 256) @Relu @Dropout(rate = 0.5)
  Layer fc1;

  @Dense(units = 10) @Softmax
  Layer fc2;
}
