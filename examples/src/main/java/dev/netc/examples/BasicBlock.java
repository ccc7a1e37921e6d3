package dev.netc.examples;

import dev.netc.dsl.Add;
import dev.netc.dsl.BatchNorm;
import dev.netc.dsl.Block;
import dev.netc.dsl.Conv;
import dev.netc.dsl.From;
import dev.netc.dsl.Layer;
import dev.netc.dsl.Relu;
import dev.netc.dsl.When;

/**
 * ResNet's basic block (He et al. 2015, figure 2 left; torchvision's {@code BasicBlock}): two 3 x 3
 * convolutions with batch norm, added to the block's input, then ReLU. Used by {@link ResNet18} and
 * {@link ResNet34}, one stage per {@code @Use(..., repeat = n)}.
 *
 * <p>{@code stride} applies to the first copy of a stage only. The projection shortcut (1 x 1 convolution and
 * batch norm, torchvision's {@code downsample}) exists exactly where torchvision builds one: in the first copy,
 * when it strides or changes the channel count. Weight names are torchvision's: {@code conv1}, {@code bn1},
 * {@code conv2}, {@code bn2}, {@code downsample.0}, {@code downsample.1}.
 */
@Block(params = {"planes", "stride"})
final class BasicBlock {
  @Conv(kernel = 3, padding = 1, bias = false, bind = {"filters = planes", "stride = index == 0 ? stride : 1"})
  @BatchNorm(name = "bn1") @Relu
  Layer conv1;

  @Conv(kernel = 3, padding = 1, bias = false, bind = "filters = planes")
  @BatchNorm(name = "bn2")
  Layer conv2;

  @When("index == 0 && (stride != 1 || in.channels != planes)")
  @From("in")
  @Conv(kernel = 1, bias = false, name = "downsample.0", bind = {"filters = planes", "stride = stride"})
  @BatchNorm(name = "downsample.1")
  Layer downsample;

  @From({"conv2", "downsample"}) @Add @Relu
  Layer out;
}
