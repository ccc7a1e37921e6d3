package dev.netc.runtime.train;

import dev.netc.runtime.io.AtomicFiles;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What each epoch of a training run measured, kept in checkpoints (as JSON, {@link #toJson}) so that a resumed
 * run continues its charts and its schedule's history, and written as CSV for spreadsheets and plots.
 *
 * <p>JSON has no NaN: a value not measured (no validation pass that epoch), or an infinite one, is written
 * {@code null} and read back as NaN. Numbers are written with Java's shortest round-trip form, so a history survives the round trip
 * exactly.
 */
public final class TrainingHistory {
  /** The JSON's format tag, for files of a future layout to be told apart. */
  static final String FORMAT = "netc-history-1";

  /** The CSV header; the columns of {@link Epoch} in order. */
  public static final String CSV_HEADER = "epoch,learning_rate,train_loss,train_top1_error,val_loss,val_top1_error,"
      + "val_top5_error,seconds,images_per_second";

  private static final String[] KEYS = CSV_HEADER.split(",");

  /**
   * One epoch's measurements. Errors are fractions (0.123 = 12.3%); NaN where not measured.
   *
   * @param epoch counted from 1
   * @param learningRate the rate the epoch trained with
   * @param trainLoss mean cross-entropy over the epoch's training batches
   * @param trainError top-1 error over them
   * @param validationLoss mean cross-entropy on the validation set after the epoch
   * @param validationError its top-1 error
   * @param validationTop5Error its top-5 error
   * @param seconds the epoch's wall time (training and validation)
   * @param imagesPerSecond training images per second
   */
  public record Epoch(int epoch, double learningRate, double trainLoss, double trainError, double validationLoss,
      double validationError, double validationTop5Error, double seconds, double imagesPerSecond) {

    double[] values() {
      return new double[] {epoch, learningRate, trainLoss, trainError, validationLoss, validationError,
          validationTop5Error, seconds, imagesPerSecond};
    }

    static Epoch of(double[] v) {
      return new Epoch((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }
  }

  private final List<Epoch> epochs = new ArrayList<>();

  /**
   * Appends an epoch.
   *
   * @throws IllegalArgumentException unless its number is higher than the last one's
   */
  public TrainingHistory add(Epoch e) {
    if (!epochs.isEmpty() && e.epoch() <= last().epoch()) {
      throw new IllegalArgumentException("epoch " + e.epoch() + " added after epoch " + last().epoch());
    }
    epochs.add(e);
    return this;
  }

  /** The epochs in order (read-only). */
  public List<Epoch> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  public boolean isEmpty() {
    return epochs.isEmpty();
  }

  /** The latest epoch; fails when there is none. */
  public Epoch last() {
    if (epochs.isEmpty()) throw new IllegalStateException("the training history is empty");
    return epochs.get(epochs.size() - 1);
  }

  /** The lowest validation top-1 error so far; NaN when none was measured. */
  public double bestValidationError() {
    double best = Double.NaN;
    for (Epoch e : epochs) {
      if (!Double.isNaN(e.validationError()) && !(e.validationError() >= best)) best = e.validationError();
    }
    return best;
  }

  /** {@code {"format":"netc-history-1","epochs":[{"epoch":1,"learning_rate":0.01,...},...]}}. */
  public String toJson() {
    StringBuilder s = new StringBuilder("{\"format\":\"").append(FORMAT).append("\",\"epochs\":[");
    for (int i = 0; i < epochs.size(); i++) {
      if (i > 0) s.append(',');
      double[] v = epochs.get(i).values();
      s.append('{');
      for (int k = 0; k < KEYS.length; k++) {
        if (k > 0) s.append(',');
        Json.quote(KEYS[k], s);
        s.append(':');
        if (k == 0) s.append(epochs.get(i).epoch());
        else s.append(Double.isFinite(v[k]) ? Double.toString(v[k]) : "null");
      }
      s.append('}');
    }
    return s.append("]}").toString();
  }

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException saying what is malformed or missing (the caller adds the file's name)
   */
  public static TrainingHistory fromJson(String json) {
    Object root;
    try {
      root = Json.parse(json);
    } catch (Json.SyntaxError e) {
      throw new IllegalArgumentException("training history is not valid JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map) || !FORMAT.equals(map.get("format"))) {
      throw new IllegalArgumentException("training history is not a " + FORMAT + " object");
    }
    if (!(map.get("epochs") instanceof List<?> list)) {
      throw new IllegalArgumentException("training history has no \"epochs\" array");
    }
    TrainingHistory h = new TrainingHistory();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> e)) {
        throw new IllegalArgumentException("training history entry " + i + " is not an object");
      }
      double[] v = new double[KEYS.length];
      for (int k = 0; k < KEYS.length; k++) {
        if (!e.containsKey(KEYS[k])) {
          throw new IllegalArgumentException("training history entry " + i + " has no \"" + KEYS[k] + "\"");
        }
        Object x = e.get(KEYS[k]);
        if (x == null && k > 0) {
          v[k] = Double.NaN;
        } else if (x instanceof Long || x instanceof Double || x instanceof BigInteger) {
          v[k] = ((Number) x).doubleValue();
        } else {
          throw new IllegalArgumentException("training history entry " + i + ": \"" + KEYS[k] + "\" is " + x
              + ", expected a number");
        }
      }
      if (v[0] != Math.rint(v[0]) || v[0] < 1 || v[0] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("training history entry " + i + ": epoch " + v[0] + " is not a count");
      }
      h.add(Epoch.of(v));
    }
    return h;
  }

  /** Writes the history as CSV ({@link #CSV_HEADER}; NaN as an empty field), atomically. */
  public void writeCsv(Path file) {
    StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
    for (Epoch e : epochs) {
      double[] v = e.values();
      s.append(e.epoch());
      for (int k = 1; k < v.length; k++) s.append(',').append(Double.isFinite(v[k]) ? Double.toString(v[k]) : "");
      s.append('\n');
    }
    try {
      AtomicFiles.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write training history " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
