package dev.netc.runtime.train;

/**
 * Ranking one row of class scores (probabilities or logits: only their order matters). Ties are broken by the
 * lower class index, so a row of equal scores predicts class 0 and a label tied with another class ranks above
 * it only if its index is lower; that is deterministic and matches {@code numpy.argmax}. A NaN score ranks below
 * every number, so a broken output never counts as a correct prediction by accident.
 */
public final class TopK {
  private TopK() {}

  /** The predicted class of row {@code scores[offset .. offset + classes)}: the highest score, lowest index on ties. */
  public static int argmax(float[] scores, int offset, int classes) {
    int best = 0;
    for (int j = 1; j < classes; j++) {
      if (above(scores[offset + j], j, scores[offset + best], best)) best = j;
    }
    return best;
  }

  /** How many classes rank above {@code label} in the row (0: it is the prediction). */
  public static int rank(float[] scores, int offset, int classes, int label) {
    float s = scores[offset + label];
    int above = 0;
    for (int j = 0; j < classes; j++) {
      if (j != label && above(scores[offset + j], j, s, label)) above++;
    }
    return above;
  }

  /** Whether {@code label} is among the row's {@code k} best classes. */
  public static boolean inTopK(float[] scores, int offset, int classes, int label, int k) {
    return rank(scores, offset, classes, label) < k;
  }

  /** Whether class {@code i} with score {@code a} ranks above class {@code j} with score {@code b}. */
  private static boolean above(float a, int i, float b, int j) {
    boolean nanA = Float.isNaN(a);
    boolean nanB = Float.isNaN(b);
    if (nanA || nanB) return nanA && nanB ? i < j : nanB; // NaNs tie among themselves, below every number
    return a > b || (a == b && i < j);
  }
}
