package com.example.tinynet;

import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;
import dev.netc.dsl.Softmax;

/**
 * A tiny CNN: 1 x 12 x 12 -> conv 4@3x3 (4 x 10 x 10) -> ReLU -> max-pool 2 (4 x 5 x 5) -> dense 10 -> softmax.
 * netc's processor generates {@code TinyNet_Model} from it at compile time.
 */
@Network
@Input(channels = 1, height = 12, width = 12)
public final class TinyNet {
  @Conv(filters = 4, kernel = 3) @Relu @MaxPool(window = 2)
  Layer conv1;

  @Dense(units = 10) @Softmax
  Layer fc;
}
