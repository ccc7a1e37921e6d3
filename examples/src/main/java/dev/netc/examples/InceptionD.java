package dev.netc.examples;

import dev.netc.dsl.BatchNorm;
import dev.netc.dsl.Block;
import dev.netc.dsl.Concat;
import dev.netc.dsl.Conv;
import dev.netc.dsl.From;
import dev.netc.dsl.Layer;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Relu;

/**
 * Inception v3's grid reduction from 17 x 17 to 8 x 8 (torchvision's {@code InceptionD}): a 1 x 1 then strided
 * 3 x 3; a 1 x 1, a factorised 7 x 7 (1 x 7, 7 x 1) and a strided 3 x 3; and a strided max-pool.
 */
@Block
final class InceptionD {
  @Conv(filters = 192, kernel = 1, bias = false, name = "branch3x3_1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3_1;
  @Conv(filters = 320, kernel = 3, stride = 2, bias = false, name = "branch3x3_2.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3_2;

  @From("in") @Conv(filters = 192, kernel = 1, bias = false, name = "branch7x7x3_1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7x3_1;
  @Conv(filters = 192, kernel = {1, 7}, padding = {0, 3}, bias = false, name = "branch7x7x3_2.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7x3_2;
  @Conv(filters = 192, kernel = {7, 1}, padding = {3, 0}, bias = false, name = "branch7x7x3_3.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7x3_3;
  @Conv(filters = 192, kernel = 3, stride = 2, bias = false, name = "branch7x7x3_4.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7x3_4;

  @From("in") @MaxPool(window = 3, stride = 2)
  Layer branch_pool;

  @From({"branch3x3_2", "branch7x7x3_4", "branch_pool"}) @Concat
  Layer out;
}
