package dev.netc.runtime.opencl;

import dev.netc.graph.Conv;
import dev.netc.graph.Shape;
import dev.netc.runtime.train.ops.BatchNormOp;
import java.util.SplittableRandom;

/**
 * The layers of an {@link OpenClTrainer}'s schedule, what they share, and those with weights or state
 * (convolution and dense, LRN, batch norm, dropout; the others are in {@link ClPlainLayers}): each enqueues the
 * kernels of one layer of the described graph (or of a convolution or dense layer with the activation fused into
 * it), forward and backward. Those are the layer's own kernels in the network's generated training program
 * ({@code <prefix>__<role>}, see {@link TrainingPrograms}), every shape a literal in them: the layers pass only
 * buffers and, where a kernel loops over the batch, the batch size, and they know the shapes only to size the
 * launches. They mirror the Java training kernels of {@code dev.netc.runtime.train.ops} one for one, so the two
 * backends compute the same step.
 */
final class ClTrainingLayers {
  private ClTrainingLayers() {}

  /** A node's value and gradient on the device, for batches of up to the trainer's capacity. */
  static final class Tensor {
    final String node;
    /** Values per image. */
    final int size;
    /** False for the network's input, whose gradient nothing needs. */
    final boolean hasGradient;
    ClBuffer value;
    ClBuffer grad;

    Tensor(String node, int size, boolean hasGradient) {
      this.node = node;
      this.size = size;
      this.hasGradient = hasGradient;
    }
  }

  /** What layers share: the program's kernels and a scratch buffer for pre-activation gradients. */
  interface Context {
    TrainingKernels kernels();

    /** Room for the largest convolution or dense output of the batch; overwritten by each layer's backward pass. */
    ClBuffer preActivationGradient();
  }

  /** One step of the schedule. */
  abstract static class Layer {
    final Context cx;
    /** The layer's kernel-name prefix in the generated program ({@link TrainingPrograms#kernelPrefixes}). */
    final String prefix;

    Layer(Context cx, String prefix) {
      this.cx = cx;
      this.prefix = prefix;
    }

    /** (Re)allocates per-batch scratch for batches of up to {@code batch} images. */
    void allocate(int batch) {}

    abstract void forward(int batch, boolean training, SplittableRandom random);

    /** Accumulates the gradients of the layer's inputs and weights from its output's gradient. */
    abstract void backward(int batch);

    /** Launches one of the library's shared, shape-free kernels ({@code copy}, {@code accumulate}, ...). */
    final void launch(String kernel, long[] global, Object... args) {
      cx.kernels().launch(kernel, global, args);
    }

    /**
     * Launches this layer's generated kernel for {@code role}. A null argument is a buffer the layer does not
     * have (no bias; no winners for average pooling), which its generated kernel does not take: it is left out.
     */
    final void run(String role, long[] global, Object... args) {
      int present = 0;
      for (Object a : args) if (a != null) present++;
      Object[] given = new Object[present];
      int i = 0;
      for (Object a : args) if (a != null) given[i++] = a;
      cx.kernels().launch(TrainingPrograms.kernel(prefix, role), global, given);
    }

    final ClBuffer replace(ClBuffer old, String name, long floats) {
      if (old != null) old.release(); // commands queued on it keep it alive until they finish
      return cx.kernels().allocate(name, floats);
    }
  }

  /**
   * A convolution or a dense layer (its own kernels; shapes as for a 1 x 1 convolution of a 1 x 1 input with
   * {@code features} channels), with a fused activation. Backward: the gradient before the activation, then the
   * bias, weight and input gradients from it.
   */
  static final class Linear extends Layer {
    final Tensor in, out;
    final ClBuffer weight, bias, dWeight, dBias;
    final int c, h, w, f, kh, kw, g, oh, ow;
    final boolean dense;

    Linear(Context cx, String prefix, Tensor in, Tensor out, ClBuffer[] weights, Shape s, Conv conv, Shape o) {
      super(cx, prefix);
      this.in = in;
      this.out = out;
      this.weight = weights[0];
      this.dWeight = weights[1];
      this.bias = weights[2];
      this.dBias = weights[3];
      if (conv == null) { // dense: features x 1 x 1 in, units x 1 x 1 out
        c = s.size();
        h = w = kh = kw = g = oh = ow = 1;
        f = o.size();
      } else {
        c = s.channels();
        h = s.height();
        w = s.width();
        f = conv.filters();
        kh = conv.kernelH();
        kw = conv.kernelW();
        g = conv.groups();
        oh = o.height();
        ow = o.width();
      }
      this.dense = conv == null;
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      if (dense) {
        run(TrainingPrograms.FORWARD, new long[] {tiles(f), tiles(batch)}, in.value, weight, bias, out.value, batch);
        return;
      }
      run(TrainingPrograms.FORWARD, new long[] {(long) oh * ow, (long) g * tiles(f / g), batch}, in.value, weight,
          bias, out.value);
    }

