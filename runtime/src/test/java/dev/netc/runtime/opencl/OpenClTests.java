package dev.netc.runtime.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need an OpenCL device. Where OpenCL is missing they are skipped loudly, except on CI
 * ({@code CI=true}), where a missing device is a broken build machine and the tests fail with the reason.
 */
public final class OpenClTests {
  private static volatile boolean announced;

  private OpenClTests() {}

  /** Call from {@code @BeforeEach}, so each skipped test is counted as skipped. */
  public static void assumeAvailable() {
    if (OpenCl.isAvailable()) return;
    String reason = OpenCl.unavailableReason();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("OpenCL is required on CI (CI=true) but is unavailable: " + reason);
    }
    if (!announced) {
      announced = true;
      System.err.println("OPENCL TESTS SKIPPED: " + reason);
    }
    Assumptions.assumeTrue(false, "OpenCL unavailable: " + reason);
  }

  /** The device tests run on: the default spec (netc.opencl.device / NETC_OPENCL_DEVICE), else auto. */
  public static ClDevice device() {
    assumeAvailable();
    return OpenCl.select();
  }
}
