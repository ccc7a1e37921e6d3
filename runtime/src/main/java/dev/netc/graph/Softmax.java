package dev.netc.graph;

/** Softmax across channels at each spatial position (PyTorch's {@code softmax(dim=1)}). */
public record Softmax() implements Op {
  @Override
  public String label() {
    return "softmax";
  }
}
