package dev.netc.runtime.train;

import java.util.List;

/**
 * Accumulates a network's results over batches: top-1 and top-5 error, the mean cross-entropy loss, and a
 * {@link ConfusionMatrix}. Fed with the softmax output (probability rows), as netc's models return it.
 *
 * <p>Top-5 error is "the true class is not among the five most probable"; with five classes or fewer it is 0 by
 * definition (every class is among the five). Ties rank the lower class index first ({@link TopK}).
 *
 * <p>The loss of an example is {@code -ln p[label]}, the cross-entropy PyTorch's {@code CrossEntropyLoss}
 * computes from the logits. A probability that underflowed to 0 in float32 counts as {@link Float#MIN_VALUE}
 * (a loss of 103.3) rather than infinity, so one saturated example cannot turn the mean into infinity.
 */
public final class Evaluation {
  private final int classes;
  private final ConfusionMatrix confusion;
  private long count;
  private long top5Wrong;
  private double lossSum;

  /** Classes named by their index. */
  public Evaluation(int classes) {
    this(new ConfusionMatrix(classes));
  }

  /** Classes with names (the confusion matrix shows them). */
  public Evaluation(List<String> names) {
    this(new ConfusionMatrix(names));
  }

  private Evaluation(ConfusionMatrix confusion) {
    this.confusion = confusion;
    this.classes = confusion.classes();
  }

  /**
   * Adds a batch.
   *
   * @param probabilities {@code batch} rows of {@code classes} probabilities each, row-major
   * @param batch the number of rows to take (the array may be longer, e.g. a reused buffer)
   * @param labels the true class of each row
   */
  public void add(float[] probabilities, int batch, int[] labels) {
    if (batch < 0 || (long) batch * classes > probabilities.length || batch > labels.length) {
      throw new IllegalArgumentException("a batch of " + batch + " needs " + (long) batch * classes
          + " probabilities and " + batch + " labels, got " + probabilities.length + " and " + labels.length);
    }
    for (int i = 0; i < batch; i++) {
      int off = i * classes;
      int label = labels[i];
      confusion.add(label, TopK.argmax(probabilities, off, classes));
      if (!TopK.inTopK(probabilities, off, classes, label, 5)) top5Wrong++;
      float p = probabilities[off + label];
      // NaN stays NaN: a broken output must show in the loss, not be clamped away.
      lossSum += -Math.log(p > 0 || Float.isNaN(p) ? p : Float.MIN_VALUE);
      count++;
    }
  }

  /** Examples seen. */
  public long count() {
    return count;
  }

  /** Fraction whose most probable class is wrong; NaN before any example. */
  public double top1Error() {
    return confusion.top1Error();
  }

  /** Fraction whose true class is not among the five most probable; NaN before any example. */
  public double top5Error() {
    return count == 0 ? Double.NaN : (double) top5Wrong / count;
  }

  /** Mean cross-entropy loss; NaN before any example. */
  public double meanLoss() {
    return count == 0 ? Double.NaN : lossSum / count;
  }

  public ConfusionMatrix confusion() {
    return confusion;
  }
}
