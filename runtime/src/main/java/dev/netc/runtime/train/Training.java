package dev.netc.runtime.train;

import dev.netc.runtime.data.Augmentation;
import dev.netc.runtime.data.Batches;
import dev.netc.runtime.data.LabelledImages;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training run: epochs of shuffled (optionally augmented) mini-batches through a {@link Trainer} with the
 * paper's {@link Sgd}, the validation set's loss and top-1/top-5 error after each epoch, a learning-rate
 * {@link LearningRateSchedule}, and after each epoch, all written atomically: the weights (what {@code netc run}
 * and PyTorch load), a resumable checkpoint (weights, velocities, schedule state, history), the history as CSV
 * and a PNG plot of loss and error against epochs.
 *
 * <p>Reproducible: the batch order, augmentation and dropout masks follow from the seed and the epoch, so a run
 * resumed from a checkpoint continues exactly as the uninterrupted run would have (up to the float32 rounding
 * of the velocities stored in the checkpoint).
 */
public final class Training {
  /** What to train with. */
  public record Config(int epochs, int batch, double learningRate, double momentum, double weightDecay,
      String schedule, long seed, Augmentation augmentation) {
    public Config {
      if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
      if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
      LearningRateSchedule.parse(schedule); // fail early on a bad schedule
    }
  }

  /** The files written after each epoch; any may be null (not written). */
  public record Outputs(Path weights, Path checkpoint, Path history, Path plot) {
    /**
     * The files that go with a weights file {@code W.safetensors}: {@code W.checkpoint.safetensors},
     * {@code W.history.csv} and {@code W.png} beside it.
     */
    public static Outputs beside(Path weights) {
      String name = weights.getFileName().toString();
      String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
      return new Outputs(weights, weights.resolveSibling(stem + ".checkpoint.safetensors"),
          weights.resolveSibling(stem + ".history.csv"), weights.resolveSibling(stem + ".png"));
    }
  }

  /** Hears of progress, e.g. to record the training error against iterations. */
  public interface Listener {
    default void iteration(long iteration, Trainer.Step step) {}

    default void epoch(TrainingHistory.Epoch epoch) {}
  }

  private final Trainer trainer;
  private final Config config;
  private final LabelledImages train;
  private final LabelledImages validation;
  private final Outputs outputs;
  private final PrintStream log;
  private final boolean terminal;
  private Listener listener = new Listener() {};
  private boolean plotFailed;

  public Training(Trainer trainer, Config config, LabelledImages train, LabelledImages validation,
      Outputs outputs, PrintStream log, boolean terminal) {
    if (!train.shape().equals(trainer.graph().inputShape())) {
      throw new IllegalArgumentException(trainer.graph().name() + " takes " + trainer.graph().inputShape()
          + " images but " + train.name() + " has " + train.shape());
    }
    if (train.classes() > trainer.graph().outputShape().size()) {
      throw new IllegalArgumentException(train.name() + " has " + train.classes() + " classes but "
          + trainer.graph().name() + " outputs " + trainer.graph().outputShape().size() + " scores");
    }
    this.trainer = trainer;
    this.config = config;
    this.train = train;
    this.validation = validation;
    this.outputs = outputs;
    this.log = log;
    this.terminal = terminal;
  }

  public Training listener(Listener l) {
    this.listener = l;
    return this;
  }

  /**
   * Trains from the trainer's current weights, or continues from {@code resume} (may be null): its weights,
   * velocities, learning rate, schedule state and history.
   *
   * @return the history of every epoch, resumed ones included
   */
  public TrainingHistory run(Checkpoint resume) {
    LearningRateSchedule schedule = LearningRateSchedule.parse(config.schedule());
    Sgd sgd = new Sgd(config.learningRate(), config.momentum(), config.weightDecay());
    TrainingHistory history = new TrainingHistory();
    int first = 1;
    if (resume != null) {
      trainer.load(resume.weights());
      for (String name : trainer.parameters().keySet()) {
        float[] v = resume.velocity(name);
        if (v != null) {
          double[] d = new double[v.length];
          for (int i = 0; i < v.length; i++) d[i] = v[i];
          sgd.velocity().put(name, d);
        }
      }
      sgd.setLearningRate(resume.learningRate());
      schedule.restore(resume.scheduleState());
      history = resume.history();
      first = resume.epoch() + 1;
      log.printf("resuming %s after epoch %d (learning rate %s)%n", trainer.graph().name(), resume.epoch(),
          resume.learningRate());
    }
    Batches batches = new Batches(train, config.batch(), config.seed(), config.augmentation());
    int inputSize = train.shape().size();
    float[] images = new float[config.batch() * inputSize];
    int[] labels = new int[config.batch()];
    long iteration = (long) (first - 1) * batches.count();
    for (int epoch = first; epoch <= config.epochs(); epoch++) {
      long start = System.nanoTime();
      batches.startEpoch(epoch - 1);
      ProgressBar bar = new ProgressBar(log, "epoch " + epoch + "/" + config.epochs(), train.size(), terminal);
      double lossSum = 0;
      long correct = 0, seen = 0;
      for (int b = 0; b < batches.count(); b++) {
        int n = batches.fill(b, images, labels);
        Trainer.Step step = trainer.step(images, labels, n, mix(config.seed(), iteration));
        sgd.step(trainer);
        iteration++;
        lossSum += step.loss() * n;
        correct += step.correct();
        seen += n;
        listener.iteration(iteration, step);
        bar.update(seen, lossSum / seen, 1 - (double) correct / seen);
      }
      double trainSeconds = (System.nanoTime() - start) / 1e9;
      Evaluation eval = validation == null ? null : evaluate(trainer, validation, Math.max(config.batch(), 256));
      double seconds = (System.nanoTime() - start) / 1e9;
      TrainingHistory.Epoch e = new TrainingHistory.Epoch(epoch, sgd.learningRate(), lossSum / seen,
          1 - (double) correct / seen, eval == null ? Double.NaN : eval.meanLoss(),
          eval == null ? Double.NaN : eval.top1Error(), eval == null ? Double.NaN : eval.top5Error(), seconds,
          seen / trainSeconds);
      history.add(e);
      bar.finish(String.format("epoch %d/%d: train loss %.4f, error %.2f%%%s, %,.0f images/s, %.1f s",
          epoch, config.epochs(), e.trainLoss(), 100 * e.trainError(), eval == null ? ""
              : String.format("; validation loss %.4f, top-1 error %.2f%%, top-5 %.2f%%", e.validationLoss(),
                  100 * e.validationError(), 100 * e.validationTop5Error()), e.imagesPerSecond(), seconds));
      double next = schedule.afterEpoch(epoch, sgd.learningRate(), e.validationError());
      if (next != sgd.learningRate()) {
        log.printf("learning rate %s -> %s (%s)%n", sgd.learningRate(), next, schedule.describe());
        sgd.setLearningRate(next);
      }
      save(epoch, sgd, schedule, history);
      listener.epoch(e);
    }
    return history;
  }

