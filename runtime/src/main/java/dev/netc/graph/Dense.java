package dev.netc.graph;

/**
 * A fully connected layer over the flattened input ({@code C*H*W} features, in NCHW order, as
 * {@code torch.flatten(x, 1)}). Weights are {@code [units, features]}, bias {@code [units]}.
 *
 * @param activation fused element-wise epilogue, {@link Activation#NONE} until fusion
 * @param softmax whether a softmax over the units is fused after the activation
 * @param norm a batch norm over the units folded into the weights (before the activation), or null
 */
public record Dense(int units, boolean bias, Activation activation, boolean softmax, FoldedBatchNorm norm)
    implements Op {

  /** A dense layer with no folded batch norm. */
  public Dense(int units, boolean bias, Activation activation, boolean softmax) {
    this(units, bias, activation, softmax, null);
  }

  public Dense withActivation(Activation a) {
    return new Dense(units, bias, a, softmax, norm);
  }

  public Dense withSoftmax() {
    return new Dense(units, bias, activation, true, norm);
  }

  public Dense withNorm(FoldedBatchNorm n) {
    return new Dense(units, bias, activation, softmax, n);
  }

  /** Whether the kernel adds a bias: its own, or a folded batch norm's shift. */
  public boolean hasBias() {
    return bias || norm != null;
  }

  @Override
  public boolean hasWeights() {
    return true;
  }

  @Override
  public String label() {
    return "dense " + units + (bias ? "" : " nobias") + (norm == null ? "" : " +" + norm.label()) + (activation.isIdentity() ? "" : " +" + activation.label())
        + (softmax ? " +softmax" : "");
  }
}
