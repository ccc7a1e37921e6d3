package dev.netc.examples;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The example network descriptions, for the command-line tool and the tests: from the smallest (LeNet-5) through
 * the AlexNet family to its successors (VGG, GoogLeNet, Inception v3, ResNet), each with torchvision's weight
 * names where torchvision has the network. Each class is a {@code @Network} description; the processor generates
 * {@code <Name>_Model} next to it.
 */
public final class Zoo {
  private static final List<Class<?>> NETWORKS = List.of(
      LeNet5.class,
      FashionAlexNet.class,
      Figure1Relu.class,
      Figure1Tanh.class,
      LeNet5Original.class,
      AlexNet.class,
      TorchvisionAlexNet.class,
      AlexNetHalf.class,
      ZFNet.class,
      VGG16.class,
      VGG19.class,
      GoogLeNet.class,
      InceptionV3.class,
      ResNet18.class,
      ResNet34.class,
      ResNet50.class,
      ResNet101.class,
      ResNet152.class);

  private Zoo() {}

  /**
   * The example descriptions: LeNet-5, the AlexNet family with the paper's net at its head, then VGG, GoogLeNet,
   * Inception v3 and the ResNets, shallowest first.
   */
  public static List<Class<?>> networks() {
    return NETWORKS;
  }

  /** The description whose simple class name is {@code name}, ignoring case ({@code "alexnet"}, {@code "ZFNet"}). */
  public static Optional<Class<?>> find(String name) {
    if (name == null) return Optional.empty();
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Class<?> c : NETWORKS) {
      if (c.getSimpleName().toLowerCase(Locale.ROOT).equals(wanted)) return Optional.of(c);
    }
    return Optional.empty();
  }
}
