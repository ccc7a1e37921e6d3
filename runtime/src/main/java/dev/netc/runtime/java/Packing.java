package dev.netc.runtime.java;

/**
 * Weight layouts the generated Java kernels want, computed once while a model loads.
 */
public final class Packing {
  private Packing() {}

  /**
   * A dense layer's {@code [units][features]} weights as {@code features} rows of {@code units}: the kernel
   * then streams rows and updates a contiguous slice of outputs per input feature (a vectorisable loop).
   */
  public static float[][] transpose(float[] w, int units, int features) {
    float[][] t = new float[features][units];
    for (int o = 0; o < units; o++) {
      int row = o * features;
      for (int k = 0; k < features; k++) t[k][o] = w[row + k];
    }
    return t;
  }

  /** Batch norm as {@code y = x * scale + shift}: {@code scale = gamma / sqrt(var + eps)}, in double. */
  public static float[] batchNormScale(float[] gamma, float[] var, double eps) {
    float[] s = new float[gamma.length];
    for (int c = 0; c < s.length; c++) s[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
    return s;
  }

  /** The matching shift: {@code beta - mean * scale}. */
  public static float[] batchNormShift(float[] beta, float[] mean, float[] gamma, float[] var, double eps) {
    float[] t = new float[beta.length];
    for (int c = 0; c < t.length; c++) t[c] = (float) (beta[c] - mean[c] * (gamma[c] / Math.sqrt(var[c] + eps)));
    return t;
  }
}
