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
 * VGG-16 (Simonyan, Zisserman 2014, configuration D) as torchvision builds it
 * ({@code torchvision.models.vgg16}, without batch norm): five stages of 3 x 3 convolutions (padding 1,
 * ReLU), each closed by a 2 x 2 max-pool, then three dense layers with dropout, logits out. 138,357,544 parameters.
 *
 * <p>Weight names are torchvision's: its convolutions sit in one flat {@code Sequential}, {@code features}, whose
 * indices count the ReLUs and pools too ({@code features.0}, {@code features.2}, {@code features.5}, ...), and
 * its dense layers in {@code classifier} (0, 3, 6). That flat numbering is why VGG is written layer by layer
 * with {@code name} rather than as a repeated block (whose names would be {@code stage.i.conv}); each field
 * carries the paper's name, {@code conv<stage>_<n>}.
 */
@Network
@Input(channels = 3, height = 224, width = 224)
public final class VGG16 {
  @Conv(filters = 64, kernel = 3, padding = 1, name = "features.0") @Relu
  Layer conv1_1;
  @Conv(filters = 64, kernel = 3, padding = 1, name = "features.2") @Relu @MaxPool(window = 2)
  Layer conv1_2;
  @Conv(filters = 128, kernel = 3, padding = 1, name = "features.5") @Relu
  Layer conv2_1;
  @Conv(filters = 128, kernel = 3, padding = 1, name = "features.7") @Relu @MaxPool(window = 2)
  Layer conv2_2;
  @Conv(filters = 256, kernel = 3, padding = 1, name = "features.10") @Relu
  Layer conv3_1;
  @Conv(filters = 256, kernel = 3, padding = 1, name = "features.12") @Relu
  Layer conv3_2;
  @Conv(filters = 256, kernel = 3, padding = 1, name = "features.14") @Relu @MaxPool(window = 2)
  Layer conv3_3;
  @Conv(filters = 512, kernel = 3, padding = 1, name = "features.17") @Relu
  Layer conv4_1;
  @Conv(filters = 512, kernel = 3, padding = 1, name = "features.19") @Relu
  Layer conv4_2;
  @Conv(filters = 512, kernel = 3, padding = 1, name = "features.21") @Relu @MaxPool(window = 2)
  Layer conv4_3;
  @Conv(filters = 512, kernel = 3, padding = 1, name = "features.24") @Relu
  Layer conv5_1;
  @Conv(filters = 512, kernel = 3, padding = 1, name = "features.26") @Relu
  Layer conv5_2;
  @Conv(filters = 512, kernel = 3, padding = 1, name = "features.28") @Relu @MaxPool(window = 2)
  Layer conv5_3;

  /** torchvision's {@code avgpool}: the identity at 224 x 224, kept so that the description reads like the source. */
  @AdaptiveAvgPool(height = 7, width = 7)
  Layer avgpool;                                                       // 512 x 7 x 7 = 25,088 features

  @Dense(units = 4096, name = "classifier.0") @Relu @Dropout(rate = 0.5)
  Layer fc6;

  @Dense(units = 4096, name = "classifier.3") @Relu @Dropout(rate = 0.5)
  Layer fc7;

  @Dense(units = 1000, name = "classifier.6")
  Layer fc8;
}