  private void save(int epoch, Sgd sgd, LearningRateSchedule schedule, TrainingHistory history) {
    String network = trainer.graph().name();
    Map<String, float[]> tensors = new LinkedHashMap<>();
    tensors.putAll(trainer.parameters());
    tensors.putAll(trainer.buffers());
    Map<String, int[]> dims = new LinkedHashMap<>(trainer.shapes());
    if (outputs.weights() != null) Checkpoint.weightsOnly(outputs.weights(), tensors, dims, network);
    if (outputs.checkpoint() != null) {
      for (String name : trainer.parameters().keySet()) {
        double[] v = sgd.velocity().get(name);
        float[] f = new float[trainer.parameters().get(name).length];
        if (v != null) for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
        tensors.put(Checkpoint.velocityName(name), f);
        dims.put(Checkpoint.velocityName(name), trainer.shapes().get(name));
      }
      Checkpoint.write(outputs.checkpoint(), tensors, dims, Checkpoint.metadata(network, epoch, sgd.learningRate(),
          config.schedule(), schedule.state(), history, config.seed()));
    }
    if (outputs.history() != null) history.writeCsv(outputs.history());
    if (outputs.plot() != null) writePlot(network, history);
  }

  /**
   * Draws the plot. It is a by-product, so a JVM that cannot draw (a headless image without the font libraries AWT
   * loads, say) or a failed write gets a warning once and the training goes on: the weights, checkpoint and history
   * are already written, and losing the run to the picture would be the worse failure.
   */
  private void writePlot(String network, TrainingHistory history) {
    if (plotFailed) return;
    try {
      plot(network, history).write(outputs.plot());
    } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
      plotFailed = true;
      log.printf("%nwarning: no plot in %s (%s); training goes on, the history is in %s%n", outputs.plot(), e,
          outputs.history());
    }
  }

  /** Loss and top-1 error (in %) of training and validation against epochs. */
  static LineChart plot(String network, TrainingHistory history) {
    LineChart chart = new LineChart(network + ": loss and top-1 error", "epoch", "loss  /  error (fraction)");
    for (TrainingHistory.Epoch e : history.epochs()) {
      chart.add("training loss", e.epoch(), e.trainLoss());
      if (!Double.isNaN(e.validationLoss())) chart.add("validation loss", e.epoch(), e.validationLoss());
      chart.add("training error", e.epoch(), e.trainError());
      if (!Double.isNaN(e.validationError())) chart.add("validation error", e.epoch(), e.validationError());
    }
    return chart;
  }

  /** The trainer's top-1/top-5 error, loss and confusion matrix on {@code data}, in evaluation mode. */
  public static Evaluation evaluate(Trainer trainer, LabelledImages data, int batch) {
    Evaluation eval = new Evaluation(Arrays.asList(data.classNames()));
    int size = data.shape().size();
    float[] images = new float[batch * size];
    int[] labels = new int[batch];
    for (int first = 0; first < data.size(); first += batch) {
      int n = Math.min(batch, data.size() - first);
      for (int i = 0; i < n; i++) {
        data.copyImage(first + i, images, i * size);
        labels[i] = data.labels()[first + i];
      }
      eval.add(trainer.probabilities(images, n), n, labels);
    }
    return eval;
  }

  /** A step's dropout seed: distinct for every iteration of a run, fixed by the run's seed. */
  private static long mix(long seed, long iteration) {
    long z = seed + (iteration + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
