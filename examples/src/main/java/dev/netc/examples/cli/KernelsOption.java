package dev.netc.examples.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code --kernels auto|cpu|gpu|tune}: which shape of OpenCL kernels a model runs (the runtime's {@code
 * netc.opencl.variant}): {@code auto} a variant tuned earlier on this device, else the one written for its type;
 * {@code cpu} or {@code gpu} that variant whatever the device; {@code tune} time them all on this device once
 * and remember the fastest.
 */
final class KernelsOption {
  static final String PROPERTY = "netc.opencl.variant";
  private static final List<String> VALUES = List.of("auto", "cpu", "gpu", "tune");

  private KernelsOption() {}

  /** The option's value, checked, or null when it is absent. */
  static String parse(Args args, Backend backend) {
    String v = args.string("kernels", null);
    if (v == null) return null;
    String k = v.trim().toLowerCase(Locale.ROOT);
    if (!VALUES.contains(k)) {
      throw new UsageException("unknown --kernels '" + v + "'; choose " + String.join(", ", VALUES));
    }
    if (backend != Backend.OPENCL) {
      throw new UsageException("--kernels chooses among OpenCL kernel variants; use it with --backend opencl (this"
          + " run uses " + backend.name().toLowerCase(Locale.ROOT) + ")");
    }
    return k;
  }

  /** Runs {@code load} with the variant asked for (nothing changes when {@code kernels} is null). */
  static <T> T with(String kernels, Supplier<T> load) {
    if (kernels == null) return load.get();
    String previous = System.getProperty(PROPERTY);
    System.setProperty(PROPERTY, kernels);
    try {
      return load.get();
    } finally {
      if (previous == null) System.clearProperty(PROPERTY);
      else System.setProperty(PROPERTY, previous);
    }
  }
}
