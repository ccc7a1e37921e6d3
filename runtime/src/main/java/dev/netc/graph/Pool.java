package dev.netc.graph;

/**
 * Max or average pooling over a window, with PyTorch's semantics: padding counts as -infinity for max and
 * (when {@code countIncludePad}) as zeros for average; in ceil mode the last window must start inside the
 * input or its left padding.
 */
public record Pool(
    Kind kind, int windowH, int windowW, int strideH, int strideW, int padH, int padW, boolean ceil,
    boolean countIncludePad) implements Op {

  /** The reduction. */
  public enum Kind { MAX, AVG }

  @Override
  public String label() {
    StringBuilder s = new StringBuilder(kind == Kind.MAX ? "maxpool " : "avgpool ").append(windowH).append('x')
        .append(windowW).append(" s").append(strideH == strideW ? "" + strideH : strideH + "x" + strideW);
    if (padH != 0 || padW != 0) s.append(" p").append(padH == padW ? "" + padH : padH + "x" + padW);
    if (ceil) s.append(" ceil");
    return s.toString();
  }
}
