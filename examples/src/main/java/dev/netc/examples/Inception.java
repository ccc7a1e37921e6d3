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
 * GoogLeNet's Inception module (Szegedy et al. 2014, figure 2b) as torchvision builds it: four branches read the
 * module's input (1 x 1; 1 x 1 then 3 x 3; 1 x 1 then the "5 x 5", which torchvision implements as 3 x 3; a
 * 3 x 3 max-pool then 1 x 1) and are concatenated along channels, {@code c1 + c3 + c5 + pool_proj} of them.
 * Every convolution is torchvision's {@code BasicConv2d}: no bias, batch norm with {@code eps = 0.001}, ReLU.
 * Parameters as in the paper's table 1 ({@code #1x1}, {@code #3x3 reduce}, {@code #3x3}, {@code #5x5 reduce},
 * {@code #5x5}, {@code pool proj}); weight names torchvision's ({@code branch2.0.conv}, {@code branch2.1.bn}, ...).
 */
@Block(params = {"c1", "c3r", "c3", "c5r", "c5", "pool_proj"})
final class Inception {
  // branch 1: 1x1
  @Conv(kernel = 1, bias = false, name = "branch1.conv", bind = "filters = c1")
  @BatchNorm(eps = 0.001, name = "branch1.bn") @Relu
  Layer branch1;

  // branch 2: 1x1 reduce, then 3x3
  @From("in")
  @Conv(kernel = 1, bias = false, name = "branch2.0.conv", bind = "filters = c3r")
  @BatchNorm(eps = 0.001, name = "branch2.0.bn") @Relu
  Layer branch2a;

  @Conv(kernel = 3, padding = 1, bias = false, name = "branch2.1.conv", bind = "filters = c3")
  @BatchNorm(eps = 0.001, name = "branch2.1.bn") @Relu
  Layer branch2b;

  // branch 3: 1x1 reduce, then the paper's 5x5 - which torchvision implements as 3x3, padding 1
  @From("in")
  @Conv(kernel = 1, bias = false, name = "branch3.0.conv", bind = "filters = c5r")
  @BatchNorm(eps = 0.001, name = "branch3.0.bn") @Relu
  Layer branch3a;

  @Conv(kernel = 3, padding = 1, bias = false, name = "branch3.1.conv", bind = "filters = c5")
  @BatchNorm(eps = 0.001, name = "branch3.1.bn") @Relu
  Layer branch3b;

  // branch 4: 3x3 max-pool (stride 1, ceil mode), then 1x1 projection
  @From("in")
  @MaxPool(window = 3, stride = 1, padding = 1, ceil = true)
  @Conv(kernel = 1, bias = false, name = "branch4.1.conv", bind = "filters = pool_proj")
  @BatchNorm(eps = 0.001, name = "branch4.1.bn") @Relu
  Layer branch4;

  @From({"branch1", "branch2b", "branch3b", "branch4"}) @Concat
  Layer out;
}
