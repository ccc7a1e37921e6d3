package dev.netc.runtime.train;

/**
 * How the learning rate changes between epochs. The trainer calls {@link #afterEpoch} once at the end of every
 * epoch with the validation error just measured and uses the returned rate for the next epoch.
 *
 * <p>A schedule may keep state (the plateau schedule remembers the best error so far); {@link #state()} and
 * {@link #restore} carry it through a checkpoint, so a resumed run reduces the rate exactly when the
 * uninterrupted run would have.
 *
 * <p>From the command line, {@link #parse} reads {@code constant}, {@code step:EVERY:FACTOR}, {@code plateau},
 * {@code plateau:PATIENCE} and {@code plateau:PATIENCE:FACTOR:MAX}.
 */
public interface LearningRateSchedule {

  /** The forms {@link #parse} accepts, for messages and help texts. */
  String FORMS = "constant | step:EVERY:FACTOR (e.g. step:10:0.1) | plateau | plateau:PATIENCE"
      + " | plateau:PATIENCE:FACTOR:MAX (e.g. plateau:2:0.1:3)";

  /**
   * The rate for the next epoch.
   *
   * @param epoch the epoch that just ended, counted from 1
   * @param rate the rate that epoch used
   * @param validationError its validation top-1 error (a fraction); NaN when not measured, which never counts as
   *     an improvement
   */
  double afterEpoch(int epoch, double rate, double validationError);

  /** The schedule's state as a short string (empty for stateless schedules). */
  String state();

  /**
   * Restores a state {@link #state()} returned.
   *
   * @throws IllegalArgumentException if the string is not a state of this kind of schedule
   */
  void restore(String state);

  /** One line for logs, e.g. "plateau: x0.1 after 2 epochs without improvement, at most 3 times (0 done)". */
  String describe();

  /** The same rate throughout. */
  static LearningRateSchedule constant() {
    return new ConstantSchedule();
  }

  /**
   * Reads a schedule from its command-line form (see {@link #FORMS}).
   *
   * @throws IllegalArgumentException quoting the string and listing the accepted forms
   */
  static LearningRateSchedule parse(String spec) {
    return ScheduleParser.parse(spec);
  }
}
