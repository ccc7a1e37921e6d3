package dev.netc.graph;

/** Inverted dropout: identity at inference, so the inference passes remove it. */
public record Dropout(double rate) implements Op {
  @Override
  public String label() {
    return "dropout " + rate;
  }
}
