package dev.netc.graph;

/**
 * A fully connected layer over the flattened input ({@code C*H*W} features, in NCHW order, as
 * {@code torch.flatten(x, 1)}). Weights are {@code [units, features]}, bias {@code [units]}.
 *
 * @param activation fused element-wise epilogue, {@link Activation#NONE} until fusion
 * @param softmax whether a softmax over the units is fused after the activation
 */
public record Dense(int units, boolean bias, Activation activation, boolean softmax) implements Op {

  public Dense withActivation(Activation a) {
    return new Dense(units, bias, a, softmax);
  }

  public Dense withSoftmax() {
    return new Dense(units, bias, activation, true);
  }

  @Override
  public boolean hasWeights() {
    return true;
  }

  @Override
  public String label() {
    return "dense " + units + (bias ? "" : " nobias") + (activation.isIdentity() ? "" : " +" + activation.label())
        + (softmax ? " +softmax" : "");
  }
}
