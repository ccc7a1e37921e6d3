package dev.netc.examples;

import dev.netc.dsl.BatchNorm;
import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.GlobalAvgPool;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;
import dev.netc.dsl.Use;

/**
 * GoogLeNet's and Inception v3's modules shrunk for the OpenCL simulator (tools/oclgrind-check.sh; 32 x 32
 * input): concatenation of four branches, ceil-mode and padded pooling, padded average pooling, and the
 * factorised 1 x 7 / 7 x 1 convolutions of {@link InceptionC}, under oclgrind. In this package because the blocks
 * are package-private.
 */
@Network
@Input(channels = 3, height = 32, width = 32)
public final class SmallInception {
  @Conv(filters = 16, kernel = 3, stride = 2, padding = 1, bias = false, name = "conv1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer conv1;                                                                   //  16 x 16 x 16
  @Use(value = Inception.class, args = {8, 8, 16, 4, 8, 8}) Layer inception3a;   //  40 x 16 x 16
  @MaxPool(window = 3, stride = 2, ceil = true) Layer maxpool3;                  //  40 x 8 x 8
  @Use(value = InceptionC.class, args = {8, 7}) Layer Mixed_6b;                  // 768 x 8 x 8
  @GlobalAvgPool Layer avgpool;
  @Dense(units = 10) Layer fc;
}
