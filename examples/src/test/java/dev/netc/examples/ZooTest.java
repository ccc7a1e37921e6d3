package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.examples.cli.ZooCatalog;
import dev.netc.graph.Graph;
import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Netc;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every network of the zoo is listed by the command line, and has the parameter count of the network it
 * reproduces (torchvision's {@code sum(p.numel() for p in model.parameters())}, the auxiliary classifiers of
 * GoogLeNet and Inception v3 left out), which is also the total {@code netc summary} prints.
 */
class ZooTest {
  static Stream<Arguments> parameterCounts() {
    return Stream.of(
        Arguments.of(VGG16.class, 138_357_544L),
        Arguments.of(VGG19.class, 143_667_240L),
        Arguments.of(GoogLeNet.class, 6_624_904L),
        Arguments.of(InceptionV3.class, 23_834_568L),
        Arguments.of(ResNet18.class, 11_689_512L),
        Arguments.of(ResNet34.class, 21_797_672L),
        Arguments.of(ResNet50.class, 25_557_032L),
        Arguments.of(ResNet101.class, 44_549_160L),
        Arguments.of(ResNet152.class, 60_192_808L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parameterCounts")
  void parameterCountsAreTorchvisions(Class<?> network, long parameters) {
    Graph g = Netc.graph(network);
    assertEquals(parameters, g.parameterCount());
    assertEquals(new Shape(1000, 1, 1), g.outputShape());
    assertEquals(parameters, new ZooCatalog().graph(network.getSimpleName()).parameterCount());
  }

  @Test
  void everyNetworkIsListed() {
    List<String> listed = new ZooCatalog().names();
    for (Class<?> c : Zoo.networks()) assertTrue(listed.contains(c.getSimpleName()), c.getSimpleName());
    assertTrue(listed.containsAll(List.of("VGG16", "VGG19", "GoogLeNet", "InceptionV3", "ResNet18", "ResNet34",
        "ResNet50", "ResNet101", "ResNet152")), listed.toString());
  }

  @Test
  void resNetProjectionsExactlyWhereTorchvisionHasThem() {
    // torchvision: a downsample in the first block of every stage except ResNet-18/34's layer1
    assertEquals(Set.of("layer2.0", "layer3.0", "layer4.0"), downsampled(ResNet18.class));
    assertEquals(Set.of("layer2.0", "layer3.0", "layer4.0"), downsampled(ResNet34.class));
    assertEquals(Set.of("layer1.0", "layer2.0", "layer3.0", "layer4.0"), downsampled(ResNet152.class));
  }

  private static Set<String> downsampled(Class<?> network) {
    return Netc.graph(network).weights().stream().map(WeightSpec::name)
        .filter(n -> n.endsWith(".downsample.0.weight"))
        .map(n -> n.substring(0, n.length() - ".downsample.0.weight".length()))
        .collect(Collectors.toSet());
  }
}
