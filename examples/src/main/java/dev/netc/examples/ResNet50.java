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
 * ResNet-50 (He et al. 2015, table 1, 50-layer) as torchvision builds it ({@code torchvision.models.resnet50}):
 * a 7 x 7 stem, four stages of {@link Bottleneck}s (3, 4, 6, 3 blocks), global average pooling and a 1000-way
 * dense layer (logits, no softmax). Weight names are torchvision's {@code state_dict} keys, batch-norm running
 * statistics included ({@code num_batches_tracked} is ignored), so its exported weights load as they are.
 * 25,557,032 parameters.
 */
@Network
@Input(channels = 3, height = 224, width = 224)
public final class ResNet50 {
  @Conv(filters = 64, kernel = 7, stride = 2, padding = 3, bias = false) @BatchNorm(name = "bn1") @Relu
  @MaxPool(window = 3, stride = 2, padding = 1)
  Layer conv1;                                                                  //   64 x 56 x 56

  @Use(value = Bottleneck.class, args = {64, 1}, repeat = 3)    Layer layer1;   //  256 x 56 x 56
  @Use(value = Bottleneck.class, args = {128, 2}, repeat = 4)   Layer layer2;   //  512 x 28 x 28
  @Use(value = Bottleneck.class, args = {256, 2}, repeat = 6)   Layer layer3;   // 1024 x 14 x 14
  @Use(value = Bottleneck.class, args = {512, 2}, repeat = 3)   Layer layer4;   // 2048 x  7 x  7

  @GlobalAvgPool Layer avgpool;                                                 // 2048 x  1 x  1
  @Dense(units = 1000) Layer fc;                                                // 1000 logits
}
