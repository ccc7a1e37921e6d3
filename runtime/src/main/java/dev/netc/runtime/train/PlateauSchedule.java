package dev.netc.runtime.train;

/**
 * The AlexNet paper's schedule: divide the rate by 10 when the validation error stops improving, at most three
 * times ("The heuristic which we followed was to divide the learning rate by 10 when the validation error rate
 * stopped improving with the current learning rate").
 *
 * <p>"Stopped improving" is made precise as: {@code patience} epochs in a row whose validation error was not
 * lower than the best so far by more than {@code minDelta} (an absolute difference of error fractions; the
 * default 0.001 is a tenth of a percentage point, so noise of a few images does not count as progress). After a
 * reduction the count starts again from zero, measured against the same best error. Once {@code maxReductions}
 * reductions are done the rate stays.
 *
 * <p>State (for checkpoints): the best error, the epochs without improvement and the reductions done.
 */
public final class PlateauSchedule implements LearningRateSchedule {
  /** The default minimum improvement: a tenth of a percentage point of error. */
  public static final double DEFAULT_MIN_DELTA = 1e-3;

  private final int patience;
  private final double factor;
  private final int maxReductions;
  private final double minDelta;
  private double best = Double.POSITIVE_INFINITY;
  private int badEpochs;
  private int reductions;

  /** The paper's: patience 2, factor 0.1, 3 reductions, min-delta 0.001. */
  public static PlateauSchedule paper() {
    return new PlateauSchedule(2, 0.1, 3, DEFAULT_MIN_DELTA);
  }

  public PlateauSchedule(int patience, double factor, int maxReductions, double minDelta) {
    if (patience < 1) throw new IllegalArgumentException("plateau patience must be >= 1 epoch, got " + patience);
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("plateau factor must be in (0, 1), got " + factor);
    }
    if (maxReductions < 0) {
      throw new IllegalArgumentException("plateau max reductions must be >= 0, got " + maxReductions);
    }
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException("plateau min-delta must be >= 0, got " + minDelta);
    }
    this.patience = patience;
    this.factor = factor;
    this.maxReductions = maxReductions;
    this.minDelta = minDelta;
  }

  @Override
  public double afterEpoch(int epoch, double rate, double validationError) {
    // NaN compares false, so an unmeasured epoch counts as one without improvement.
    if (validationError < best - minDelta) {
      best = validationError;
      badEpochs = 0;
      return rate;
    }
    badEpochs++;
    if (badEpochs >= patience && reductions < maxReductions) {
      reductions++;
      badEpochs = 0;
      return rate * factor;
    }
    return rate;
  }

  /** How many times the rate was reduced so far. */
  public int reductions() {
    return reductions;
  }

  /** Whether every allowed reduction was made (a trainer may stop soon after: the paper did). */
  public boolean exhausted() {
    return reductions >= maxReductions;
  }

  @Override
  public String state() {
    return "best=" + best + ",bad=" + badEpochs + ",reductions=" + reductions;
  }

  @Override
  public void restore(String state) {
    String[] parts = state.split(",", -1);
    try {
      if (parts.length != 3 || !parts[0].startsWith("best=") || !parts[1].startsWith("bad=")
          || !parts[2].startsWith("reductions=")) {
        throw new NumberFormatException();
      }
      double b = Double.parseDouble(parts[0].substring(5));
      int bad = Integer.parseInt(parts[1].substring(4));
      int red = Integer.parseInt(parts[2].substring(11));
      if (bad < 0 || red < 0) throw new NumberFormatException();
      best = b;
      badEpochs = bad;
      reductions = red;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a plateau schedule state: \"" + state
          + "\" (expected best=ERROR,bad=EPOCHS,reductions=N); was the checkpoint written with another schedule?");
    }
  }

  @Override
  public String describe() {
    return "plateau: x" + factor + " after " + patience + " epoch" + (patience == 1 ? "" : "s")
        + " without validation improvement > " + minDelta + ", at most " + maxReductions + " times ("
        + reductions + " done)";
  }
}
