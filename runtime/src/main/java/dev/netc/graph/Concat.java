package dev.netc.graph;

/** Concatenation of the inputs along channels, in input order; spatial sizes must agree. */
public record Concat() implements Op {
  @Override
  public String label() {
    return "concat";
  }
}
