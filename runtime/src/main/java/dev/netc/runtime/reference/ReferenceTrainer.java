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
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Differentiates a {@link Graph} in double precision: a forward pass in training mode (inverted dropout with a
 * seeded mask, batch norm on the batch's statistics, updating its running statistics) and the backward pass of
 * the softmax cross-entropy loss to every learned tensor. The oracle for generated backward passes, as {@link
 * ReferenceInterpreter} is for forward ones: plain loops, PyTorch's semantics, no speed.
 *
 * <p>The loss is the mean over the batch of {@code -log p[label]}. When the network ends in a softmax (a
 * {@link Softmax} node, or a dense layer with a fused softmax) {@code p} is its output and the gradient enters
 * below the softmax as {@code (p - onehot) / batch}, which is exact and stable; otherwise the output is taken as
 * logits and a softmax is applied for the loss.
 *
 * <p>Tensors live in maps by weight name ({@link WeightSpec#name()}), learned ones in {@link #parameters()},
 * running statistics in {@link #buffers()}; an optimiser updates the former in place.
 */
public final class ReferenceTrainer {
  /** PyTorch's default batch-norm momentum: {@code running = (1 - m) running + m batch}. */
  static final double BN_MOMENTUM = 0.1;

  private final Graph graph;
  private final Map<String, double[]> parameters = new LinkedHashMap<>();
  private final Map<String, double[]> buffers = new LinkedHashMap<>();

  /** The result of one forward and backward pass. */
  public record Step(double loss, int correct, float[] output, Map<String, double[]> gradients) {}

  /** Copies every tensor the graph needs from {@code initial} (which may be closed afterwards). */
  public ReferenceTrainer(Graph graph, Weights initial) {
    this.graph = graph;
    for (Node n : graph.nodes()) {
      for (WeightSpec s : graph.weightsOf(n)) {
        float[] data = initial.get(s);
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i];
        (s.learned() ? parameters : buffers).put(s.name(), d);
      }
    }
  }

  /** The learned tensors by name, live: an optimiser changes them in place. */
  public Map<String, double[]> parameters() {
    return parameters;
  }

  /** The running statistics of batch norm by name, live. */
  public Map<String, double[]> buffers() {
    return buffers;
  }

  public Graph graph() {
    return graph;
  }

  /** What the forward pass keeps for the backward pass. */
  private static final class Tape {
    final Map<String, double[]> values = new HashMap<>();
    final Map<String, double[]> preActivation = new HashMap<>();
    final Map<String, double[]> dropoutScale = new HashMap<>();
    final Map<String, double[]> xhat = new HashMap<>();
    final Map<String, double[]> invStd = new HashMap<>();
    final Map<String, double[]> lrnOut = new HashMap<>();
  }

  /**
   * The forward pass alone, e.g. for evaluation ({@code training = false}: dropout off, batch norm on its
   * running statistics, nothing updated).
   */
  public float[] forward(float[] images, int batch, boolean training, long seed) {
    double[] out = run(images, batch, training, seed, new Tape()).values.get(graph.output());
    float[] f = new float[out.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) out[i];
    return f;
  }

  /**
   * One forward pass in training mode and the backward pass of the loss for {@code labels}.
   *
   * @param seed fixes the dropout masks
   * @param training false runs inference semantics (useful for gradient checks of batch norm's eval mode)
   */
  public Step step(float[] images, int[] labels, int batch, boolean training, long seed) {
    Tape tape = run(images, batch, training, seed, new Tape());
    Node outNode = graph.node(graph.output());
    int classes = graph.outputShape().size();
    double[] out = tape.values.get(outNode.name());
    boolean endsInSoftmax = outNode.op() instanceof Softmax
        || (outNode.op() instanceof Dense d && d.softmax());
    double[] p = endsInSoftmax ? out : Kernels.softmax(out, batch, Shape.vector(classes));
    double loss = 0;
    int correct = 0;
    double[] dLogits = new double[batch * classes];
    for (int n = 0; n < batch; n++) {
      int y = labels[n];
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException("label " + y + " of image " + n + " is outside 0.." + (classes - 1));
      }
      loss -= Math.log(Math.max(p[n * classes + y], Double.MIN_NORMAL));
      int best = 0;
      for (int c = 0; c < classes; c++) {
        dLogits[n * classes + c] = (p[n * classes + c] - (c == y ? 1 : 0)) / batch;
        if (p[n * classes + c] > p[n * classes + best]) best = c;
      }
      if (best == y) correct++;
    }
    Map<String, double[]> grads = new HashMap<>();
    Map<String, double[]> paramGrads = new LinkedHashMap<>();
    for (String name : parameters.keySet()) paramGrads.put(name, new double[parameters.get(name).length]);
    backward(tape, batch, outNode, dLogits, endsInSoftmax, grads, paramGrads);
    float[] output = new float[out.length];
    for (int i = 0; i < out.length; i++) output[i] = (float) out[i];
    return new Step(loss / batch, correct, output, paramGrads);
  }

  private Tape run(float[] images, int batch, boolean training, long seed, Tape tape) {
    if ((long) batch * graph.inputShape().size() != images.length) {
      throw new IllegalArgumentException(graph.name() + " expects " + batch + " x " + graph.inputShape() + " = "
          + (long) batch * graph.inputShape().size() + " input values but got " + images.length);
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (Node n : graph.nodes()) {
      List<double[]> ins = new ArrayList<>();
      for (String i : n.inputs()) ins.add(tape.values.get(i));
      tape.values.put(n.name(), forward(n, ins, batch, training, random, tape, images));
    }
    return tape;
  }

  private double[] forward(Node n, List<double[]> ins, int batch, boolean training, SplittableRandom random, Tape tape,
      float[] images) {
    Op op = n.op();
    List<Shape> shapes = graph.inputShapes(n);
    List<WeightSpec> specs = graph.weightsOf(n);
    if (op instanceof Input) {
      double[] d = new double[images.length];
      for (int i = 0; i < d.length; i++) d[i] = images[i];
      return d;
    }
    if (op instanceof Conv c) {
      double[] pre = Kernels.conv(ins.get(0), batch, shapes.get(0), linear(c), tensor(specs.get(0)),
          c.bias() ? tensor(specs.get(1)) : null, n.shape());
      tape.preActivation.put(n.name(), pre);
      return Kernels.activation(pre, c.activation());
    }
    if (op instanceof Dense d) {
      double[] pre = Kernels.dense(ins.get(0), batch, shapes.get(0).size(), d.units(), tensor(specs.get(0)),
          d.bias() ? tensor(specs.get(1)) : null, Activation.NONE, false);
      tape.preActivation.put(n.name(), pre);
      double[] act = Kernels.activation(pre, d.activation());
      return d.softmax() ? Kernels.softmax(act, batch, Shape.vector(d.units())) : act;
    }
    if (op instanceof Activation a) return Kernels.activation(ins.get(0), a);
    if (op instanceof Lrn l) return Kernels.lrn(ins.get(0), batch, shapes.get(0), l);
    if (op instanceof LrnPool lp) {
      double[] normalised = Kernels.lrn(ins.get(0), batch, shapes.get(0), lp.lrn());
      tape.lrnOut.put(n.name(), normalised);
      return Kernels.pool(normalised, batch, shapes.get(0), lp.pool(), n.shape());
    }
    if (op instanceof Pool p) return Kernels.pool(ins.get(0), batch, shapes.get(0), p, n.shape());
    if (op instanceof GlobalAvgPool) return Kernels.globalAvgPool(ins.get(0), batch, shapes.get(0));
    if (op instanceof AdaptiveAvgPool) return Kernels.adaptiveAvgPool(ins.get(0), batch, shapes.get(0), n.shape());
    if (op instanceof Softmax) return Kernels.softmax(ins.get(0), batch, shapes.get(0));
    if (op instanceof Concat) return Kernels.concat(ins, batch, shapes);
    if (op instanceof Add) return Kernels.add(ins);
    if (op instanceof Dropout d) {
      if (!training || d.rate() == 0) return ins.get(0).clone();
      double[] in = ins.get(0);
      double[] scale = new double[in.length];
      double keep = 1 - d.rate();
      double[] out = new double[in.length];
      for (int i = 0; i < in.length; i++) {
        scale[i] = random.nextDouble() < keep ? 1 / keep : 0; // inverted dropout
        out[i] = in[i] * scale[i];
      }
      tape.dropoutScale.put(n.name(), scale);
      return out;
    }
    if (op instanceof BatchNorm b) return batchNorm(n, b, ins.get(0), batch, shapes.get(0), specs, training, tape);
    throw new IllegalStateException("the reference trainer cannot run " + op.label() + " (node " + n.name() + ")");
  }

  private double[] batchNorm(Node n, BatchNorm b, double[] in, int batch, Shape s, List<WeightSpec> specs,
      boolean training, Tape tape) {
    double[] gamma = tensor(specs.get(0));
    double[] beta = tensor(specs.get(1));
    double[] runningMean = tensor(specs.get(2));
    double[] runningVar = tensor(specs.get(3));
    if (!training) return Kernels.batchNorm(in, batch, s, b.eps(), gamma, beta, runningMean, runningVar);
    int c = s.channels();
    int m = batch * s.plane();
    double[] out = new double[in.length];
    double[] xhat = new double[in.length];
    double[] invStd = new double[c];
    for (int ch = 0; ch < c; ch++) {
      double sum = 0;
      for (int k = 0; k < batch; k++) {
        for (int p = 0; p < s.plane(); p++) sum += in[(k * c + ch) * s.plane() + p];
      }
      double mean = sum / m;
      double sq = 0;
      for (int k = 0; k < batch; k++) {
        for (int p = 0; p < s.plane(); p++) {
          double d = in[(k * c + ch) * s.plane() + p] - mean;
          sq += d * d;
        }
      }
      double var = sq / m;
      invStd[ch] = 1 / Math.sqrt(var + b.eps());
      for (int k = 0; k < batch; k++) {
        for (int p = 0; p < s.plane(); p++) {
          int i = (k * c + ch) * s.plane() + p;
          xhat[i] = (in[i] - mean) * invStd[ch];
          out[i] = gamma[ch] * xhat[i] + beta[ch];
        }
      }
      // PyTorch updates the running variance with the unbiased estimate
      runningMean[ch] = (1 - BN_MOMENTUM) * runningMean[ch] + BN_MOMENTUM * mean;
      runningVar[ch] = (1 - BN_MOMENTUM) * runningVar[ch] + BN_MOMENTUM * (m > 1 ? sq / (m - 1) : var);
    }
    tape.xhat.put(n.name(), xhat);
    tape.invStd.put(n.name(), invStd);
    return out;
  }

  private void backward(Tape tape, int batch, Node outNode, double[] dLogits, boolean endsInSoftmax,
      Map<String, double[]> grads, Map<String, double[]> paramGrads) {
    // the loss's gradient enters below the final softmax (exact: d/dz of -log softmax(z)_y = p - onehot)
    if (endsInSoftmax && outNode.op() instanceof Softmax) {
      grad(grads, tape, outNode.inputs().get(0)); // allocate
      add(grads.get(outNode.inputs().get(0)), dLogits);
    } else {
      grads.put(outNode.name(), dLogits);
    }
    List<Node> nodes = graph.nodes();
    for (int k = nodes.size() - 1; k >= 0; k--) {
      Node n = nodes.get(k);
      double[] dy = grads.get(n.name());
      if (dy == null || n.op() instanceof Input) continue;
      boolean softmaxSkipped = n == outNode && endsInSoftmax;
      if (softmaxSkipped && n.op() instanceof Softmax) continue; // handled above
      backwardNode(n, dy, batch, tape, grads, paramGrads, softmaxSkipped);
    }
  }

  private void backwardNode(Node n, double[] dy, int batch, Tape tape, Map<String, double[]> grads,
      Map<String, double[]> paramGrads, boolean softmaxSkipped) {
    Op op = n.op();
    List<Shape> shapes = graph.inputShapes(n);
    List<WeightSpec> specs = graph.weightsOf(n);
    double[] y = tape.values.get(n.name());
    String input = n.inputs().isEmpty() ? null : n.inputs().get(0);
    if (op instanceof Conv c) {
      double[] pre = tape.preActivation.get(n.name());
      double[] dPre = new double[pre.length];
      Backward.activation(c.activation(), pre, y, dy, dPre);
      Backward.conv(tape.values.get(input), batch, shapes.get(0), c, tensor(specs.get(0)), n.shape(), dPre,
          grad(grads, tape, input), paramGrads.get(specs.get(0).name()),
          c.bias() ? paramGrads.get(specs.get(1).name()) : null);
    } else if (op instanceof Dense d) {
      double[] pre = tape.preActivation.get(n.name());
      double[] act = Kernels.activation(pre, d.activation());
      double[] dAct = dy;
      if (d.softmax() && !softmaxSkipped) {
        dAct = new double[dy.length];
        Backward.softmax(y, batch, Shape.vector(d.units()), dy, dAct);
      }
      double[] dPre = new double[pre.length];
      Backward.activation(d.activation(), pre, act, dAct, dPre);
      Backward.dense(tape.values.get(input), batch, shapes.get(0).size(), d.units(), tensor(specs.get(0)), dPre,
          grad(grads, tape, input), paramGrads.get(specs.get(0).name()),
          d.bias() ? paramGrads.get(specs.get(1).name()) : null);
    } else if (op instanceof Activation a) {
      Backward.activation(a, tape.values.get(input), y, dy, grad(grads, tape, input));
    } else if (op instanceof Lrn l) {
      Backward.lrn(tape.values.get(input), batch, shapes.get(0), l, dy, grad(grads, tape, input));
    } else if (op instanceof LrnPool lp) {
      double[] normalised = tape.lrnOut.get(n.name());
      double[] dNorm = new double[normalised.length];
      Backward.pool(normalised, batch, shapes.get(0), lp.pool(), n.shape(), dy, dNorm);
      Backward.lrn(tape.values.get(input), batch, shapes.get(0), lp.lrn(), dNorm, grad(grads, tape, input));
    } else if (op instanceof Pool p) {
      Backward.pool(tape.values.get(input), batch, shapes.get(0), p, n.shape(), dy, grad(grads, tape, input));
    } else if (op instanceof GlobalAvgPool || op instanceof AdaptiveAvgPool) {
      Backward.adaptiveAvgPool(batch, shapes.get(0), n.shape(), dy, grad(grads, tape, input));
    } else if (op instanceof Softmax) {
      Backward.softmax(y, batch, shapes.get(0), dy, grad(grads, tape, input));
    } else if (op instanceof Dropout) {
      double[] scale = tape.dropoutScale.get(n.name());
      double[] dx = grad(grads, tape, input);
      for (int i = 0; i < dx.length; i++) dx[i] += dy[i] * (scale == null ? 1 : scale[i]);
    } else if (op instanceof Add) {
      for (String in : n.inputs()) add(grad(grads, tape, in), dy);
    } else if (op instanceof Concat) {
      int total = n.shape().size();
      int offset = 0;
      for (int k = 0; k < n.inputs().size(); k++) {
        int size = shapes.get(k).size();
        double[] dx = grad(grads, tape, n.inputs().get(k));
        for (int b = 0; b < batch; b++) {
          for (int i = 0; i < size; i++) dx[b * size + i] += dy[b * total + offset + i];
        }
        offset += size;
      }
    } else if (op instanceof BatchNorm b) {
      double[] gamma = tensor(specs.get(0));
      double[] xhat = tape.xhat.get(n.name());
      double[] dGamma = paramGrads.get(specs.get(0).name());
      double[] dBeta = paramGrads.get(specs.get(1).name());
      if (xhat != null) {
        Backward.batchNorm(xhat, batch, shapes.get(0), gamma, tape.invStd.get(n.name()), dy, grad(grads, tape, input),
            dGamma, dBeta);
      } else { // eval mode: a per-channel affine map with the running statistics
        Shape s = shapes.get(0);
        double[] mean = tensor(specs.get(2));
        double[] var = tensor(specs.get(3));
        double[] x = tape.values.get(input);
        double[] dx = grad(grads, tape, input);
        for (int k = 0; k < batch; k++) {
          for (int ch = 0; ch < s.channels(); ch++) {
            double inv = 1 / Math.sqrt(var[ch] + b.eps());
            for (int p = 0; p < s.plane(); p++) {
              int i = (k * s.channels() + ch) * s.plane() + p;
              dx[i] += dy[i] * gamma[ch] * inv;
              dGamma[ch] += dy[i] * (x[i] - mean[ch]) * inv;
              dBeta[ch] += dy[i];
            }
          }
        }
      }
    } else {
      throw new IllegalStateException("the reference trainer cannot differentiate " + op.label() + " (node "
          + n.name() + ")");
    }
  }

  /** The gradient array of a node's output, created as zeros on first use. */
  private static double[] grad(Map<String, double[]> grads, Tape tape, String node) {
    return grads.computeIfAbsent(node, k -> new double[tape.values.get(k).length]);
  }

  private static void add(double[] into, double[] x) {
    for (int i = 0; i < into.length; i++) into[i] += x[i];
  }

  private double[] tensor(WeightSpec s) {
    double[] t = s.learned() ? parameters.get(s.name()) : buffers.get(s.name());
    if (t == null) throw new IllegalStateException("no tensor " + s.name());
    return t;
  }

  /** The same convolution without its activation epilogue. */
  private static Conv linear(Conv c) {
    return new Conv(c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(),
        c.bias(), Activation.NONE);
  }
}
