package dev.netc.examples.oclgrind;

import dev.netc.dsl.*;

/**
 * ZFNet shrunk for the OpenCL simulator (64 x 64 input): 7x7 stride 2 with padding, LRN fused with padded
 * overlapping pooling, an unpadded strided 5x5.
 */
@Network
@Input(channels = 3, height = 64, width = 64)
public final class SmallZFNet {
  @Conv(filters = 16, kernel = 7, stride = 2, padding = 1) @Relu @Lrn @MaxPool(window = 3, stride = 2, padding = 1)
  Layer conv1;
  @Conv(filters = 32, kernel = 5, stride = 2) @Relu @Lrn @MaxPool(window = 3, stride = 2, padding = 1) Layer conv2;
  @Conv(filters = 48, kernel = 3, padding = 1) @Relu Layer conv3;
  @Conv(filters = 48, kernel = 3, padding = 1) @Relu Layer conv4;
  @Conv(filters = 32, kernel = 3, padding = 1) @Relu @MaxPool(window = 3, stride = 2) Layer conv5;
  @Dense(units = 64) @Relu @Dropout Layer fc6;
  @Dense(units = 64) @Relu @Dropout Layer fc7;
  @Dense(units = 10) @Softmax Layer fc8;
}
