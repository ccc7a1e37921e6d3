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
 * The ResNets shrunk for the OpenCL simulator (tools/oclgrind-check.sh; 32 x 32 input, a few channels): the same
 * stem, the zoo's {@link BasicBlock} and {@link Bottleneck} with and without projections, so batch norm,
 * residual additions, strided 1 x 1 convolutions and global pooling run under oclgrind. In this package because
 * the blocks are package-private.
 */
@Network
@Input(channels = 3, height = 32, width = 32)
public final class SmallResNet {
  @Conv(filters = 8, kernel = 7, stride = 2, padding = 3, bias = false) @BatchNorm(name = "bn1") @Relu
  @MaxPool(window = 3, stride = 2, padding = 1)
  Layer conv1;                                                           //  8 x 8 x 8
  @Use(value = BasicBlock.class, args = {8, 1}, repeat = 2) Layer layer1; //  8 x 8 x 8, no projection
  @Use(value = BasicBlock.class, args = {12, 2}) Layer layer2;           // 12 x 4 x 4
  @Use(value = Bottleneck.class, args = {4, 2}, repeat = 2) Layer layer3; // 16 x 2 x 2
  @GlobalAvgPool Layer avgpool;
  @Dense(units = 10) Layer fc;
}
