package dev.netc.examples.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code netc demo [--epochs N] [--out DIR]}: the tour in one command. Trains LeNet5 on Fashion-MNIST with
 * {@code netc train} (default {@value #EPOCHS} epochs, about a minute on two cores), then measures the trained
 * model on the 10,000 test images and classifies a few of them with {@code netc eval}, on the Java inference
 * backend: the weights written by training are loaded by the generated inference model.
 */
final class DemoCommand implements Command {
  static final int EPOCHS = 3;
  static final String DIRECTORY = "netc-demo";

  @Override
  public int run(Args args, Context context) {
    args.expect(List.of(), "epochs", "out", "threads", "backend");
    String backend = args.string("backend", "java");
    String epochs = Integer.toString(args.integer("epochs", EPOCHS, 1));
    Path dir = Path.of(args.string("out", DIRECTORY));
    int threads = args.integer("threads", 0, 1);
    String weights = dir.resolve("lenet5.safetensors").toString();
    context.out().println("== 1. train LeNet5 on Fashion-MNIST (" + epochs + " epochs; validation: 5,000 training"
        + " images held out) ==");
    int code = new TrainCommand().run(Args.parse(withThreads(threads, "train", "LeNet5", "--data",
        Datasets.FASHION_MNIST, "--epochs", epochs, "--out", weights, "--backend", backend)), context);
    if (code != 0) return code;
    context.out().println();
    context.out().println("== 2. the trained model on the 10,000 test images, and the first 8 of them ==");
    return new EvalCommand().run(Args.parse(withThreads(threads, "eval", "LeNet5", "--weights", weights, "--data",
        Datasets.FASHION_MNIST, "--backend", backend, "--show", "8")), context);
  }

  private static String[] withThreads(int threads, String... argv) {
    if (threads == 0) return argv;
    String[] all = java.util.Arrays.copyOf(argv, argv.length + 2);
    all[argv.length] = "--threads";
    all[argv.length + 1] = Integer.toString(threads);
    return all;
  }
}
