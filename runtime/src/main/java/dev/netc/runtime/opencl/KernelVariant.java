package dev.netc.runtime.opencl;

import java.util.Locale;

/**
 * The shapes in which the processor writes a network's kernels, one OpenCL program per variant. What runs fast
 * on a GPU (many work-items, local-memory tiles shared by a work-group through barriers) runs slowly on a CPU
 * device, where PoCL turns barriers and local memory into loops and spills, and the reverse: a CPU wants few,
 * fat work-items that fill its SIMD registers. Every variant computes the same function from the same weights
 * and activation arena; only the kernels' tiling differs.
 *
 * <p>The runtime picks one per model (see {@link OpenClModel}): by device type, or by the system property
 * {@code netc.opencl.variant} / environment variable {@code NETC_OPENCL_VARIANT} ({@code auto}, {@code cpu},
 * {@code gpu}, or {@code tune} to time them all once on the device and cache the winner).
 */
public enum KernelVariant {
  /**
   * Register tiles for CPU devices: a convolution work-item computes 8 or 16 consecutive positions (one
   * {@code float8}/{@code float16} lane each) for up to 32 filters; dense work-items compute 4 units with
   * 16-wide loads. No local memory, no barriers.
   */
  CPU,
  /**
   * Work-group tiles for GPUs: a convolution work-item computes one position for a small block of filters, a
   * work-group of 64 stages the block's weights in local memory; a dense layer gives each output unit a
   * work-group that streams its weight row with coalesced loads and reduces in local memory.
   */
  GPU;

  /** The name used in resource names, properties and messages: {@code cpu}, {@code gpu}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The variant written for a device of this type: {@link #CPU} for CPU devices, {@link #GPU} for all others. */
  public static KernelVariant forDevice(ClDevice device) {
    return "CPU".equals(device.type()) ? CPU : GPU;
  }

  /** The variant named {@code id} ({@code cpu} or {@code gpu}, any case), or null if there is none. */
  static KernelVariant byId(String id) {
    for (KernelVariant v : values()) {
      if (v.id().equalsIgnoreCase(id.trim())) return v;
    }
    return null;
  }
}
