package dev.netc.examples.cli;

import java.util.Locale;

/** Which implementation runs a network: {@code --backend java|opencl|reference|auto}. */
public enum Backend {
  /** The generated, specialised Java code. */
  JAVA,
  /** The generated OpenCL kernels on an OpenCL device ({@code NETC_OPENCL_DEVICE} picks one). */
  OPENCL,
  /** The slow double-precision interpreter, the oracle the others are checked against. */
  REFERENCE,
  /** OpenCL when a device exists here, else Java (the runtime says which, once). */
  AUTO;

  /** The option's value, ignoring case. */
  public static Backend parse(String value) {
    for (Backend b : values()) {
      if (b.name().toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) return b;
    }
    throw new UsageException("unknown backend '" + value + "'; choose java, opencl, reference or auto");
  }

  /** The backend {@link #AUTO} stands for on this machine; others stand for themselves. */
  public Backend resolve() {
    if (this != AUTO) return this;
    return dev.netc.runtime.Netc.resolve(dev.netc.runtime.Backend.AUTO) == dev.netc.runtime.Backend.OPENCL ? OPENCL : JAVA;
  }

  /** The runtime's backend for the generated models (not for REFERENCE). */
  dev.netc.runtime.Backend runtime() {
    return this == OPENCL ? dev.netc.runtime.Backend.OPENCL : this == AUTO ? dev.netc.runtime.Backend.AUTO
        : dev.netc.runtime.Backend.JAVA;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
