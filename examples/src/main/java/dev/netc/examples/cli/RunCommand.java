package dev.netc.examples.cli;

import dev.netc.graph.Shape;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.Npy;
import dev.netc.runtime.io.NpyArray;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code netc run NAME --weights W --input X.npy [--output Y.npy] [--backend B] [--top K] [--threads T]
 * [--kernels K]}: runs a batch of images through a network and writes the outputs and/or prints the best classes
 * of each image.
 */
final class RunCommand implements Command {

  @Override
  public int run(Args args, Context context) {
    args.expect(List.of("NAME"), "weights", "input", "output", "backend", "top", "threads", "kernels");
    Catalog catalog = context.catalog();
    String name = catalog.resolve(args.positional(0));
    String weightsArg = args.required("weights");
    String inputArg = args.required("input");
    String outputArg = args.string("output", null);
    int top = args.integer("top", 0, 1);
    int threads = args.integer("threads", 0, 1);
    Backend requested = Backend.parse(args.string("backend", "auto"));
    if (outputArg == null && top == 0) {
      throw new UsageException("'netc run' has nothing to do: give --output Y.npy, --top K, or both");
    }

    // Check the input before loading weights, which may take seconds.
    Shape inputShape = catalog.graph(name).inputShape();
    Shape outputShape = catalog.graph(name).outputShape();
    NpyArray input = Npy.read(Path.of(inputArg));
    int batch = Tensors.batchOf(input, inputShape, inputArg);
    boolean vector = outputShape.height() == 1 && outputShape.width() == 1;
    if (top > 0 && !vector) {
      throw new CliException("--top needs a network with one score per class, but " + name + " outputs "
          + outputShape + " per image; use --output instead");
    }

    Backend backend = requested.resolve();
    String kernels = KernelsOption.parse(args, backend);
    float[] output;
    try (Model model = KernelsOption.with(kernels, () -> load(catalog, name, backend, weightsArg, threads))) {
      context.err().println("netc: " + name + " on " + model.backend()
          + (requested == Backend.AUTO ? " (chosen by --backend auto)" : "") + ", " + batch
          + (batch == 1 ? " image" : " images"));
      output = model.forward(input.data(), batch);
    }
    if (outputArg != null) Npy.write(Path.of(outputArg), Tensors.outputDims(batch, outputShape), output);
    if (top > 0) context.out().print(TopK.format(output, batch, outputShape.channels(), top));
    return 0;
  }

  private static Model load(Catalog catalog, String name, Backend backend, String weightsArg, int threads) {
    try (Weights weights = Weighting.open(weightsArg)) {
      return Weighting.withThreads(threads, () -> catalog.load(name, backend, weights));
    }
  }
}
