package dev.netc.runtime.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One epoch's progress on one line:
 *
 * <pre>
 * epoch 3/20 [==========>         ] 31,200/60,000  2,140 img/s  loss 0.3412  err 12.3%  ETA 0:13
 * </pre>
 *
 * <p>On a terminal the line is redrawn in place ({@code '\r'}) at most every 200 ms, so a fast loop does not
 * spend its time printing. Elsewhere (CI logs, a file) carriage returns would pile up into one huge line, so a
 * full line is printed each time another 10% of the images is done. {@link #finish} ends the line and prints
 * a summary. Speed and ETA are measured from construction on the injected clock (nanoseconds, as {@link
 * System#nanoTime}), which tests replace.
 *
 * <p>Not thread-safe: call it from the training loop's thread.
 */
public final class ProgressBar {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int BAR_WIDTH = 20;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final boolean terminal;
  private final LongSupplier clock;
  private final long start;
  private long lastDraw = Long.MIN_VALUE;
  private int lastTenth;
  private int lastLength;
  private String lastLine;
  private boolean finished;

  /**
   * @param out where to print
   * @param label what precedes the bar, e.g. "epoch 3/20"
   * @param total images in the epoch
   * @param terminal whether {@code out} is a terminal ({@code System.console() != null} for standard output)
   */
  public ProgressBar(PrintStream out, String label, long total, boolean terminal) {
    this(out, label, total, terminal, System::nanoTime);
  }

  /** As above with another clock, in nanoseconds. */
  public ProgressBar(PrintStream out, String label, long total, boolean terminal, LongSupplier nanoClock) {
    if (total <= 0) throw new IllegalArgumentException("a progress bar needs a positive total, got " + total);
    this.out = out;
    this.label = label;
    this.total = total;
    this.terminal = terminal;
    this.clock = nanoClock;
    this.start = nanoClock.getAsLong();
  }

  /**
   * Reports progress; prints only when due (see the class comment).
   *
   * @param imagesDone images processed so far in this epoch
   * @param runningLoss the mean loss so far
   * @param runningError the top-1 error so far, as a fraction (printed as a percentage)
   */
  public void update(long imagesDone, double runningLoss, double runningError) {
    if (finished) throw new IllegalStateException("progress bar '" + label + "' was already finished");
    long now = clock.getAsLong();
    lastLine = line(imagesDone, runningLoss, runningError, now - start);
    if (terminal) {
      if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) return;
      lastDraw = now;
      redraw();
    } else {
      int tenth = (int) (Math.min(imagesDone, total) * 10 / total);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.println(lastLine);
        out.flush();
      }
    }
  }

  /** Ends the bar's line (on a terminal, drawn with the last values reported) and prints {@code summary}. */
  public void finish(String summary) {
    if (finished) throw new IllegalStateException("progress bar '" + label + "' was already finished");
    finished = true;
    if (terminal && lastLine != null) {
      redraw();
      out.println();
    }
    out.println(summary);
    out.flush();
  }

  private void redraw() {
    // Spaces over what a longer previous line left behind.
    String pad = " ".repeat(Math.max(0, lastLength - lastLine.length()));
    out.print("\r" + lastLine + pad);
    out.flush();
    lastLength = lastLine.length();
  }

  /** The line for this state after {@code elapsedNanos}. */
  String line(long done, double loss, double error, long elapsedNanos) {
    long shown = Math.max(0, Math.min(done, total));
    int filled = (int) (shown * BAR_WIDTH / total);
    StringBuilder bar = new StringBuilder("=".repeat(filled));
    if (filled < BAR_WIDTH) bar.append('>').append(" ".repeat(BAR_WIDTH - filled - 1));
    double seconds = elapsedNanos / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    String eta = rate > 0 ? duration((total - shown) / rate) : "-:--";
    return String.format(Locale.ROOT, "%s [%s] %,d/%,d  %,.0f img/s  loss %.4f  err %.1f%%  ETA %s", label, bar, done,
        total, rate, loss, 100 * error, eta);
  }

  /** m:ss, or h:mm:ss from an hour on. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
