package dev.netc.examples;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The example network descriptions, for the command-line tool and the tests: from the smallest (LeNet-5) through
 * the AlexNet family. Each class is a {@code @Network} description; the processor generates
 * {@code <Name>_Model} next to it.
 */
public final class Zoo {
  private static final List<Class<?>> NETWORKS = List.of(
      LeNet5.class,
      LeNet5Original.class,
      AlexNet.class,
      TorchvisionAlexNet.class,
      AlexNetHalf.class,
      ZFNet.class);

  private Zoo() {}

  /** The example descriptions, smallest first, then the AlexNet family with the paper's net at its head. */
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
