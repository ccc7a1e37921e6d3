package dev.netc.processor.emit.opencl;

import dev.netc.graph.Activation;

/**
 * OpenCL C expressions with their constants inlined: activation epilogues and the LRN power. Float only: every
 * literal carries {@code f} so no expression is promoted to double (which many GPUs lack).
 */
final class ClExpr {
  private ClExpr() {}

  /** {@code activation(v)} for a float variable {@code v}; NaN handling as the Java backend's. */
  static String activation(Activation a, String v) {
    switch (a.kind()) {
      case IDENTITY:
        return v;
      case RELU:
        return v + " > 0.0f ? " + v + " : 0.0f";
      case LEAKY_RELU:
        return v + " > 0.0f ? " + v + " : " + ClWriter.f(a.alpha()) + " * " + v;
      case ELU:
        return v + " > 0.0f ? " + v + " : " + ClWriter.f(a.alpha()) + " * expm1(" + v + ")";
      case SELU:
        return ClWriter.f(Activation.SELU_SCALE) + " * (" + v + " > 0.0f ? " + v + " : "
            + ClWriter.f(Activation.SELU_ALPHA) + " * expm1(" + v + "))";
      case TANH:
        return "tanh(" + v + ")";
      case SIGMOID:
        return "1.0f / (1.0f + exp(-" + v + "))";
      default:
        throw new IllegalArgumentException(a.toString());
    }
  }

  /** Rough arithmetic of one activation, for launch cost estimates. */
  static int flops(Activation a) {
    switch (a.kind()) {
      case IDENTITY:
        return 0;
      case RELU:
      case LEAKY_RELU:
        return 1;
      default:
        return 4;
    }
  }

  /**
   * {@code d^-beta} for a float {@code d}: AlexNet's 0.75 as {@code rsqrt(d * sqrt(d))}, 0.5 as {@code rsqrt(d)},
   * 1 as a division, else {@code pow}.
   */
  static String lrnPower(double beta, String d) {
    if (beta == 0.75) return "rsqrt(" + d + " * sqrt(" + d + "))";
    if (beta == 0.5) return "rsqrt(" + d + ")";
    if (beta == 1.0) return "(1.0f / " + d + ")";
    if (beta == 0.0) return "1.0f";
    return "pow(" + d + ", " + ClWriter.f(-beta) + ")";
  }
}
