package dev.netc.runtime.data;

import org.junit.jupiter.api.Assumptions;

/**
 * The gate of every test that needs the real Fashion-MNIST files: they skip, saying so loudly, where the data
 * set is not installed, and fail under {@code CI=true}, where .ci/run installs it (a skip there would hide a
 * broken install). Shared with the examples module through the runtime's test jar.
 */
public final class FashionMnistTests {
  private FashionMnistTests() {}

  public static void assumeInstalled() {
    boolean installed = FashionMnist.isInstalled(FashionMnist.defaultDirectory());
    if (installed) return;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("Fashion-MNIST is not installed in " + FashionMnist.defaultDirectory()
          + " but CI=true: .ci/run installs dataset-fashion-mnist");
    }
    System.err.println("FASHION-MNIST TESTS SKIPPED: not installed in " + FashionMnist.defaultDirectory()
        + " (apt-get install dataset-fashion-mnist)");
    Assumptions.assumeTrue(false, "Fashion-MNIST is not installed");
  }
}
