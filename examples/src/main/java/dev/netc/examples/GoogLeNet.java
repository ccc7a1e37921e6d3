package dev.netc.examples;

import dev.netc.dsl.BatchNorm;
import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Dropout;
import dev.netc.dsl.GlobalAvgPool;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;
import dev.netc.dsl.Use;

/**
 * GoogLeNet / Inception v1 (Szegedy et al. 2014) as torchvision builds it ({@code torchvision.models.googlenet}
 * with {@code aux_logits=False, transform_input=False}): nine {@link Inception} modules between a convolutional
 * stem and global average pooling, batch norm after every convolution, every max-pool in ceil mode, logits out.
 * The auxiliary classifiers only help training and are left out. Weight names are torchvision's; 6,624,904
 * parameters.
 */
@Network
@Input(channels = 3, height = 224, width = 224)
public final class GoogLeNet {
  @Conv(filters = 64, kernel = 7, stride = 2, padding = 3, bias = false, name = "conv1.conv")
  @BatchNorm(eps = 0.001) @Relu                        // BN name by default: conv1.bn
  Layer conv1;                                         //   64 x 112 x 112
  @MaxPool(window = 3, stride = 2, ceil = true)
  Layer maxpool1;                                      //   64 x 56 x 56
  @Conv(filters = 64, kernel = 1, bias = false, name = "conv2.conv") @BatchNorm(eps = 0.001) @Relu
  Layer conv2;
  @Conv(filters = 192, kernel = 3, padding = 1, bias = false, name = "conv3.conv") @BatchNorm(eps = 0.001) @Relu
  Layer conv3;                                         //  192 x 56 x 56
  @MaxPool(window = 3, stride = 2, ceil = true)
  Layer maxpool2;                                      //  192 x 28 x 28

  //   args: c1, c3r, c3, c5r, c5, pool_proj (the paper's table 1)
  @Use(value = Inception.class, args = {64, 96, 128, 16, 32, 32})     Layer inception3a;  //  256 x 28 x 28
  @Use(value = Inception.class, args = {128, 128, 192, 32, 96, 64})   Layer inception3b;  //  480 x 28 x 28
  @MaxPool(window = 3, stride = 2, ceil = true)                       Layer maxpool3;     //  480 x 14 x 14
  @Use(value = Inception.class, args = {192, 96, 208, 16, 48, 64})    Layer inception4a;  //  512 x 14 x 14
  @Use(value = Inception.class, args = {160, 112, 224, 24, 64, 64})   Layer inception4b;  //  512
  @Use(value = Inception.class, args = {128, 128, 256, 24, 64, 64})   Layer inception4c;  //  512
  @Use(value = Inception.class, args = {112, 144, 288, 32, 64, 64})   Layer inception4d;  //  528
  @Use(value = Inception.class, args = {256, 160, 320, 32, 128, 128}) Layer inception4e;  //  832 x 14 x 14
  @MaxPool(window = 2, stride = 2, ceil = true)                       Layer maxpool4;     //  832 x 7 x 7
  @Use(value = Inception.class, args = {256, 160, 320, 32, 128, 128}) Layer inception5a;  //  832 x 7 x 7
  @Use(value = Inception.class, args = {384, 192, 384, 48, 128, 128}) Layer inception5b;  // 1024 x 7 x 7

  @GlobalAvgPool
  Layer avgpool;                                       // 1024 x 1 x 1
  @Dropout(rate = 0.2) @Dense(units = 1000)
  Layer fc;                                            // 1000 logits
}
