package dev.netc.graph;

/**
 * A batch norm folded into the convolution or dense layer before it (the fold-batch-norm pass): the layer's
 * weights are rescaled and its bias shifted at load time, {@code w' = w * gamma / sqrt(var + eps)} per output
 * channel and {@code b' = (b - mean) * gamma / sqrt(var + eps) + beta}, so inference runs no separate
 * normalisation. The batch norm's tensors keep their own names ({@code prefix.weight}, {@code prefix.bias},
 * {@code prefix.running_mean}, {@code prefix.running_var}), so a weight file is checked against the names the
 * user wrote.
 *
 * @param prefix the batch norm's weight prefix
 * @param eps its epsilon
 */
public record FoldedBatchNorm(String prefix, double eps) {
  public FoldedBatchNorm {
    java.util.Objects.requireNonNull(prefix, "prefix");
  }

  /** The batch norm's four tensors, {@code channels} each, in the order gamma, beta, mean, variance. */
  public java.util.List<WeightSpec> weights(int channels) {
    return java.util.List.of(new WeightSpec(prefix + ".weight", channels), new WeightSpec(prefix + ".bias", channels),
        new WeightSpec(prefix + ".running_mean", false, channels),
        new WeightSpec(prefix + ".running_var", false, channels));
  }

  String label() {
    return "bn(" + prefix + ")";
  }
}
