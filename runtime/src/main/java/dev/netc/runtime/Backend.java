package dev.netc.runtime;

import java.util.Locale;

/**
 * Which implementation runs a generated model. The default for {@link Netc#load(Class, Weights)} comes from the
 * system property {@code netc.backend}, else the environment variable {@code NETC_BACKEND}, else
 * {@link #AUTO}.
 */
public enum Backend {
  /** The generated, multi-threaded Java code; always available. */
  JAVA,
  /** The generated OpenCL kernels on an OpenCL device (a GPU, or a CPU driver such as PoCL). */
  OPENCL,
  /** OpenCL when a device exists, else Java (saying so once on standard error). */
  AUTO;

  /** Parses {@code java}, {@code opencl} or {@code auto}, ignoring case. */
  public static Backend parse(String value) {
    for (Backend b : values()) {
      if (b.name().equalsIgnoreCase(value.trim())) return b;
    }
    throw new NetcException("unknown backend '" + value + "'; choose java, opencl or auto");
  }

  /** The configured default: {@code -Dnetc.backend}, else {@code NETC_BACKEND}, else AUTO. */
  public static Backend configured() {
    String v = System.getProperty("netc.backend");
    if (v == null || v.isBlank()) v = System.getenv("NETC_BACKEND");
    return v == null || v.isBlank() ? AUTO : parse(v);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