    @Override
    void backward(int batch) {
      ClBuffer dPre = cx.preActivationGradient();
      run(TrainingPrograms.PRE_ACTIVATION_GRADIENT, new long[] {(long) batch * out.size}, out.value, out.grad, dPre);
      if (dBias != null) run(TrainingPrograms.BIAS_GRADIENT, new long[] {f}, dPre, dBias, batch);
      if (dense) {
        run(TrainingPrograms.WEIGHT_GRADIENT, new long[] {tiles(c), tiles(f)}, in.value, dPre, dWeight, batch);
        if (in.hasGradient) {
          run(TrainingPrograms.INPUT_GRADIENT, new long[] {tiles(c), tiles(batch)}, dPre, weight, in.grad, batch);
        }
        return;
      }
      run(TrainingPrograms.WEIGHT_GRADIENT, new long[] {(long) (c / g) * kh * kw, (long) g * tiles(f / g)}, in.value,
          dPre, dWeight, batch);
      if (in.hasGradient) {
        run(TrainingPrograms.INPUT_GRADIENT, new long[] {(long) h * w, (long) g * tiles(c / g), batch}, dPre, weight,
            in.grad);
      }
    }
  }

  /** The register tile of the convolution and dense kernels ({@code TILE} in training_lib.cl). */
  static final int TILE = 4;

  /** Tiles of {@link #TILE} covering {@code n} filters or channels of a group. */
  static int tiles(int n) {
    return (n + TILE - 1) / TILE;
  }

  /** Local response normalisation, keeping {@code D} and {@code D^-beta} for the backward pass. */
  static final class Normalisation extends Layer {
    final Tensor in, out;
    final int channels, plane;
    ClBuffer denominators, scales;

    Normalisation(Context cx, String prefix, Tensor in, Tensor out, Shape s) {
      super(cx, prefix);
      this.in = in;
      this.out = out;
      this.channels = s.channels();
      this.plane = s.plane();
    }

    @Override
    void allocate(int batch) {
      denominators = replace(denominators, out.node + " denominators", (long) batch * out.size);
      scales = replace(scales, out.node + " scales", (long) batch * out.size);
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      run(TrainingPrograms.FORWARD, new long[] {plane, channels, batch}, in.value, out.value, denominators, scales);
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      run(TrainingPrograms.BACKWARD, new long[] {plane, channels, batch}, in.value, out.grad, denominators, scales,
          in.grad);
    }
  }

  /**
   * Batch normalisation with PyTorch's training semantics ({@link BatchNormOp}); epsilon and the momentum are
   * literals in the generated kernels, the mode (training or evaluation) an argument.
   */
  static final class BatchNormalisation extends Layer {
    final Tensor in, out;
    final ClBuffer gamma, dGamma, beta, dBeta, runningMean, runningVar;
    final ClBuffer mean, invStd, means;
    final int channels, plane;
    ClBuffer xhat;
    boolean training;

    BatchNormalisation(Context cx, String prefix, Tensor in, Tensor out, ClBuffer[] weights, Shape s) {
      super(cx, prefix);
      this.in = in;
      this.out = out;
      this.gamma = weights[0];
      this.dGamma = weights[1];
      this.beta = weights[2];
      this.dBeta = weights[3];
      this.runningMean = weights[4];
      this.runningVar = weights[5];
      this.channels = s.channels();
      this.plane = s.plane();
      this.mean = cx.kernels().allocate(out.node + " mean", channels);
      this.invStd = cx.kernels().allocate(out.node + " inverse deviation", channels);
      this.means = cx.kernels().allocate(out.node + " gradient means", 2L * channels);
    }

    @Override
    void allocate(int batch) {
      xhat = replace(xhat, out.node + " normalised input", (long) batch * out.size);
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      this.training = training;
      run(TrainingPrograms.STATISTICS, new long[] {channels}, in.value, mean, invStd, runningMean, runningVar, batch,
          training ? 1 : 0);
      run(TrainingPrograms.FORWARD, new long[] {plane, channels, batch}, in.value, out.value, xhat, gamma, beta, mean,
          invStd);
    }

    @Override
    void backward(int batch) {
      run(TrainingPrograms.PARAMETER_GRADIENT, new long[] {channels}, out.grad, xhat, dGamma, dBeta, means, batch);
      if (!in.hasGradient) return;
      run(TrainingPrograms.INPUT_GRADIENT, new long[] {plane, channels, batch}, out.grad, xhat, gamma, invStd, means,
          in.grad, training ? 1 : 0);
    }
  }

  /**
   * Inverted dropout, with the library's element-wise kernels (there is no shape to specialise). The mask is
   * drawn on the host, from the step's generator in layer order with the draw {@code
   * dev.netc.runtime.train.ops.DropoutOp} makes, and uploaded: the Java and OpenCL trainers drop the same values
   * for the same seed.
   */
  static final class Drop extends Layer {
    final Tensor in, out;
    final double rate;
    float[] hostMask = new float[0];
    ClBuffer mask;
    boolean masked;

    Drop(Context cx, String prefix, Tensor in, Tensor out, double rate) {
      super(cx, prefix);
      this.in = in;
      this.out = out;
      this.rate = rate;
    }

    @Override
    void allocate(int batch) {
      mask = replace(mask, out.node + " mask", (long) batch * out.size);
      hostMask = new float[batch * out.size];
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      int count = batch * out.size;
      masked = training && rate > 0;
      if (!masked) {
        launch("copy", new long[] {count}, in.value, out.value);
        return;
      }
      double keep = 1 - rate;
      float kept = (float) (1 / keep);
      for (int i = 0; i < count; i++) hostMask[i] = random.nextDouble() < keep ? kept : 0f;
      cx.kernels().write(hostMask, mask, count);
      launch("mask_forward", new long[] {count}, in.value, mask, out.value);
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      int count = batch * out.size;
      if (masked) launch("mask_backward", new long[] {count}, out.grad, mask, in.grad);
      else launch("accumulate", new long[] {count}, in.grad, out.grad);
    }
  }

}
