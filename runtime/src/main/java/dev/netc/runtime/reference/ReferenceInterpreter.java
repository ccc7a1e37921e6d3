package dev.netc.runtime.reference;

import dev.netc.graph.Activation;
import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.Add;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Concat;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.GlobalAvgPool;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Lrn;
import dev.netc.graph.LrnPool;
import dev.netc.graph.Node;
import dev.netc.graph.Op;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import dev.netc.runtime.WeightsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Graph} directly, node by node: the oracle every generated backend is compared with.
 *
 * <p>Every operation is a plain loop nest with PyTorch's semantics ({@code conv2d}, {@code max_pool2d},
 * {@code avg_pool2d}, {@code local_response_norm}, ...), accumulating in double and keeping intermediate
 * tensors in double, so its own rounding error is far below float32's. It executes graphs as parsed and
 * after fusion ({@link LrnPool}, and the epilogues of {@link Conv} and {@link Dense}: folded batch norm, computed
 * here unfolded, residual operand, activation, softmax),
 * which lets tests check that fusion preserves results.
 *
 * <p>Tensors are NCHW: {@code batch} images of {@link Graph#inputShape()} in, {@code batch} images of each
 * node's shape out. Weights are read once, in the constructor, in PyTorch's layouts (see
 * {@link Graph#weightsOf}); an instance is immutable and may run on several threads at once.
 *
 * <pre>{@code
 * ReferenceInterpreter ref = new ReferenceInterpreter(graph, weights);
 * float[] probabilities = ref.run(images, 2);               // 2 x outputShape
 * Map<String, double[]> layers = ref.runAll(images, 2);     // every node, for per-layer comparisons
 * }</pre>
 */
public final class ReferenceInterpreter {
  private final Graph graph;
  /** Each weighted node's tensors, in the order {@link Graph#weightsOf} lists them, widened to double. */
  private final Map<String, List<double[]>> weights = new HashMap<>();

  /**
   * Reads every tensor the graph needs from {@code weights}; the source may be closed afterwards.
   *
   * @throws WeightsException when a tensor is missing or has another shape
   */
  public ReferenceInterpreter(Graph graph, Weights weights) {
    this.graph = graph;
    for (Node n : graph.nodes()) {
      // Graph promises one input, first; ShapeInference does not forbid a second Input node, which would
      // silently receive the same images.
      if (n.op() instanceof Input && n != graph.inputNode()) {
        throw new IllegalArgumentException(graph.name() + " has a second input node " + n.name()
            + "; the reference interpreter runs graphs with one input");
      }
      List<WeightSpec> specs = graph.weightsOf(n);
      if (specs.isEmpty()) continue;
      List<double[]> loaded = new ArrayList<>(specs.size());
      for (WeightSpec spec : specs) {
        float[] data = weights.get(spec);
        // A Weights implementation should already have checked the shape; a wrong length would otherwise
        // surface as an index error deep inside a loop, far from its cause.
        if (data.length != spec.size()) {
          throw new WeightsException(weights.source() + ": tensor " + spec.name() + " has " + data.length
              + " values but " + spec + " needs " + spec.size());
        }
        loaded.add(toDouble(data));
      }
      this.weights.put(n.name(), List.copyOf(loaded));
    }
  }

  /** The graph this interpreter runs. */
  public Graph graph() {
    return graph;
  }

  /**
   * Runs the network on {@code batch} images and returns the output node's values, rounded to float.
   *
   * @param input {@code batch * graph.inputShape().size()} values, NCHW
   * @return {@code batch * graph.outputShape().size()} values, NCHW
   * @throws IllegalArgumentException when {@code batch < 1} or {@code input} has another length
   */
  public float[] run(float[] input, int batch) {
    double[] out = evaluate(input, batch, false).get(graph.output());
    float[] result = new float[out.length];
    for (int i = 0; i < out.length; i++) result[i] = (float) out[i];
    return result;
  }

  /**
   * Runs the network and returns every node's output in double precision, keyed by node name in graph
   * order (the input node included), for debugging and per-layer comparisons.
   *
   * @throws IllegalArgumentException when {@code batch < 1} or {@code input} has another length
   */
  public Map<String, double[]> runAll(float[] input, int batch) {
    return Collections.unmodifiableMap(evaluate(input, batch, true));
  }

  private Map<String, double[]> evaluate(float[] input, int batch, boolean keepAll) {
    if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, but it is " + batch);
    long expected = (long) batch * graph.inputShape().size();
    if (input.length != expected) {
      throw new IllegalArgumentException(graph.name() + " expects " + expected + " input values (batch " + batch
          + " x " + graph.inputShape() + ") but got " + input.length);
    }
    Map<String, double[]> values = new LinkedHashMap<>();
    Map<String, Integer> readersLeft = new HashMap<>();
    for (Node n : graph.nodes()) {
      for (String in : n.inputs()) readersLeft.merge(in, 1, Integer::sum);
    }
    for (Node n : graph.nodes()) {
      List<double[]> ins = new ArrayList<>(n.inputs().size());
      for (String in : n.inputs()) ins.add(values.get(in));
      values.put(n.name(), n.op() instanceof Input ? toDouble(input) : execute(n, ins, batch));
      if (!keepAll) {
        // Drop tensors nobody reads any more, so a big network at a big batch does not hold them all.
        for (String in : n.inputs()) {
          if (readersLeft.merge(in, -1, Integer::sum) == 0 && !in.equals(graph.output())) values.remove(in);
        }
      }
    }
    return values;
  }

  /** One node's output from its inputs' outputs. */
  private double[] execute(Node n, List<double[]> ins, int batch) {
    Op op = n.op();
    Shape out = n.shape();
    List<Shape> shapes = graph.inputShapes(n);
    List<double[]> w = weights.getOrDefault(n.name(), List.of());
    if (op instanceof Conv c) {
      if (c.norm() == null && !c.residual()) {
        return Kernels.conv(ins.get(0), batch, shapes.get(0), c, w.get(0), c.bias() ? w.get(1) : null, out);
      }
      // The fused epilogue step by step, unfolded: conv, batch norm, residual, activation.
      double[] y = Kernels.conv(ins.get(0), batch, shapes.get(0), c.withActivation(Activation.NONE), w.get(0),
          c.bias() ? w.get(1) : null, out);
      if (c.norm() != null) y = normalise(y, batch, out, c.norm().eps(), w, c.bias() ? 2 : 1);
      if (c.residual()) y = Kernels.add(List.of(y, ins.get(1)));
      return Kernels.activation(y, c.activation());
    }
    if (op instanceof TableConv t) {
      return LeNetKernels.tableConv(ins.get(0), batch, shapes.get(0), t, w.get(0), t.conv().bias() ? w.get(1) : null,
          out);
    }
    if (op instanceof Subsample s) {
      return LeNetKernels.subsample(ins.get(0), batch, shapes.get(0), s, w.get(0), s.bias() ? w.get(1) : null, out);
    }
    if (op instanceof Dense d) {
      if (d.norm() == null) {
        return Kernels.dense(ins.get(0), batch, shapes.get(0).size(), d.units(), w.get(0),
            d.bias() ? w.get(1) : null, d.activation(), d.softmax());
      }
      double[] y = Kernels.dense(ins.get(0), batch, shapes.get(0).size(), d.units(), w.get(0),
          d.bias() ? w.get(1) : null, Activation.NONE, false);
      y = Kernels.activation(normalise(y, batch, out, d.norm().eps(), w, d.bias() ? 2 : 1), d.activation());
      return d.softmax() ? Kernels.softmax(y, batch, out) : y;
    }
    if (op instanceof Activation a) return Kernels.activation(ins.get(0), a);
    if (op instanceof Lrn l) return Kernels.lrn(ins.get(0), batch, shapes.get(0), l);
    if (op instanceof Pool p) return Kernels.pool(ins.get(0), batch, shapes.get(0), p, out);
    if (op instanceof LrnPool lp) {
      double[] normalised = Kernels.lrn(ins.get(0), batch, shapes.get(0), lp.lrn());
      return Kernels.pool(normalised, batch, shapes.get(0), lp.pool(), out);
    }
    if (op instanceof GlobalAvgPool) return Kernels.globalAvgPool(ins.get(0), batch, shapes.get(0));
    if (op instanceof AdaptiveAvgPool) return Kernels.adaptiveAvgPool(ins.get(0), batch, shapes.get(0), out);
    if (op instanceof Dropout) return ins.get(0).clone(); // inverted dropout: identity at inference
    if (op instanceof Softmax) return Kernels.softmax(ins.get(0), batch, shapes.get(0));
    if (op instanceof BatchNorm b) {
      return Kernels.batchNorm(ins.get(0), batch, shapes.get(0), b.eps(), w.get(0), w.get(1), w.get(2), w.get(3));
    }
    if (op instanceof Concat) return Kernels.concat(ins, batch, shapes);
    if (op instanceof Add) return Kernels.add(ins);
    throw new IllegalStateException("the reference interpreter cannot run " + op.label() + " (node " + n.name() + ")");
  }

  /** A folded batch norm applied as the separate operation it was: its four tensors start at {@code first}. */
  private static double[] normalise(double[] y, int batch, Shape s, double eps, List<double[]> w, int first) {
    return Kernels.batchNorm(y, batch, s, eps, w.get(first), w.get(first + 1), w.get(first + 2), w.get(first + 3));
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = a[i];
    return d;
  }
}
