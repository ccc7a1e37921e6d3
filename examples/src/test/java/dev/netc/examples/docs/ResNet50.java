package dev.netc.examples.docs;

import dev.netc.dsl.*;

// Copied verbatim from docs/DSL.md so that the guide's worked examples are compiled by the processor in every
// build. If you edit one, edit the other.

@Network
@Input(channels = 3, height = 224, width = 224)
public final class ResNet50 {
  @Conv(filters = 64, kernel = 7, stride = 2, padding = 3, bias = false)
  @BatchNorm(name = "bn1") @Relu
  @MaxPool(window = 3, stride = 2, padding = 1)
  Layer conv1;                                                       //   64 x 56 x 56

  @Use(value = Bottleneck.class, args = {64, 1}, repeat = 3)  Layer layer1;   //  256 x 56 x 56
  @Use(value = Bottleneck.class, args = {128, 2}, repeat = 4) Layer layer2;   //  512 x 28 x 28
  @Use(value = Bottleneck.class, args = {256, 2}, repeat = 6) Layer layer3;   // 1024 x 14 x 14
  @Use(value = Bottleneck.class, args = {512, 2}, repeat = 3) Layer layer4;   // 2048 x  7 x  7

  @GlobalAvgPool
  Layer avgpool;                                                     // 2048 x  1 x  1

  @Dense(units = 1000)
  Layer fc;                                                          // 1000 logits
}
