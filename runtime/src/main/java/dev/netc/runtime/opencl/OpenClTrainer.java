package dev.netc.runtime.opencl;

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
import dev.netc.graph.Node;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Softmax;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import dev.netc.runtime.opencl.ClTrainingLayers.Layer;
import dev.netc.runtime.opencl.ClTrainingLayers.Tensor;
import dev.netc.runtime.train.Trainer;
import dev.netc.runtime.train.TrainingSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a network on an OpenCL device: the same schedule as the generated Java trainer ({@code
 * <Network>_Trainer}; {@link TrainingSchedule} decides which networks train and which activations fuse), each
 * layer's forward pass (training mode: dropout on, batch norm on the batch's statistics updating the running
 * ones; evaluation mode for {@link #predict}) and backward pass run by the kernels of {@code training.cl} on the
 * device, every value and gradient kept there between layers.
 *
 * <p>The optimiser stays on the host, as for the Java trainer: before each forward pass the parameters and the
 * running statistics are uploaded from {@link #parameters()} and {@link #buffers()}, after a training forward pass
 * the updated running statistics come back, and after the backward pass the gradients come back into
 * {@link #gradients()}. Those copies are the size of the weights, small next to a step's arithmetic on a batch, and
 * they keep {@link dev.netc.runtime.train.Sgd}, {@link dev.netc.runtime.train.Checkpoint},
 * {@link dev.netc.runtime.train.Training} and resuming unchanged. (Moving SGD onto the device would be the next
 * step for a real GPU, where the copies and the host update start to show.)
 *
 * <p>Dropout masks are drawn on the host from the step's seed, in layer order, exactly as the Java trainer draws
 * them, so both trainers drop the same values. The kernels sum in a fixed order with no atomics: a step gives the
 * same bits every time on a given device.
 *
 * <p>The kernels take shapes as arguments, so one program serves every network; it is built once per device and
 * cached as a binary (see {@link ClSession#build}). The trainer owns its session and closes it.
 */
public final class OpenClTrainer extends Trainer {
  private final ClSession session;
  private final TrainingKernels kernels;
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final List<Layer> layers = new ArrayList<>();
  private final Map<String, ClBuffer> deviceParameters = new LinkedHashMap<>();
  private final Map<String, ClBuffer> deviceGradients = new LinkedHashMap<>();
  private final Map<String, ClBuffer> deviceBuffers = new LinkedHashMap<>();
  private final Tensor input;
  private final Tensor output;
  /** The tensor whose gradient the loss sets: the final softmax's input, or the output. */
  private final Tensor logits;
  private final boolean endsInSoftmax;
  private final ClBuffer none;
  /** Values per image of the largest convolution or dense output: the pre-activation gradient's scratch. */
  private int largestLinear = 1;
  private ClBuffer preActivationGradient;
  private float[] hostOutput = new float[0];
  private float[] hostLogitsGradient = new float[0];

  /**
   * A trainer of {@code graph} (the network as described, {@code <Network>_Model.GRAPH}) on {@code session}'s
   * device, starting from {@code initial} (copied). The trainer owns the session from here on; it is closed when
   * the trainer is, or at once when this constructor fails.
   *
   * @throws IllegalArgumentException when the graph has a layer without a training kernel
   * @throws KernelBuildException when the training kernels do not compile on the device
   */
  public OpenClTrainer(Graph graph, Weights initial, ClSession session) {
    super(graph, initial);
    this.session = session;
    try {
      String why = TrainingSchedule.unsupported(graph);
      if (why != null) throw new IllegalArgumentException("netc cannot train " + graph.name() + ": " + why);
      this.kernels = new TrainingKernels(session);
      this.none = kernels.allocate("no tensor", 1);
      for (String name : parameters().keySet()) {
        int length = parameters().get(name).length;
        deviceParameters.put(name, kernels.allocate(name, length));
        deviceGradients.put(name, kernels.allocate(name + " gradient", length));
      }
      for (String name : buffers().keySet()) deviceBuffers.put(name, kernels.allocate(name, buffers().get(name).length));
      this.input = new Tensor(graph.inputNode().name(), graph.inputShape().size(), false);
      tensors.put(input.node, input);
      Map<String, Node> fused = TrainingSchedule.fusedActivations(graph);
      for (Node n : graph.nodes()) {
        if (n.op() instanceof Input || fused.containsValue(n)) continue;
        tensors.put(n.name(), new Tensor(n.name(), n.shape().size(), true));
      }
      for (Node n : graph.nodes()) {
        if (n.op() instanceof Input || fused.containsValue(n)) continue;
        layers.add(layer(n, fused.get(n.name())));
      }
      Node out = graph.node(graph.output());
      this.endsInSoftmax = out.op() instanceof Softmax;
      this.output = tensors.get(out.name());
      this.logits = endsInSoftmax ? tensors.get(out.inputs().get(0)) : output;
      if (logits == null || !logits.hasGradient) {
        throw new IllegalArgumentException("netc cannot train " + graph.name() + ": its output is its input");
      }
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** A trainer on {@code device} (a new session, with the default binary cache). */
  public static OpenClTrainer create(Graph graph, Weights initial, ClDevice device) {
    return new OpenClTrainer(graph, initial, ClSession.open(device));
  }

  /** The device it trains on. */
  public ClDevice device() {
    return session.device();
  }

  /** Whether the training kernels were loaded from the binary cache rather than compiled. */
  public boolean programFromCache() {
    return kernels.fromCache();
  }

  @Override
  public String backend() {
    return "OpenCL on " + session.device().describe();
  }

  /** The layer computing {@code n} (with {@code fusedInto} the convolution or dense layer it absorbs, or null). */
  private Layer layer(Node n, Node fusedInto) {
    Graph graph = graph();
    Node op = fusedInto == null ? n : fusedInto;
    Tensor out = tensors.get(n.name());
    List<Shape> inShapes = graph.inputShapes(op);
    List<Tensor> ins = new ArrayList<>();
    for (String i : op.inputs()) ins.add(tensors.get(i));
    Tensor in = ins.isEmpty() ? null : ins.get(0);
    if (op.op() instanceof Conv || op.op() instanceof Dense) {
      List<WeightSpec> specs = graph.weightsOf(op);
      boolean bias = op.op() instanceof Conv c ? c.bias() : ((Dense) op.op()).bias();
      ClBuffer[] w = {deviceParameters.get(specs.get(0).name()), deviceGradients.get(specs.get(0).name()),
          bias ? deviceParameters.get(specs.get(1).name()) : null, bias ? deviceGradients.get(specs.get(1).name()) : null};
      largestLinear = Math.max(largestLinear, out.size);
      Activation act = fusedInto == null ? Activation.NONE : (Activation) n.op();
      return new ClTrainingLayers.Linear(context, in, out, w, inShapes.get(0), op.op() instanceof Conv c ? c : null,
          n.shape(), act);
    } else if (n.op() instanceof Activation a) {
      return new ClPlainLayers.Act(context, in, out, a);
    } else if (n.op() instanceof Pool p) {
      return new ClPlainLayers.Pooling(context, in, out, p, inShapes.get(0), n.shape());
    } else if (n.op() instanceof GlobalAvgPool || n.op() instanceof AdaptiveAvgPool) {
      return new ClPlainLayers.AdaptiveAverage(context, in, out, inShapes.get(0), n.shape());
    } else if (n.op() instanceof Lrn l) {
      return new ClTrainingLayers.Normalisation(context, in, out, l, inShapes.get(0));
    } else if (n.op() instanceof BatchNorm bn) {
      List<WeightSpec> s = graph.weightsOf(n);
      ClBuffer[] w = {deviceParameters.get(s.get(0).name()), deviceGradients.get(s.get(0).name()),
          deviceParameters.get(s.get(1).name()), deviceGradients.get(s.get(1).name()),
          deviceBuffers.get(s.get(2).name()), deviceBuffers.get(s.get(3).name())};
      return new ClTrainingLayers.BatchNormalisation(context, in, out, w, bn, inShapes.get(0));
    } else if (n.op() instanceof Dropout d) {
      return new ClTrainingLayers.Drop(context, in, out, d.rate());
    } else if (n.op() instanceof Softmax) {
      return new ClPlainLayers.SoftmaxLayer(context, in, out, inShapes.get(0), n.name().equals(graph.output()));
    } else if (n.op() instanceof Concat) {
      return new ClPlainLayers.Concatenation(context, ins, out);
    } else if (n.op() instanceof Add) {
      return new ClPlainLayers.Sum(context, ins, out);
    }
    throw new IllegalArgumentException("no training kernel for " + n.op().label()); // unsupported() rules this out
  }

  /** What the layers share, kept off the public API. */
  private final ClTrainingLayers.Context context = new ClTrainingLayers.Context() {
    @Override
    public TrainingKernels kernels() {
      return kernels;
    }

    @Override
    public ClBuffer preActivationGradient() {
      return preActivationGradient;
    }

    @Override
    public ClBuffer none() {
      return none;
    }
  };

  // ---- the trainer's schedule

  @Override
  protected void allocate(int batch) {
    for (Tensor t : tensors.values()) {
      if (t.value != null) t.value.release(); // commands queued on a buffer keep it alive until they finish
      t.value = kernels.allocate(t.node, (long) batch * t.size);
      if (t.hasGradient) {
        if (t.grad != null) t.grad.release();
        t.grad = kernels.allocate(t.node + " gradient", (long) batch * t.size);
      }
    }
    if (preActivationGradient != null) preActivationGradient.release();
    preActivationGradient = kernels.allocate("pre-activation gradient", (long) batch * largestLinear);
    for (Layer l : layers) l.allocate(batch);
    hostOutput = new float[batch * output.size];
    hostLogitsGradient = new float[batch * logits.size];
  }

  @Override
  protected void forward(float[] images, int batch, boolean training, SplittableRandom random) {
    for (Map.Entry<String, ClBuffer> e : deviceParameters.entrySet()) {
      float[] host = parameters().get(e.getKey());
      kernels.write(host, e.getValue(), host.length);
    }
    for (Map.Entry<String, ClBuffer> e : deviceBuffers.entrySet()) {
      float[] host = buffers().get(e.getKey());
      kernels.write(host, e.getValue(), host.length);
    }
    kernels.write(images, input.value, batch * input.size);
    for (Layer l : layers) l.forward(batch, training, random);
    if (training) {
      for (Map.Entry<String, ClBuffer> e : deviceBuffers.entrySet()) {
        float[] host = buffers().get(e.getKey());
        kernels.read(e.getValue(), host, host.length);
      }
    }
    kernels.read(output.value, hostOutput, batch * output.size);
  }

  @Override
  protected void zeroGradients(int batch) {
    for (Tensor t : tensors.values()) {
      if (t.hasGradient) kernels.zero(t.grad, batch * t.size);
    }
    for (Map.Entry<String, ClBuffer> e : deviceGradients.entrySet()) {
      kernels.zero(e.getValue(), parameters().get(e.getKey()).length);
    }
  }

  @Override
  protected void backward(float[] images, int batch) {
    kernels.write(hostLogitsGradient, logits.grad, batch * logits.size);
    for (int i = layers.size() - 1; i >= 0; i--) layers.get(i).backward(batch);
    for (Map.Entry<String, ClBuffer> e : deviceGradients.entrySet()) {
      float[] host = gradients().get(e.getKey());
      kernels.read(e.getValue(), host, host.length);
    }
  }

  @Override
  protected float[] output() {
    return hostOutput;
  }

  @Override
  protected float[] logitsGradient() {
    return hostLogitsGradient;
  }

  @Override
  protected boolean endsInSoftmax() {
    return endsInSoftmax;
  }

  @Override
  protected void release() {
    session.close();
  }
}
