package dev.netc.bench.layers;

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
 * {@code dev.netc.examples.TorchvisionAlexNet}, layer for layer, with {@code benchmark = true}: the processor writes
 * {@code TorchvisionAlexNet_Benchmark}, the per-layer JMH benchmark that {@code tools/bench/layers.sh} runs. A
 * copy, because the examples module does not depend on JMH; {@code SameNetworksTest} fails when the two drift
 * apart.
 */
@Network(benchmark = true)
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
  @AdaptiveAvgPool(height = 6, width = 6)
  Layer avgpool;
  @Dropout(rate = 0.5) @Dense(units = 4096, name = "classifier.1") @Relu
  Layer fc6;
  @Dropout(rate = 0.5) @Dense(units = 4096, name = "classifier.4") @Relu
  Layer fc7;
  @Dense(units = 1000, name = "classifier.6")
  Layer fc8;
}
