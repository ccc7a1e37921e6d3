package dev.netc.examples.oclgrind;

import dev.netc.dsl.*;

/**
 * The paper's AlexNet shrunk for the OpenCL simulator (67 x 67 input, fewer filters and units) with every
 * kernel path of the original: 11x11 stride 4, groups 2, LRN fused with overlapping pooling, padded 3x3
 * convolutions, dense with ReLU, dense with softmax.
 */
@Network
@Input(channels = 3, height = 67, width = 67)
public final class SmallAlexNet {
  @Conv(filters = 16, kernel = 11, stride = 4) @Relu @Lrn @MaxPool(window = 3, stride = 2) Layer conv1;
  @Conv(filters = 32, kernel = 5, padding = 2, groups = 2) @Relu @Lrn @MaxPool(window = 3, stride = 2) Layer conv2;
  @Conv(filters = 48, kernel = 3, padding = 1) @Relu Layer conv3;
  @Conv(filters = 48, kernel = 3, padding = 1, groups = 2) @Relu Layer conv4;
  @Conv(filters = 32, kernel = 3, padding = 1, groups = 2) @Relu @MaxPool(window = 3, stride = 2) Layer conv5;
  @Dense(units = 64) @Relu @Dropout Layer fc6;
  @Dense(units = 64) @Relu @Dropout Layer fc7;
  @Dense(units = 10) @Softmax Layer fc8;
}
