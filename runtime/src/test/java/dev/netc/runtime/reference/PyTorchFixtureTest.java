package dev.netc.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Activation;
import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.GlobalAvgPool;
import dev.netc.graph.Graph;
import dev.netc.graph.Lrn;
import dev.netc.graph.Op;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each operation against PyTorch: for every fixture in {@code fixtures/ops/} (made by PyTorch, computed in
 * float64, stored as float32), a one-node graph is built from the fixture's attributes, its inferred output
 * shape is compared with PyTorch's, its weight layout with the fixture's tensors, and its values with
 * PyTorch's output. Concat and add need two graph inputs, which a graph cannot have, so their kernels are
 * called directly.
 */
class PyTorchFixtureTest {
  /** Relative to the largest |output|: float32 inputs, both sides computed in double, so only rounding. */
  private static final double REL = 1e-5;
  private static final double ABS = 1e-7;

  @TestFactory
  Stream<DynamicTest> everyFixtureMatchesPyTorch() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/fixtures/ops").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no fixtures in " + dir);
    // Every operation must keep at least one fixture, so deleting one cannot silently drop coverage.
    Set<String> ops = new TreeSet<>();
    for (Path f : files) ops.add(canonicalOp(Fixture.load(f).attr("op")));
    assertEquals(new TreeSet<>(List.of("activation", "adaptive", "add", "batchnorm", "concat", "conv",
        "dense", "global_avg", "lrn", "pool", "softmax")), ops, "operations with fixtures");
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(Fixture.load(f))));
  }

  private static void check(Fixture fx) {
    long[] inDims = fx.shapes().get("input");
    int batch = (int) inDims[0];
    String op = canonicalOp(fx.attr("op"));
    double[] actual;
    if (op.equals("concat") || op.equals("add")) {
      long[] in2Dims = fx.shapes().get("input2");
      List<double[]> ins = List.of(toDouble(fx.tensor("input")), toDouble(fx.tensor("input2")));
      actual = op.equals("add") ? Kernels.add(ins)
          : Kernels.concat(ins, batch, List.of(shape(inDims), shape(in2Dims)));
    } else {
      Graph g = Graphs.chain(shape(inDims), opOf(fx));
      long[] expectedDims = fx.shapes().get("output");
      assertEquals(Arrays.toString(nchw(expectedDims)),
          Arrays.toString(new long[] {batch, g.outputShape().channels(), g.outputShape().height(),
              g.outputShape().width()}),
          "inferred output shape against PyTorch's");
      ReferenceInterpreter ref = new ReferenceInterpreter(g, new FixtureWeights(fx, "l1."));
      actual = ref.runAll(fx.tensor("input"), batch).get(g.output());
    }
    assertClose(fx.name(), fx.tensor("output"), actual);
  }

  /** The operation a fixture describes, with the fixture's attributes. */
  private static Op opOf(Fixture fx) {
    switch (canonicalOp(fx.attr("op"))) {
      case "conv":
        return new Conv(fx.intAttr("filters"), fx.intAttr("kernel_h"), fx.intAttr("kernel_w"), fx.intAttr("stride_h"),
            fx.intAttr("stride_w"), fx.intAttr("pad_h"), fx.intAttr("pad_w"), fx.intAttr("groups"),
            fx.boolAttr("bias", fx.data().containsKey("bias")), Activation.NONE);
      case "dense":
        return new Dense(fx.intAttr("units"), fx.boolAttr("bias", fx.data().containsKey("bias")), Activation.NONE,
            false);
      case "lrn":
        return new Lrn(fx.intAttr("size"), fx.doubleAttr("alpha"), fx.doubleAttr("beta"), fx.doubleAttr("k"),
            fx.attr("convention").equals("per_size"));
      case "pool":
        return new Pool(Pool.Kind.valueOf(fx.attr("kind").toUpperCase(Locale.ROOT)), fx.intAttr("window_h"),
            fx.intAttr("window_w"), fx.intAttr("stride_h"), fx.intAttr("stride_w"), fx.intAttr("pad_h"),
            fx.intAttr("pad_w"), fx.boolAttr("ceil", false), fx.boolAttr("count_include_pad", true));
      case "adaptive":
        return new AdaptiveAvgPool(fx.intAttr("out_h"), fx.intAttr("out_w"));
      case "global_avg":
        return new GlobalAvgPool();
      case "softmax":
        return new Softmax();
      case "batchnorm":
        return new BatchNorm(fx.doubleAttr("eps"));
      case "activation": {
        Activation.Kind kind = Activation.Kind.valueOf(fx.attr("kind").toUpperCase(Locale.ROOT));
        // SELU's constants are fixed (its metadata repeats them); only Leaky ReLU and ELU take alpha.
        boolean takesAlpha = kind == Activation.Kind.LEAKY_RELU || kind == Activation.Kind.ELU;
        return new Activation(kind, takesAlpha ? (float) fx.doubleAttr("alpha") : 0f);
      }
      default:
        throw new IllegalArgumentException(fx.name() + ": unknown op " + fx.attr("op"));
    }
  }

  /** The fixtures spell two ops longer than their brief did; accept both. */
  private static String canonicalOp(String op) {
    switch (op) {
      case "adaptive_avg_pool":
        return "adaptive";
      case "global_avg_pool":
        return "global_avg";
      default:
        return op;
    }
  }

  private static void assertClose(String name, float[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, name + ": number of values");
    double max = 0;
    for (float e : expected) max = Math.max(max, Math.abs(e));
    double tolerance = REL * max + ABS;
    int worst = 0;
    double worstError = -1;
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(expected[i] - actual[i]);
      if (!(err <= worstError)) { // NaN counts as the worst
        worstError = err;
        worst = i;
      }
    }
    assertTrue(worstError <= tolerance, name + ": value " + worst + " is " + actual[worst] + ", PyTorch says "
        + expected[worst] + " (error " + worstError + " > " + tolerance + ")");
  }

  /** PyTorch's output dims as NCHW; a dense layer's [N, units] is [N, units, 1, 1] here. */
  private static long[] nchw(long[] dims) {
    return dims.length == 2 ? new long[] {dims[0], dims[1], 1, 1} : dims;
  }

  private static Shape shape(long[] nchw) {
    return new Shape((int) nchw[1], (int) nchw[2], (int) nchw[3]);
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = a[i];
    return d;
  }

  /**
   * The fixture's tensors as the one-node graph names them ({@code l1.weight} is the fixture's
   * {@code weight}); checks that the graph asks for exactly PyTorch's dimensions.
   */
  private record FixtureWeights(Fixture fx, String prefix) implements Weights {
    @Override
    public float[] get(WeightSpec spec) {
      String key = spec.name().substring(prefix.length());
      long[] dims = fx.shapes().get(key);
      assertArrayEquals(dims, Arrays.stream(spec.dims()).asLongStream().toArray(),
          fx.name() + ": layout of " + key + " against the fixture's");
      return fx.tensor(key).clone();
    }

    @Override
    public boolean contains(String name) {
      return name.startsWith(prefix) && fx.data().containsKey(name.substring(prefix.length()));
    }

    @Override
    public String source() {
      return fx.name();
    }
  }
}
