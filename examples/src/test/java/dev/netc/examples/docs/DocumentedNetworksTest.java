package dev.netc.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Graph;
import dev.netc.graph.Shape;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SyntheticWeights;
import org.junit.jupiter.api.Test;

/**
 * The ResNet-50 and GoogLeNet descriptions of docs/DSL.md compile, have torchvision's parameter counts and
 * weight names, and run. Their numbers are checked against torchvision by PyTorchParityTest through the same
 * descriptions in the model zoo (dev.netc.examples.ResNet50, GoogLeNet); here, that the guide's copies give the
 * same graph as the zoo's.
 */
class DocumentedNetworksTest {
  @Test
  void resnet50() {
    Graph g = Netc.graph(ResNet50.class);
    assertEquals(25_557_032L, g.parameterCount());
    assertEquals(new Shape(1000, 1, 1), g.outputShape());
    assertHasWeight(g, "layer1.0.downsample.0.weight");
    assertHasWeight(g, "layer3.5.bn2.running_var");
    assertHasWeight(g, "fc.bias");
    assertSameNetwork(Netc.graph(dev.netc.examples.ResNet50.class), g);
    runs(ResNet50.class);
  }

  @Test
  void googlenet() {
    Graph g = Netc.graph(GoogLeNet.class);
    assertEquals(6_624_904L, g.parameterCount());
    assertEquals(new Shape(1000, 1, 1), g.outputShape());
    assertHasWeight(g, "inception4e.branch3.1.conv.weight");
    assertHasWeight(g, "conv1.bn.running_mean");
    assertSameNetwork(Netc.graph(dev.netc.examples.GoogLeNet.class), g);
    runs(GoogLeNet.class);
  }

  /** The same layers, shapes and weights: the guide's copy describes the zoo's network. */
  private static void assertSameNetwork(Graph zoo, Graph guide) {
    assertEquals(zoo.dump().replace(zoo.name(), "N"), guide.dump().replace(guide.name(), "N"));
    assertEquals(zoo.weights(), guide.weights());
  }

  private static void assertHasWeight(Graph g, String name) {
    assertTrue(g.weights().stream().anyMatch(w -> w.name().equals(name)), "no weight " + name);
  }

  private static void runs(Class<?> network) {
    try (Model m = Netc.load(network, new SyntheticWeights(), Backend.JAVA)) {
      Shape in = m.inputShape();
      float[] out = m.forward(SyntheticWeights.input(1, in.channels(), in.height(), in.width()), 1);
      float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
      for (float v : out) {
        assertTrue(Float.isFinite(v), "non-finite output");
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertTrue(max > min, "constant output");
    }
  }
}
