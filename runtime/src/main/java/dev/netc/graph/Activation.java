package dev.netc.graph;

/**
 * An element-wise activation function. Used as a layer of its own before fusion and as the epilogue of a
 * convolution or dense layer after it; {@link #NONE} is the identity.
 *
 * @param kind the function
 * @param alpha its parameter: the negative slope of Leaky ReLU, the alpha of ELU; 0 for the others
 */
public record Activation(Kind kind, float alpha) implements Op {

  /** The identity: no activation. */
  public static final Activation NONE = new Activation(Kind.IDENTITY, 0f);

  /** SELU's fixed constants (Klambauer et al. 2017), as PyTorch uses them. */
  public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  public static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** The supported functions. */
  public enum Kind { IDENTITY, RELU, LEAKY_RELU, ELU, SELU, TANH, SIGMOID }

  public static Activation of(Kind kind) {
    return new Activation(kind, 0f);
  }

  public boolean isIdentity() {
    return kind == Kind.IDENTITY;
  }

  /** The function in double precision: the reference definition every backend is tested against. */
  public double apply(double x) {
    return switch (kind) {
      case IDENTITY -> x;
      case RELU -> x > 0 ? x : 0;
      case LEAKY_RELU -> x > 0 ? x : alpha * x;
      case ELU -> x > 0 ? x : alpha * Math.expm1(x);
      case SELU -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
      case TANH -> Math.tanh(x);
      case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
    };
  }

  @Override
  public String label() {
    return switch (kind) {
      case IDENTITY -> "identity";
      case RELU -> "relu";
      case LEAKY_RELU -> "leaky_relu(" + alpha + ")";
      case ELU -> "elu(" + alpha + ")";
      case SELU -> "selu";
      case TANH -> "tanh";
      case SIGMOID -> "sigmoid";
    };
  }
}
