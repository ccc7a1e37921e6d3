package dev.netc.examples.cli;

import java.util.Locale;

/** Which implementation runs a network: {@code --backend java|reference|auto}. */
public enum Backend {
  /** The generated, specialised Java code. */
  JAVA,
  /** The slow double-precision interpreter, the oracle the others are checked against. */
  REFERENCE,
  /** The fastest backend available here: Java until the OpenCL backend exists. */
  AUTO;

  /** The option's value, ignoring case. */
  public static Backend parse(String value) {
    for (Backend b : values()) {
      if (b.name().toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) return b;
    }
    throw new UsageException("unknown backend '" + value + "'; choose java, reference or auto");
  }

  /** The backend {@link #AUTO} stands for; others stand for themselves. */
  public Backend resolve() {
    return this == AUTO ? JAVA : this;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
