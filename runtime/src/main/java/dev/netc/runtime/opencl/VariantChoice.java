package dev.netc.runtime.opencl;

import dev.netc.runtime.NetcException;
import java.util.Locale;

/**
 * What the user asked for with the system property {@code netc.opencl.variant} or the environment variable
 * {@code NETC_OPENCL_VARIANT} (the property wins): {@code auto} (the default: a variant tuned earlier on this
 * device if the tuning cache has one, else the one written for the device's type), {@code cpu} or {@code gpu}
 * (that variant, whatever the device), or {@code tune} (time every variant on this device once, within a
 * bounded budget, and cache the winner for later {@code auto} loads).
 *
 * @param fixed the variant asked for by name, or null for {@code auto} and {@code tune}
 * @param tune whether to time the variants
 */
record VariantChoice(KernelVariant fixed, boolean tune) {
  static final String PROPERTY = "netc.opencl.variant";
  static final String ENV = "NETC_OPENCL_VARIANT";

  static final VariantChoice AUTO = new VariantChoice(null, false);

  /** The choice in the property or environment; {@link #AUTO} when neither is set. */
  static VariantChoice requested() {
    String p = System.getProperty(PROPERTY);
    if (p != null && !p.isBlank()) return parse(p, "system property " + PROPERTY);
    String e = System.getenv(ENV);
    if (e != null && !e.isBlank()) return parse(e, "environment variable " + ENV);
    return AUTO;
  }

  static VariantChoice parse(String value, String source) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("auto")) return AUTO;
    if (v.equals("tune")) return new VariantChoice(null, true);
    KernelVariant k = KernelVariant.byId(v);
    if (k == null) {
      throw new NetcException(source + " is '" + value + "'; it must be auto, cpu, gpu or tune");
    }
    return new VariantChoice(k, false);
  }
}
