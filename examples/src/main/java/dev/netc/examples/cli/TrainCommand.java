package dev.netc.examples.cli;

import dev.netc.graph.Graph;
import dev.netc.runtime.data.Augmentation;
import dev.netc.runtime.train.Checkpoint;
import dev.netc.runtime.train.Initialisation;
import dev.netc.runtime.train.LearningRateSchedule;
import dev.netc.runtime.train.Training;
import dev.netc.runtime.train.Trainer;
import dev.netc.runtime.train.TrainingHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code netc train NAME --data fashion-mnist --out W.safetensors [...]}: trains a network with the paper's SGD on
 * the Java backend or an OpenCL device ({@code --backend java|opencl|auto}, default java), holding out a
 * validation set, and writes after every epoch the weights, a resumable checkpoint, the history (CSV) and a plot
 * (PNG). See {@link Usage} for the options.
 */
final class TrainCommand implements Command {
  static final int DEFAULT_EPOCHS = 10;
  static final int DEFAULT_BATCH = 64;
  static final int DEFAULT_VALIDATION = 5000;

  @Override
  public int run(Args args, Context context) {
    args.expect(List.of("NAME"), "data", "epochs", "batch", "lr", "momentum", "weight-decay", "schedule", "init",
        "augment", "validation", "limit", "seed", "threads", "backend", "out", "resume");
    Catalog catalog = context.catalog();
    String name = catalog.resolve(args.positional(0));
    Path out = Path.of(args.required("out"));
    int epochs = args.integer("epochs", DEFAULT_EPOCHS, 1);
    int batch = args.integer("batch", DEFAULT_BATCH, 1);
    double lr = args.decimal("lr", 0.01, Double.MIN_VALUE);
    double momentum = args.decimal("momentum", 0.9, 0);
    double decay = args.decimal("weight-decay", 0.0005, 0);
    String schedule = args.string("schedule", "plateau");
    int validationSize = args.integer("validation", DEFAULT_VALIDATION, 0);
    int limit = args.integer("limit", 0, 0);
    long seed = args.integer("seed", 1, 0);
    int threads = args.integer("threads", 0, 1);
    Backend requested = Backend.parse(args.string("backend", "java"));
    if (requested == Backend.REFERENCE) {
      throw new UsageException("netc train runs on --backend java, opencl or auto; the reference interpreter only"
          + " runs networks forward");
    }
    Initialisation init = parse(() -> Initialisation.parse(args.string("init", "kaiming")));
    parse(() -> LearningRateSchedule.parse(schedule));
    Augmentation augmentation = augmentation(args.string("augment", "flip"));
    Path resume = args.has("resume") ? Path.of(args.required("resume")) : null;

    Graph graph = catalog.graph(name);
    Datasets.Split data = Datasets.trainingSplit(args.string("data", null), graph, validationSize, limit, seed);
    Checkpoint checkpoint = resume == null ? null : Checkpoint.read(resume, name);
    Training.Outputs outputs = Training.Outputs.beside(out);
    createDirectoryOf(out); // before the first epoch, not after it
    int workers = threads > 0 ? threads : dev.netc.runtime.java.Parallel.defaultThreads();
    try (Trainer trainer = catalog.trainer(name, init.initialise(graph, seed), workers, requested)) {
      context.err().printf("netc: training %s on %s (%,d images; validation %,d) on %s%s, %d epochs of batch %d,"
          + " SGD lr %s momentum %s weight decay %s, schedule %s, %s initialisation, augmentation %s%n",
          name, data.train().name(), data.train().size(), data.validation() == null ? 0 : data.validation().size(),
          trainer.backend(), requested == Backend.AUTO ? " (chosen by --backend auto)" : "", epochs, batch, lr,
          momentum, decay, schedule, init.label(), args.string("augment", "flip"));
      Training training = new Training(trainer, new Training.Config(epochs, batch, lr, momentum, decay, schedule,
          seed, augmentation), data.train(), data.validation(), outputs, context.err(), System.console() != null);
      TrainingHistory history = training.run(checkpoint);
      TrainingHistory.Epoch last = history.last();
      if (data.validation() == null) {
        context.out().printf("%s: %d epochs, training loss %.4f, training top-1 error %.2f%% (no validation set)%n",
            name, last.epoch(), last.trainLoss(), 100 * last.trainError());
      } else {
        context.out().printf("%s: %d epochs, validation top-1 error %.2f%% (accuracy %.2f%%), top-5 %.2f%%%n", name,
            last.epoch(), 100 * last.validationError(), 100 * (1 - last.validationError()),
            100 * last.validationTop5Error());
      }
      context.out().printf("wrote %s, %s, %s, %s%n", outputs.weights(), outputs.checkpoint(), outputs.history(),
          outputs.plot());
    }
    return 0;
  }

  private static void createDirectoryOf(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CliException("cannot create the directory " + dir + " for " + file + ": " + e);
    }
  }

  /** {@code none}, {@code flip}, {@code crop} (shifts of up to 2 pixels within zero padding) or {@code crop+flip}. */
  static Augmentation augmentation(String value) {
    return switch (value) {
      case "none" -> null;
      case "flip" -> Augmentation.horizontalFlip();
      case "crop" -> Augmentation.randomCrop(2);
      case "crop+flip", "flip+crop" -> Augmentation.randomCrop(2).then(Augmentation.horizontalFlip());
      default -> throw new UsageException("--augment must be none, flip, crop or crop+flip, not '" + value + "'");
    };
  }

  private static <T> T parse(java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
