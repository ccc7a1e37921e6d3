package dev.netc.runtime.train;

/** A learning rate that never changes. Stateless. */
public final class ConstantSchedule implements LearningRateSchedule {

  @Override
  public double afterEpoch(int epoch, double rate, double validationError) {
    return rate;
  }

  @Override
  public String state() {
    return "";
  }

  @Override
  public void restore(String state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException("a constant schedule has no state, got \"" + state
          + "\"; was the checkpoint written with another schedule?");
    }
  }

  @Override
  public String describe() {
    return "constant";
  }
}
