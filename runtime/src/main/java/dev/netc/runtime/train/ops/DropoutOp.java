package dev.netc.runtime.train.ops;

import java.util.SplittableRandom;

/**
 * Inverted dropout: in training each value is kept with probability {@code 1 - rate} and scaled by
 * {@code 1 / (1 - rate)} (so evaluation needs no rescaling), dropped otherwise; in evaluation it copies. The
 * mask comes from the caller's generator, so a seeded training run repeats exactly.
 */
public final class DropoutOp {
  private final double rate;
  private final int size;
  private float[] scale = new float[0];
  private boolean masked;

  public DropoutOp(double rate, int size) {
    this.rate = rate;
    this.size = size;
  }

  public void forward(int batch, boolean training, SplittableRandom random, float[] in, float[] out) {
    int count = batch * size;
    masked = training && rate > 0;
    if (!masked) {
      System.arraycopy(in, 0, out, 0, count);
      return;
    }
    if (scale.length < count) scale = new float[count];
    double keep = 1 - rate;
    float kept = (float) (1 / keep);
    for (int i = 0; i < count; i++) {
      scale[i] = random.nextDouble() < keep ? kept : 0f; // the reference trainer's draw, for exact comparisons
      out[i] = in[i] * scale[i];
    }
  }

  public void backward(int batch, float[] dOut, float[] dIn) {
    int count = batch * size;
    if (!masked) {
      for (int i = 0; i < count; i++) dIn[i] += dOut[i];
    } else {
      for (int i = 0; i < count; i++) dIn[i] += dOut[i] * scale[i];
    }
  }
}
