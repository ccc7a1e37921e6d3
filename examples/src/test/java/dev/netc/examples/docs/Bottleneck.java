package dev.netc.examples.docs;

import dev.netc.dsl.*;

// Copied verbatim from docs/DSL.md so that the guide's worked examples are compiled by the processor in every
// build. If you edit one, edit the other.

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
