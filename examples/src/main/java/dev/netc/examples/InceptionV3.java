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
 * Inception v3 (Szegedy et al. 2015, "Rethinking the Inception Architecture for Computer Vision") as torchvision
 * builds it ({@code torchvision.models.inception_v3} with {@code aux_logits=False}; {@code transform_input} off):
 * a convolutional stem, three {@link InceptionA} modules on the 35 x 35 grid, the {@link InceptionB} reduction,
 * four {@link InceptionC} modules with factorised 7 x 7 convolutions (1 x 7 then 7 x 1) on the 17 x 17 grid, the
 * {@link InceptionD} reduction, two {@link InceptionE} modules on the 8 x 8 grid, global average pooling and a
 * 1000-way dense layer (logits). Input 3 x 299 x 299. Weight names are torchvision's; 23,834,568 parameters (the
 * auxiliary classifier, a training aid, is left out).
 */
@Network
@Input(channels = 3, height = 299, width = 299)
public final class InceptionV3 {
  @Conv(filters = 32, kernel = 3, stride = 2, bias = false, name = "Conv2d_1a_3x3.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer Conv2d_1a_3x3;
  @Conv(filters = 32, kernel = 3, bias = false, name = "Conv2d_2a_3x3.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer Conv2d_2a_3x3;
  @Conv(filters = 64, kernel = 3, padding = 1, bias = false, name = "Conv2d_2b_3x3.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer Conv2d_2b_3x3;
  @MaxPool(window = 3, stride = 2)
  Layer maxpool1;                                                             //   64 x 73 x 73
  @Conv(filters = 80, kernel = 1, bias = false, name = "Conv2d_3b_1x1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer Conv2d_3b_1x1;
  @Conv(filters = 192, kernel = 3, bias = false, name = "Conv2d_4a_3x3.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer Conv2d_4a_3x3;
  @MaxPool(window = 3, stride = 2)
  Layer maxpool2;                                                             //  192 x 35 x 35

  @Use(value = InceptionA.class, args = 32)      Layer Mixed_5b;              //  256 x 35 x 35
  @Use(value = InceptionA.class, args = 64)      Layer Mixed_5c;              //  288
  @Use(value = InceptionA.class, args = 64)      Layer Mixed_5d;              //  288
  @Use(InceptionB.class)                         Layer Mixed_6a;              //  768 x 17 x 17
  @Use(value = InceptionC.class, args = {128, 7}) Layer Mixed_6b;             //  768
  @Use(value = InceptionC.class, args = {160, 7}) Layer Mixed_6c;
  @Use(value = InceptionC.class, args = {160, 7}) Layer Mixed_6d;
  @Use(value = InceptionC.class, args = {192, 7}) Layer Mixed_6e;
  @Use(InceptionD.class)                         Layer Mixed_7a;              // 1280 x 8 x 8
  @Use(InceptionE.class)                         Layer Mixed_7b;              // 2048 x 8 x 8
  @Use(InceptionE.class)                         Layer Mixed_7c;              // 2048 x 8 x 8

  @GlobalAvgPool
  Layer avgpool;                                                              // 2048 x 1 x 1
  @Dropout(rate = 0.5) @Dense(units = 1000)
  Layer fc;                                                                   // 1000 logits
}
