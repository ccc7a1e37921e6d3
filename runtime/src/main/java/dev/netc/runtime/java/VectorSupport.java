package dev.netc.runtime.java;

/**
 * Whether generated Java-backend models may use {@link VectorConv}, {@link LaneConv} and {@link VectorDense}, which need the
 * incubating Vector API: the JVM must run with {@code --add-modules jdk.incubator.vector} (JDK 17 resolves incubator modules only when asked;
 * {@code ./netc} and the build's tests ask). Without it, models run their plain-Java kernels ({@link Micro}), which
 * compute the same sums in another order. {@code -Dnetc.vector=false} turns the Vector API off even when present.
 *
 * <p>This class names no Vector API type, so it loads everywhere; {@link VectorConv} is loaded only when this says
 * yes (the same holds for {@link LaneConv} and {@link VectorDense}).
 */
public final class VectorSupport {
  private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private VectorSupport() {}

  /**
   * Whether a model created now uses the Vector API: the module is present and {@code netc.vector} is not {@code
   * false}. Read when a model is created (not cached), so that tests can build models of both kinds in one JVM.
   */
  public static boolean enabled() {
    return PRESENT && !"false".equals(System.getProperty("netc.vector"));
  }

  /** Whether the JVM resolved {@code jdk.incubator.vector} (what {@code --add-modules} decides). */
  public static boolean present() {
    return PRESENT;
  }
}
