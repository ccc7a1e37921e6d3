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
 * Inception v3's module for the 8 x 8 grid (Szegedy et al. 2015, figure 7; torchvision's {@code InceptionE}):
 * the 3 x 3 convolutions split into a 1 x 3 and a 3 x 1 side by side (not in sequence), which widens the
 * output for the coarsest grid. torchvision concatenates each split pair first and then the four branches;
 * one concatenation of the six parts in the same order is the same tensor.
 */
@Block
final class InceptionE {
  @Conv(filters = 320, kernel = 1, bias = false, name = "branch1x1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch1x1;

  @From("in") @Conv(filters = 384, kernel = 1, bias = false, name = "branch3x3_1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3_1;
  @Conv(filters = 384, kernel = {1, 3}, padding = {0, 1}, bias = false, name = "branch3x3_2a.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3_2a;
  @From("branch3x3_1")
  @Conv(filters = 384, kernel = {3, 1}, padding = {1, 0}, bias = false, name = "branch3x3_2b.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3_2b;

  @From("in") @Conv(filters = 448, kernel = 1, bias = false, name = "branch3x3dbl_1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_1;
  @Conv(filters = 384, kernel = 3, padding = 1, bias = false, name = "branch3x3dbl_2.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_2;
  @Conv(filters = 384, kernel = {1, 3}, padding = {0, 1}, bias = false, name = "branch3x3dbl_3a.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_3a;
  @From("branch3x3dbl_2")
  @Conv(filters = 384, kernel = {3, 1}, padding = {1, 0}, bias = false, name = "branch3x3dbl_3b.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch3x3dbl_3b;

  @From("in") @AvgPool(window = 3, stride = 1, padding = 1)
  @Conv(filters = 192, kernel = 1, bias = false, name = "branch_pool.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch_pool;

  @From({"branch1x1", "branch3x3_2a", "branch3x3_2b", "branch3x3dbl_3a", "branch3x3dbl_3b", "branch_pool"})
  @Concat
  Layer out;
}
