package dev.netc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.graph.Graph;
import dev.netc.runtime.Netc;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-layer benchmarks time copies of the example networks ({@code dev.netc.bench.layers}, which ask for a
 * generated benchmark): they must stay the same networks, node for node, shapes and weight names included.
 */
class SameNetworksTest {
  @Test
  void benchmarkedCopiesAreTheExampleNetworks() {
    List<Class<?>[]> pairs = List.of(
        new Class<?>[] {dev.netc.examples.LeNet5.class, dev.netc.bench.layers.LeNet5.class},
        new Class<?>[] {dev.netc.examples.TorchvisionAlexNet.class, dev.netc.bench.layers.TorchvisionAlexNet.class});
    for (Class<?>[] p : pairs) {
      Graph example = Netc.graph(p[0]);
      Graph copy = Netc.graph(p[1]);
      assertEquals(example.nodes(), copy.nodes(), p[1].getName() + " differs from " + p[0].getName());
      assertEquals(example.output(), copy.output(), p[1].getName());
    }
  }
}
