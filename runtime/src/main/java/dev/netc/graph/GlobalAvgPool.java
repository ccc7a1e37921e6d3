package dev.netc.graph;

/** Average over each channel's whole plane: {@code C x H x W -> C x 1 x 1}. */
public record GlobalAvgPool() implements Op {
  @Override
  public String label() {
    return "global avgpool";
  }
}
