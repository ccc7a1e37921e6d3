package dev.netc.graph;

/**
 * Local response normalisation across channels:
 * {@code b[i] = a[i] / (k + coefficient * sum_{j in window(i)} a[j]^2)^beta}, the window being
 * {@code max(0, i - size/2) .. min(N-1, i + size/2)}.
 *
 * @param perSize true when alpha is divided by size (Caffe, PyTorch, ONNX), false for the paper's
 *     convention where alpha multiplies the sum directly
 */
public record Lrn(int size, double alpha, double beta, double k, boolean perSize) implements Op {

  /** The factor that multiplies the sum of squares, whichever convention alpha was given in. */
  public double coefficient() {
    return perSize ? alpha / size : alpha;
  }

  @Override
  public String label() {
    return "lrn n=" + size + " alpha=" + alpha + (perSize ? "/n" : "") + " beta=" + beta + " k=" + k;
  }
}
