package dev.netc.graph;

/** The network's input: one image of the given shape per batch element. */
public record Input(Shape shape) implements Op {
  @Override
  public String label() {
    return "input " + shape;
  }
}
