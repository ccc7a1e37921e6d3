package dev.netc.graph;

/**
 * Batch normalisation with running statistics (inference): {@code y = gamma * (x - mean) / sqrt(var + eps) +
 * beta}. Tensors {@code .weight} (gamma), {@code .bias} (beta), {@code .running_mean}, {@code .running_var},
 * each {@code [channels]}.
 */
public record BatchNorm(double eps) implements Op {
  @Override
  public boolean hasWeights() {
    return true;
  }

  @Override
  public String label() {
    return "batchnorm eps=" + eps;
  }
}
