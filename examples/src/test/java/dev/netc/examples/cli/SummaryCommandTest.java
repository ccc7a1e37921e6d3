package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Graph;
import org.junit.jupiter.api.Test;

class SummaryCommandTest {

  @Test
  void layersGroupsAndTotalsOfAHandBuiltGraph() {
    // conv1: 4*1*3*3 + 4 = 40 parameters, 4*8*8 outputs * 9 = 2,304 MACs; fc: 64*10 + 10 = 650, 640 MACs.
    assertEquals(String.join("\n",
        "Tiny: input 1x8x8 -> output 10x1x1",
        "",
        "Layers (as described)",
        "layer  operation       output  parameters  multiply-adds",
        "-----  --------------  ------  ----------  -------------",
        "input  input 1x8x8     1x8x8            -              -",
        "conv1  conv 4@3x3 p1   4x8x8           40          2,304",
        "relu1  relu            4x8x8            -              -",
        "pool1  maxpool 2x2 s2  4x4x4            -              -",
        "fc     dense 10        10x1x1         650            640",
        "prob   softmax         10x1x1           -              -",
        "",
        "Fused groups (as they run)",
        "#  group  operation            fuses          output",
        "-  -----  -------------------  -------------  ------",
        "1  relu1  conv 4@3x3 p1 +relu  conv1 + relu1  4x8x8",
        "2  pool1  maxpool 2x2 s2       pool1          4x4x4",
        "3  prob   dense 10 +softmax    fc + prob      10x1x1",
        "",
        "Totals",
        "  parameters                 690",
        "  multiply-adds per image  2,944",
        "  kernel launches              3",
        ""), SummaryCommand.render(TestNetworks.tiny(), TestNetworks.tinyFused()));
  }

  @Test
  void unfusedGraphLaunchesOneKernelPerLayer() {
    Graph g = TestNetworks.tiny();
    String s = SummaryCommand.render(g, g);
    assertTrue(s.endsWith("  kernel launches              5\n"), s);
  }

  @Test
  void deterministic() {
    assertEquals(SummaryCommand.render(TestNetworks.tiny(), TestNetworks.tinyFused()),
        SummaryCommand.render(TestNetworks.tiny(), TestNetworks.tinyFused()));
  }
}
