package dev.netc.examples;

import dev.netc.dsl.AdaptiveAvgPool;
import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Dropout;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;

/**
 * torchvision's AlexNet ({@code torchvision.models.alexnet}), the variant most PyTorch users have weights for. It
 * follows Krizhevsky's "One weird trick for parallelizing convolutional neural networks" (2014) rather than the
 * 2012 paper (see shared/SEEDS.md): one column with 64-192-384-256-256 channels, no LRN, no groups, an adaptive
 * average pool to 6 x 6 (an identity at a 224 x 224 input) and logits out, with no softmax.
 *
 * <p>Weight names are torchvision's {@code state_dict} keys, mapped with {@code name}: the convolutions are
 * {@code features.0, 3, 6, 8, 10} and the dense layers {@code classifier.1, 4, 6}, so a
 * {@code torch.save(model.state_dict())} exported to safetensors loads as is. The fields carry the readable
 * names. Dropout sits where torchvision has it: before fc6 and before fc7.
 *
 * <p>Shapes: conv1 64x55x55 -> pool 64x27x27, conv2 192x27x27 -> pool 192x13x13, conv3 384x13x13,
 * conv4 256x13x13, conv5 256x13x13 -> pool 256x6x6, avgpool 256x6x6, fc6 4096, fc7 4096, fc8 1000;
 * 61,100,840 parameters.
 */
@Network
@Input(channels = 3, height = 224, width = 224)
public final class TorchvisionAlexNet {
  @Conv(filters = 64, kernel = 11, stride = 4, padding = 2, name = "features.0") @Relu
  @MaxPool(window = 3, stride = 2)
  Layer conv1;

  @Conv(filters = 192, kernel = 5, padding = 2, name = "features.3") @Relu @MaxPool(window = 3, stride = 2)
  Layer conv2;

  @Conv(filters = 384, kernel = 3, padding = 1, name = "features.6") @Relu
  Layer conv3;

  @Conv(filters = 256, kernel = 3, padding = 1, name = "features.8") @Relu
  Layer conv4;

  @Conv(filters = 256, kernel = 3, padding = 1, name = "features.10") @Relu @MaxPool(window = 3, stride = 2)
  Layer conv5;

  /** torchvision's {@code avgpool}: makes the classifier independent of the input size. */
  @AdaptiveAvgPool(height = 6, width = 6)
  Layer avgpool;

  @Dropout(rate = 0.5) @Dense(units = 4096, name = "classifier.1") @Relu
  Layer fc6;

  @Dropout(rate = 0.5) @Dense(units = 4096, name = "classifier.4") @Relu
  Layer fc7;

  /** Logits: torchvision's AlexNet has no softmax. */
  @Dense(units = 1000, name = "classifier.6")
  Layer fc8;
}
