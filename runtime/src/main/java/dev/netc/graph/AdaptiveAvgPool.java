package dev.netc.graph;

/**
 * Average pooling to a fixed output size, as PyTorch's {@code AdaptiveAvgPool2d}: output cell {@code i} averages
 * input rows {@code floor(i*H/outH) .. ceil((i+1)*H/outH) - 1} (and likewise for columns).
 */
public record AdaptiveAvgPool(int height, int width) implements Op {
  @Override
  public String label() {
    return "adaptive avgpool " + height + "x" + width;
  }
}
