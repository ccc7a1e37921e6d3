package dev.netc.runtime.train;

/**
 * Multiplies the rate by {@code factor} after every {@code every} epochs ({@code step:10:0.1}: epochs 1-10 at
 * the initial rate, 11-20 at a tenth of it, ...). Stateless: the epoch number alone decides, so resuming needs
 * nothing but the rate stored in the checkpoint.
 */
public final class StepSchedule implements LearningRateSchedule {
  private final int every;
  private final double factor;

  public StepSchedule(int every, double factor) {
    if (every < 1) throw new IllegalArgumentException("a step schedule needs every >= 1 epochs, got " + every);
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("a step schedule needs a positive factor, got " + factor);
    }
    this.every = every;
    this.factor = factor;
  }

  @Override
  public double afterEpoch(int epoch, double rate, double validationError) {
    return epoch % every == 0 ? rate * factor : rate;
  }

  @Override
  public String state() {
    return "";
  }

  @Override
  public void restore(String state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException("a step schedule has no state, got \"" + state
          + "\"; was the checkpoint written with another schedule?");
    }
  }

  @Override
  public String describe() {
    return "step: x" + factor + " every " + every + " epoch" + (every == 1 ? "" : "s");
  }
}
