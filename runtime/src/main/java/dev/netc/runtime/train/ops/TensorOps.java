package dev.netc.runtime.train.ops;

/**
 * The layers without weights or state: concatenation along channels, residual addition and softmax across
 * channels, forward and backward.
 */
public final class TensorOps {
  private TensorOps() {}

  /** Copies {@code in}'s {@code size} values per image into {@code out} at channel offset {@code offset} (values). */
  public static void concatForward(int batch, float[] in, int size, float[] out, int offset, int outSize) {
    for (int n = 0; n < batch; n++) System.arraycopy(in, n * size, out, n * outSize + offset, size);
  }

  /** Adds the slice of {@code dOut} that {@link #concatForward} filled back into {@code dIn}. */
  public static void concatBackward(int batch, float[] dOut, int offset, int outSize, float[] dIn, int size) {
    for (int n = 0; n < batch; n++) {
      int o = n * outSize + offset, i = n * size;
      for (int k = 0; k < size; k++) dIn[i + k] += dOut[o + k];
    }
  }

  /** {@code out = a + b}. */
  public static void add(float[] a, float[] b, float[] out, int count) {
    for (int i = 0; i < count; i++) out[i] = a[i] + b[i];
  }

  /** {@code into += x}. */
  public static void accumulate(float[] into, float[] x, int count) {
    for (int i = 0; i < count; i++) into[i] += x[i];
  }

  /**
   * Softmax across channels at each position of {@code batch} tensors of {@code channels x plane}; {@code out}
   * may be {@code in}.
   */
  public static void softmax(int batch, int channels, int plane, float[] in, float[] out) {
    for (int n = 0; n < batch; n++) {
      for (int p = 0; p < plane; p++) {
        int b = n * channels * plane + p;
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < channels; c++) max = Math.max(max, in[b + c * plane]);
        double sum = 0;
        for (int c = 0; c < channels; c++) {
          float e = (float) Math.exp(in[b + c * plane] - max);
          out[b + c * plane] = e;
          sum += e;
        }
        float inv = (float) (1 / sum);
        for (int c = 0; c < channels; c++) out[b + c * plane] *= inv;
      }
    }
  }

  /** {@code dx += y (dy - sum(dy y))} per position, given the softmax's output {@code y}. */
  public static void softmaxBackward(int batch, int channels, int plane, float[] y, float[] dy, float[] dx) {
    for (int n = 0; n < batch; n++) {
      for (int p = 0; p < plane; p++) {
        int b = n * channels * plane + p;
        double dot = 0;
        for (int c = 0; c < channels; c++) dot += dy[b + c * plane] * y[b + c * plane];
        for (int c = 0; c < channels; c++) {
          int i = b + c * plane;
          dx[i] += (float) (y[i] * (dy[i] - dot));
        }
      }
    }
  }
}
