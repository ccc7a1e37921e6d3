package dev.netc.examples;

import dev.netc.dsl.AvgPool;
import dev.netc.dsl.BatchNorm;
import dev.netc.dsl.Block;
import dev.netc.dsl.Concat;
import dev.netc.dsl.Conv;
import dev.netc.dsl.From;
import dev.netc.dsl.Layer;
import dev.netc.dsl.Relu;

/**
 * Inception v3's module for the 35 x 35 grid (Szegedy et al. 2015, "Rethinking the Inception Architecture", figure
 * 5; torchvision's {@code InceptionA}): a 1 x 1 branch, a 5 x 5 branch, a double 3 x 3 branch (the factorised
 * 5 x 5 of figure 5, torchvision keeps a 5 x 5 branch beside it) and an average-pool branch whose 1 x 1 has
 * {@code pool_features} filters. Every convolution is torchvision's {@code BasicConv2d}: no bias, batch norm with
 * {@code eps = 0.001}, ReLU, weights {@code <field>.conv} and {@code <field>.bn}.
 */
@Block(params = {"pool_features"})
final class InceptionA {
  @Conv(filters = 64, kernel = 1, bias = false, name = "branch1x1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch1x1;

  @From("in") @Conv(filters = 48, kernel = 1, bias = false, name = "branch5x5_1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch5x5_1;
  @Conv(filters = 64, kernel = 5, padding = 2, bias = false, name = "branch5x5_2.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch5x5_2;

  @From("in") @Conv(filters = 64, kernel = 1, bias = false, name = "branch3x3dbl_1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_1;
  @Conv(filters = 96, kernel = 3, padding = 1, bias = false, name = "branch3x3dbl_2.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_2;
  @Conv(filters = 96, kernel = 3, padding = 1, bias = false, name = "branch3x3dbl_3.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_3;

  @From("in") @AvgPool(window = 3, stride = 1, padding = 1)
  @Conv(kernel = 1, bias = false, name = "branch_pool.conv", bind = "filters = pool_features")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch_pool;

  @From({"branch1x1", "branch5x5_2", "branch3x3dbl_3", "branch_pool"}) @Concat
  Layer out;
}
