package dev.netc.graph;

/** Element-wise sum of two or more inputs of the same shape (a residual connection). */
public record Add() implements Op {
  @Override
  public String label() {
    return "add";
  }
}
