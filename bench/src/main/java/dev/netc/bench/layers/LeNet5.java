package dev.netc.bench.layers;

import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;
import dev.netc.dsl.Softmax;

/**
 * {@code dev.netc.examples.LeNet5}, layer for layer, with {@code benchmark = true}: the processor writes {@code
 * LeNet5_Benchmark}, the per-layer JMH benchmark that {@code tools/bench/layers.sh} runs. A copy, because the
 * examples module does not depend on JMH; {@code SameNetworksTest} fails when the two drift apart.
 */
@Network(benchmark = true)
@Input(channels = 1, height = 28, width = 28)
public final class LeNet5 {
  @Conv(filters = 6, kernel = 5, padding = 2) @Relu @MaxPool(window = 2)
  Layer conv1;
  @Conv(filters = 16, kernel = 5) @Relu @MaxPool(window = 2)
  Layer conv2;
  @Dense(units = 120) @Relu
  Layer fc1;
  @Dense(units = 84) @Relu
  Layer fc2;
  @Dense(units = 10) @Softmax
  Layer fc3;
}
