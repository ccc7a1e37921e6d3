package dev.netc.graph;

/**
 * LeNet-5's trainable subsampling (S2, S4): {@code y[c] = activation(weight[c] * sum of the window of x[c] +
 * bias[c])}, windows without padding, output {@code floor((in - window) / stride) + 1} per axis. Weights
 * {@code .weight} (one coefficient per channel) and {@code .bias}, each {@code [channels]}.
 *
 * @param activation the fused squashing function; {@link Activation#NONE} until the fusion pass sets it
 */
public record Subsample(int windowH, int windowW, int strideH, int strideW, boolean bias, Activation activation)
    implements Op {

  public Subsample withActivation(Activation a) {
    return new Subsample(windowH, windowW, strideH, strideW, bias, a);
  }

  @Override
  public boolean hasWeights() {
    return true;
  }

  @Override
  public String label() {
    StringBuilder s = new StringBuilder("subsample ").append(windowH).append('x').append(windowW).append(" s")
        .append(strideH == strideW ? "" + strideH : strideH + "x" + strideW);
    if (!bias) s.append(" nobias");
    if (!activation.isIdentity()) s.append(" +").append(activation.label());
    return s.toString();
  }
}
