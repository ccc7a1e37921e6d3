package dev.netc.graph;

/**
 * A 2-D convolution (cross-correlation, as in PyTorch). Weights are {@code [filters, inChannels/groups,
 * kernelH, kernelW]}, bias {@code [filters]}.
 *
 * @param activation the fused epilogue; {@link Activation#NONE} until the fusion pass sets it
 */
public record Conv(
    int filters, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int groups,
    boolean bias, Activation activation) implements Op {

  public Conv withActivation(Activation a) {
    return new Conv(filters, kernelH, kernelW, strideH, strideW, padH, padW, groups, bias, a);
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
    if (!activation.isIdentity()) s.append(" +").append(activation.label());
    return s.toString();
  }
}
