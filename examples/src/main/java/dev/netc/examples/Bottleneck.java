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
 * ResNet's bottleneck block (He et al. 2015, figure 5 right; torchvision's {@code Bottleneck}): 1 x 1 down to
 * {@code planes} channels, 3 x 3, 1 x 1 up to {@code 4 * planes}, each with batch norm, added to the block's
 * input, then ReLU. Used by {@link ResNet50}, {@link ResNet101} and {@link ResNet152}.
 *
 * <p>torchvision's is "ResNet v1.5": the stride sits on the 3 x 3 convolution, not on the first 1 x 1, and
 * applies to the first copy of a stage only. The projection shortcut exists where torchvision builds one: in
 * the first copy, when it strides or when the input's channels differ from the block's output (so also at the
 * start of layer1, 64 -> 256 channels at stride 1). Weight names are torchvision's.
 */
@Block(params = {"planes", "stride"})
final class Bottleneck {
  @Conv(kernel = 1, bias = false, bind = "filters = planes")
  @BatchNorm(name = "bn1") @Relu
  Layer conv1;

  // Only the first block of a stage strides; @Use passes the same args to every copy.
  @Conv(kernel = 3, padding = 1, bias = false,
      bind = {"filters = planes", "stride = index == 0 ? stride : 1"})
  @BatchNorm(name = "bn2") @Relu
  Layer conv2;

  @Conv(kernel = 1, bias = false, bind = "filters = planes * 4")
  @BatchNorm(name = "bn3")
  Layer conv3;

  // The projection shortcut, as torchvision decides it; elsewhere the field passes `in` through.
  @When("index == 0 && (stride != 1 || in.channels != planes * 4)")
  @From("in")
  @Conv(kernel = 1, bias = false, name = "downsample.0",
      bind = {"filters = planes * 4", "stride = stride"})
  @BatchNorm(name = "downsample.1")
  Layer downsample;

  @From({"conv3", "downsample"}) @Add @Relu
  Layer out;
}
