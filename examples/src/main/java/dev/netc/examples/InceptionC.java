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
 * Inception v3's module for the 17 x 17 grid (Szegedy et al. 2015, figure 6; torchvision's {@code InceptionC}):
 * every n x n convolution factorised into a 1 x n followed by an n x 1 (or the reverse), which sees the same
 * window for 2n instead of n^2 weights per channel pair. The paper uses n = 7 on this grid; {@code c7} is the
 * width of the factorised branches. The kernels and paddings are bound from {@code n}:
 * {@code kernel = {1, n}, padding = {0, n / 2}}.
 */
@Block(params = {"c7", "n"})
final class InceptionC {
  @Conv(filters = 192, kernel = 1, bias = false, name = "branch1x1.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch1x1;

  @From("in") @Conv(kernel = 1, bias = false, name = "branch7x7_1.conv", bind = "filters = c7")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7_1;
  @Conv(bias = false, name = "branch7x7_2.conv", bind = {"filters = c7", "kernel = {1, n}", "padding = {0, n / 2}"})
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7_2;
  @Conv(filters = 192, bias = false, name = "branch7x7_3.conv", bind = {"kernel = {n, 1}", "padding = {n / 2, 0}"})
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7_3;

  @From("in") @Conv(kernel = 1, bias = false, name = "branch7x7dbl_1.conv", bind = "filters = c7")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7dbl_1;
  @Conv(bias = false, name = "branch7x7dbl_2.conv", bind = {"filters = c7", "kernel = {n, 1}", "padding = {n / 2, 0}"})
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7dbl_2;
  @Conv(bias = false, name = "branch7x7dbl_3.conv", bind = {"filters = c7", "kernel = {1, n}", "padding = {0, n / 2}"})
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7dbl_3;
  @Conv(bias = false, name = "branch7x7dbl_4.conv", bind = {"filters = c7", "kernel = {n, 1}", "padding = {n / 2, 0}"})
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7dbl_4;
  @Conv(filters = 192, bias = false, name = "branch7x7dbl_5.conv", bind = {"kernel = {1, n}", "padding = {0, n / 2}"})
  @BatchNorm(eps = 0.001) @Relu
  Layer branch7x7dbl_5;

  @From("in") @AvgPool(window = 3, stride = 1, padding = 1)
  @Conv(filters = 192, kernel = 1, bias = false, name = "branch_pool.conv")
  @BatchNorm(eps = 0.001) @Relu
  Layer branch_pool;

  @From({"branch1x1", "branch7x7_3", "branch7x7dbl_5", "branch_pool"}) @Concat
  Layer out;
}
