package dev.netc.examples.oclgrind;

import dev.netc.dsl.*;

/**
 * torchvision's AlexNet shrunk for the OpenCL simulator (63 x 63 input): padded 11x11 stride 4, no LRN, and an
 * adaptive average pool that upsamples (1 x 1 to 6 x 6), a path the full-size network never takes at 224.
 */
@Network
@Input(channels = 3, height = 63, width = 63)
public final class SmallTorchvisionAlexNet {
  @Conv(filters = 16, kernel = 11, stride = 4, padding = 2) @Relu @MaxPool(window = 3, stride = 2) Layer conv1;
  @Conv(filters = 24, kernel = 5, padding = 2) @Relu @MaxPool(window = 3, stride = 2) Layer conv2;
  @Conv(filters = 32, kernel = 3, padding = 1) @Relu Layer conv3;
  @Conv(filters = 24, kernel = 3, padding = 1) @Relu Layer conv4;
  @Conv(filters = 24, kernel = 3, padding = 1) @Relu @MaxPool(window = 3, stride = 2) Layer conv5;
  @AdaptiveAvgPool(height = 6, width = 6) Layer avgpool;
  @Dropout @Dense(units = 64) @Relu Layer fc6;
  @Dropout @Dense(units = 64) @Relu Layer fc7;
  @Dense(units = 10) Layer fc8;
}
