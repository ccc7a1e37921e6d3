package dev.netc.examples;

import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Dropout;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;

/**
 * The common single-column AlexNet in PyTorch (shared/SEEDS.md, "A common single-column variant"): one GPU's half
 * of Krizhevsky et al. 2012, with half the kernels of every layer, no LRN and no groups, here for 10 classes. The
 * paper reports that the two-column net beat such a one-column net with half the kernels by 1.7% top-1.
 *
 * <p>Shapes at 3 x 224 x 224: conv1 48x55x55 -> pool 48x27x27, conv2 128x27x27 -> pool 128x13x13,
 * conv3 192x13x13, conv4 192x13x13, conv5 128x13x13 -> pool 128x6x6 (4,608 features), fc6 2048, fc7 2048,
 * fc8 10 (logits, no softmax); 14,601,930 parameters. Weight names are the field names.
 */
@Network
@Input(channels = 3, height = 224, width = 224)
public final class AlexNetHalf {
  @Conv(filters = 48, kernel = 11, stride = 4, padding = 2) @Relu @MaxPool(window = 3, stride = 2)
  Layer conv1;

  @Conv(filters = 128, kernel = 5, padding = 2) @Relu @MaxPool(window = 3, stride = 2)
  Layer conv2;

  @Conv(filters = 192, kernel = 3, padding = 1) @Relu
  Layer conv3;

  @Conv(filters = 192, kernel = 3, padding = 1) @Relu
  Layer conv4;

  @Conv(filters = 128, kernel = 3, padding = 1) @Relu @MaxPool(window = 3, stride = 2)
  Layer conv5;

  @Dropout(rate = 0.5) @Dense(units = 2048) @Relu
  Layer fc6;

  @Dropout(rate = 0.5) @Dense(units = 2048) @Relu
  Layer fc7;

  @Dense(units = 10)
  Layer fc8;
}
