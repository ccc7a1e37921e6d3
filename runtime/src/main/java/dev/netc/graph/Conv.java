package dev.netc.graph;

/**
 * A 2-D convolution (cross-correlation, as in PyTorch). Weights are {@code [filters, inChannels/groups,
 * kernelH, kernelW]}, bias {@code [filters]}.
 *
 * <p>After fusion the epilogue is, in this order: bias, a {@link FoldedBatchNorm folded batch norm} (in the
 * weights and bias), a residual operand (the node's second input, added element-wise), the activation.
 *
 * @param activation the fused activation; {@link Activation#NONE} until the fusion pass sets it
 * @param norm the batch norm folded into the weights, or null (set by the fold-batch-norm pass)
 * @param residual whether the node has a second input of the output's shape added before the activation (set
 *     by the fuse-residual-add pass)
 */
public record Conv(
    int filters, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int groups,
    boolean bias, Activation activation, FoldedBatchNorm norm, boolean residual) implements Op {

  /** A convolution as described: no folded batch norm, no residual operand. */
  public Conv(int filters, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int groups,
      boolean bias, Activation activation) {
    this(filters, kernelH, kernelW, strideH, strideW, padH, padW, groups, bias, activation, null, false);
  }

  public Conv withActivation(Activation a) {
    return new Conv(filters, kernelH, kernelW, strideH, strideW, padH, padW, groups, bias, a, norm, residual);
  }

  public Conv withNorm(FoldedBatchNorm n) {
    return new Conv(filters, kernelH, kernelW, strideH, strideW, padH, padW, groups, bias, activation, n, residual);
  }

  public Conv withResidual() {
    return new Conv(filters, kernelH, kernelW, strideH, strideW, padH, padW, groups, bias, activation, norm, true);
  }

  /** Whether the kernel adds a bias: its own, or the shift of a folded batch norm (a conv without bias gains one). */
  public boolean hasBias() {
    return bias || norm != null;
  }

  @Override
  public boolean hasWeights() {
    return true;
  }

  @Override
  public String label() {
    StringBuilder s = new StringBuilder("conv ").append(filters).append('@').append(kernelH).append('x')
        .append(kernelW);
    if (strideH != 1 || strideW != 1) s.append(" s").append(strideH == strideW ? "" + strideH : strideH + "x" + strideW);
    if (padH != 0 || padW != 0) s.append(" p").append(padH == padW ? "" + padH : padH + "x" + padW);
    if (groups != 1) s.append(" g").append(groups);
    if (!bias) s.append(" nobias");
    if (norm != null) s.append(" +").append(norm.label());
    if (residual) s.append(" +residual");
    if (!activation.isIdentity()) s.append(" +").append(activation.label());
    return s.toString();
  }
}
