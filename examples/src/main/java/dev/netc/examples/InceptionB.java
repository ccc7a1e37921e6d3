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
 * Inception v3's grid reduction from 35 x 35 to 17 x 17 (Szegedy et al. 2015, figure 10; torchvision's
 * {@code InceptionB}): a strided 3 x 3, a double 3 x 3 ending strided, and a strided max-pool, side by side, so
 * the grid shrinks while the channels grow (288 -> 768) without a representational bottleneck.
 */
@Block
final class InceptionB {
  @Conv(filters = 384, kernel = 3, stride = 2, bias = false, name = "branch3x3.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3;

  @From("in") @Conv(filters = 64, kernel = 1, bias = false, name = "branch3x3dbl_1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_1;
  @Conv(filters = 96, kernel = 3, padding = 1, bias = false, name = "branch3x3dbl_2.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_2;
  @Conv(filters = 96, kernel = 3, stride = 2, bias = false, name = "branch3x3dbl_3.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_3;

  @From("in") @MaxPool(window = 3, stride = 2)
  Layer branch_pool;

  @From({"branch3x3", "branch3x3dbl_3", "branch_pool"}) @Concat
  Layer out;
}
