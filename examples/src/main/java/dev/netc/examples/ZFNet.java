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
 * ZFNet: Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", 2013 (shared/SEEDS.md, "The
 * family around it"). It is AlexNet with a 7 x 7, stride 2 first layer instead of 11 x 11, stride 4, which their
 * visualisations showed kept more mid-frequency information, and a stride 2 conv2; one column, no groups.
 * 11.2% top-5 error at ILSVRC-2013.
 *
 * <p>The LRN layers use the defaults, which are AlexNet's paper constants and convention
 * ({@code size 5, alpha 1e-4, beta 0.75, k 2}). The first two pools pad by 1.
 *
 * <p>Shapes at 3 x 224 x 224: conv1 96x110x110 -> pool 96x55x55, conv2 256x26x26 -> pool 256x13x13,
 * conv3 384x13x13, conv4 384x13x13, conv5 256x13x13 -> pool 256x6x6 (9,216 features), fc6 4096, fc7 4096,
 * fc8 1000; 62,357,608 parameters. Weight names are the field names.
 */
@Network
@Input(channels = 3, height = 224, width = 224)
public final class ZFNet {
  @Conv(filters = 96, kernel = 7, stride = 2, padding = 1) @Relu @Lrn
  @MaxPool(window = 3, stride = 2, padding = 1)
  Layer conv1;

  @Conv(filters = 256, kernel = 5, stride = 2) @Relu @Lrn @MaxPool(window = 3, stride = 2, padding = 1)
  Layer conv2;

  @Conv(filters = 384, kernel = 3, padding = 1) @Relu
  Layer conv3;

  @Conv(filters = 384, kernel = 3, padding = 1) @Relu
  Layer conv4;

  @Conv(filters = 256, kernel = 3, padding = 1) @Relu @MaxPool(window = 3, stride = 2)
  Layer conv5;

  @Dense(units = 4096) @Relu @Dropout(rate = 0.5)
  Layer fc6;

  @Dense(units = 4096) @Relu @Dropout(rate = 0.5)
  Layer fc7;

  @Dense(units = 1000) @Softmax
  Layer fc8;
}
