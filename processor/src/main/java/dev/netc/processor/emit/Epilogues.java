package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.netc.graph.Activation;

/** Java expressions for activations, applied to a float variable; constants inlined. */
final class Epilogues {
  private Epilogues() {}

  /** {@code v * scale - offset}, written without multiplying by 1 or subtracting 0. */
  static String affine(String v, int scale, int offset) {
    String s = scale == 1 ? v : v + " * " + scale;
    if (offset == 0) return s;
    return offset > 0 ? s + " - " + offset : s + " + " + (-offset);
  }

  static CodeBlock activation(Activation a, String v) {
    switch (a.kind()) {
      case IDENTITY:
        return CodeBlock.of("$N", v);
      case RELU: // branch-free: see Micro.relu
        return CodeBlock.of("$T.relu($N)", KernelContext.MICRO, v);
      case LEAKY_RELU:
        return CodeBlock.of("$N > 0f ? $N : $Lf * $N", v, v, Float.toString(a.alpha()), v);
      case ELU:
        return CodeBlock.of("$N > 0f ? $N : $Lf * (float) Math.expm1($N)", v, v, Float.toString(a.alpha()), v);
      case SELU:
        return CodeBlock.of("$Lf * ($N > 0f ? $N : $Lf * (float) Math.expm1($N))",
            Float.toString((float) Activation.SELU_SCALE), v, v, Float.toString((float) Activation.SELU_ALPHA), v);
      case TANH:
        return CodeBlock.of("(float) Math.tanh($N)", v);
      case SIGMOID:
        return CodeBlock.of("1f / (1f + (float) Math.exp(-$N))", v);
      default:
        throw new IllegalArgumentException(a.toString());
    }
  }
}
