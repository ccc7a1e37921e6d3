package dev.netc.runtime.train;

import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Weights;
import dev.netc.runtime.io.MapWeights;
import dev.netc.runtime.train.ops.TensorOps;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A trainer of one network on one backend: one training step is a forward pass in training mode, the softmax
 * cross-entropy loss and the backward pass to every learned tensor, in float32. A subclass holds the schedule
 * (which layer runs when, fused activations, where each layer's value and gradient live) and runs it:
 * {@link JavaTrainer} on the Java backend (the generated {@code <Network>_Trainer}), and
 * {@code dev.netc.runtime.opencl.OpenClTrainer} on an OpenCL device. This class holds the tensors by name on the
 * host, the loss, and the public API. An optimiser such as {@link Sgd} then updates {@link #parameters()} in
 * place from {@link #gradients()}, on the host, whatever the backend: a device trainer uploads the parameters
 * before each pass and downloads the gradients (and the running statistics batch norm updated) after it, so
 * {@link Sgd}, {@link Checkpoint}, {@link Training} and resuming work unchanged.
 *
 * <p>The loss is the batch mean of {@code -log p[label]}. When the network ends in a softmax, {@code p} is its
 * output and the gradient enters below the softmax as {@code (p - onehot) / batch} (exact and stable);
 * otherwise the output is taken as logits.
 *
 * <p>Not thread-safe for concurrent steps: calls are serialised ({@code synchronized}).
 */
public abstract class Trainer implements AutoCloseable {
  private final Graph graph;
  private final Map<String, float[]> parameters = new LinkedHashMap<>();
  private final Map<String, float[]> gradients = new LinkedHashMap<>();
  private final Map<String, float[]> buffers = new LinkedHashMap<>();
  private final Map<String, int[]> dims = new LinkedHashMap<>();
  private int capacity;
  private boolean closed;

  /** The result of one training step. */
  public record Step(double loss, int correct, int batch) {
    /** The fraction of the batch classified wrongly (top-1). */
    public double error() {
      return 1 - (double) correct / batch;
    }
  }

  /**
   * Copies every tensor {@code graph} needs out of {@code initial} (checked by name and shape, so a wrong file
   * fails here, naming the tensor), which the caller may close afterwards.
   */
  protected Trainer(Graph graph, Weights initial) {
    this.graph = graph;
    for (Node n : graph.nodes()) {
      for (WeightSpec s : graph.weightsOf(n)) {
        float[] copy = initial.get(s).clone();
        dims.put(s.name(), s.dims());
        if (s.learned()) {
          parameters.put(s.name(), copy);
          gradients.put(s.name(), new float[copy.length]);
        } else {
          buffers.put(s.name(), copy);
        }
      }
    }
  }

  /** Where the steps run, for messages: "Java, 2 threads", "OpenCL on ...". */
  public abstract String backend();

  /** The network as described: the trainer differentiates this graph (not the inference-fused one). */
  public final Graph graph() {
    return graph;
  }

  /** The learned tensors by weight name, live: an optimiser updates them in place. */
  public final Map<String, float[]> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** The gradients of the last {@link #step}, by weight name. */
  public final Map<String, float[]> gradients() {
    return Collections.unmodifiableMap(gradients);
  }

  /** The running statistics (batch norm), live. */
  public final Map<String, float[]> buffers() {
    return Collections.unmodifiableMap(buffers);
  }

  /** Every tensor's PyTorch shape by weight name (parameters and buffers). */
  public final Map<String, int[]> shapes() {
    return Collections.unmodifiableMap(dims);
  }

  /**
   * A copy of every tensor (parameters and buffers) under its weight name and PyTorch shape: what a generated
   * model loads, and what {@code SafeTensorsWriter} saves.
   */
  public final synchronized MapWeights weights() {
    MapWeights w = new MapWeights(graph.name() + " trainer");
    for (Map.Entry<String, int[]> e : dims.entrySet()) {
      float[] t = parameters.containsKey(e.getKey()) ? parameters.get(e.getKey()) : buffers.get(e.getKey());
      w.put(e.getKey(), e.getValue().clone(), t.clone());
    }
    return w;
  }

  /** Replaces every tensor with the one of the same name in {@code source} (shapes checked). */
  public final synchronized void load(Weights source) {
    for (Node n : graph.nodes()) {
      for (WeightSpec s : graph.weightsOf(n)) {
        float[] from = source.get(s);
        float[] into = s.learned() ? parameters.get(s.name()) : buffers.get(s.name());
        System.arraycopy(from, 0, into, 0, into.length);
      }
    }
  }

  /**
   * One forward pass in training mode (dropout on, batch norm on the batch's statistics, updating the running
   * ones) and the backward pass of the loss for {@code labels}; the gradients are then in {@link #gradients()}.
   *
   * @param images {@code batch} images, NCHW
   * @param seed fixes the dropout masks
   */
  public final synchronized Step step(float[] images, int[] labels, int batch, long seed) {
    checkOpen();
    checkInput(images, batch);
    int classes = graph.outputShape().size();
    if (labels.length < batch) {
      throw new IllegalArgumentException("need " + batch + " labels, got " + labels.length);
    }
    for (int n = 0; n < batch; n++) { // before any work, so a bad label changes nothing
      if (labels[n] < 0 || labels[n] >= classes) {
        throw new IllegalArgumentException("label " + labels[n] + " of image " + n + " is outside 0.." + (classes - 1));
      }
    }
    ensureCapacity(batch);
    forward(images, batch, true, new SplittableRandom(seed));
    float[] out = output();
    float[] p = out;
    if (!endsInSoftmax()) {
      p = new float[batch * classes];
      TensorOps.softmax(batch, classes, 1, out, p);
    }
    zeroGradients(batch);
    for (float[] g : gradients.values()) java.util.Arrays.fill(g, 0f);
    float[] dLogits = logitsGradient();
    double loss = 0;
    int correct = 0;
    for (int n = 0; n < batch; n++) {
      int y = labels[n];
      int row = n * classes;
      loss -= Math.log(Math.max(p[row + y], Float.MIN_NORMAL));
      int best = 0;
      for (int c = 0; c < classes; c++) {
        dLogits[row + c] = (p[row + c] - (c == y ? 1f : 0f)) / batch;
        if (p[row + c] > p[row + best]) best = c;
      }
      if (best == y) correct++;
    }
    backward(images, batch);
    return new Step(loss / batch, correct, batch);
  }

  /**
   * The network's output for {@code batch} images in evaluation mode (dropout off, batch norm on its running
   * statistics; nothing is updated): {@code batch x classes} values, probabilities when the network ends in a
   * softmax.
   */
  public final synchronized float[] predict(float[] images, int batch) {
    checkOpen();
    checkInput(images, batch);
    ensureCapacity(batch);
    forward(images, batch, false, new SplittableRandom(0));
    float[] out = new float[batch * graph.outputShape().size()];
    System.arraycopy(output(), 0, out, 0, out.length);
    return out;
  }

  /** {@link #predict}, with a softmax applied when the network outputs logits: class probabilities. */
  public final synchronized float[] probabilities(float[] images, int batch) {
    float[] out = predict(images, batch);
    if (endsInSoftmax()) return out;
    float[] p = new float[out.length];
    TensorOps.softmax(batch, graph.outputShape().size(), 1, out, p);
    return p;
  }

  @Override
  public final synchronized void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  /** Releases what the backend holds (threads, device memory); called once, by {@link #close()}. */
  protected abstract void release();

  private void checkOpen() {
    if (closed) throw new IllegalStateException(graph.name() + " trainer is closed");
  }

  private void checkInput(float[] images, int batch) {
    if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    long need = (long) batch * graph.inputShape().size();
    if (images.length < need) {
      throw new IllegalArgumentException(graph.name() + " expects " + batch + " x " + graph.inputShape() + " = "
          + need + " input values but got " + images.length);
    }
  }

  private void ensureCapacity(int batch) {
    if (batch > capacity) {
      allocate(batch);
      capacity = batch;
    }
  }

  /** A learned tensor, for the generated subclass's fields. */
  protected final float[] parameter(String name) {
    return require(parameters, name);
  }

  /** The gradient array of a learned tensor. */
  protected final float[] gradient(String name) {
    return require(gradients, name);
  }

  /** A running-statistics tensor. */
  protected final float[] buffer(String name) {
    return require(buffers, name);
  }

  private float[] require(Map<String, float[]> from, String name) {
    float[] t = from.get(name);
    if (t == null) throw new IllegalStateException(graph.name() + " trainer has no tensor " + name);
    return t;
  }

  /** (Re)allocates every value and gradient array for batches of up to {@code batch} images. */
  protected abstract void allocate(int batch);

  /** Runs every layer forward; {@code random} draws the dropout masks in layer order. */
  protected abstract void forward(float[] input, int batch, boolean training, SplittableRandom random);

  /** Zeroes every layer's gradient array before a backward pass accumulates into them. */
  protected abstract void zeroGradients(int batch);

  /**
   * Runs every layer backward, from {@link #logitsGradient()} to the parameters' gradients, which are in
   * {@link #gradients()} when it returns.
   */
  protected abstract void backward(float[] input, int batch);

  /** The network's output values of the last forward pass, on the host. */
  protected abstract float[] output();

  /**
   * Where the loss's gradient goes: the gradient array of the final softmax's input when {@link #endsInSoftmax()},
   * else of the output itself (a host array; a device trainer uploads it when {@link #backward} starts).
   */
  protected abstract float[] logitsGradient();

  /** Whether the network's last layer is a softmax. */
  protected abstract boolean endsInSoftmax();
}
