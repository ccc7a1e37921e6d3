package dev.netc.runtime.opencl;

import dev.netc.graph.Activation;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Lrn;
import dev.netc.graph.Shape;
import dev.netc.runtime.train.ops.BatchNormOp;
import java.util.SplittableRandom;

/**
 * The layers of an {@link OpenClTrainer}'s schedule, what they share, and those with weights or state
 * (convolution and dense, LRN, batch norm, dropout; the others are in {@link ClPlainLayers}): each enqueues the
 * training kernels ({@code training.cl}) of one layer of the described graph (or of a convolution or dense layer
 * with the activation fused into it), forward and backward, with the layer's shapes as kernel arguments. They mirror the Java training kernels of
 * {@code dev.netc.runtime.train.ops} one for one, so the two backends compute the same step.
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

  /** What layers share: the kernels, a scratch buffer for pre-activation gradients, a stand-in for no bias. */
  interface Context {
    TrainingKernels kernels();

    /** Room for the largest convolution or dense output of the batch; overwritten by each layer's backward pass. */
    ClBuffer preActivationGradient();

    /** A one-float buffer passed where a kernel's optional buffer is absent. */
    ClBuffer none();
  }

  /** One step of the schedule. */
  abstract static class Layer {
    final Context cx;

    Layer(Context cx) {
      this.cx = cx;
    }

    /** (Re)allocates per-batch scratch for batches of up to {@code batch} images. */
    void allocate(int batch) {}

    abstract void forward(int batch, boolean training, SplittableRandom random);

    /** Accumulates the gradients of the layer's inputs and weights from its output's gradient. */
    abstract void backward(int batch);

    final void launch(String kernel, long[] global, Object... args) {
      cx.kernels().launch(kernel, global, args);
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
    final int c, h, w, f, kh, kw, sh, sw, ph, pw, g, oh, ow;
    final int kind;
    final float alpha;
    final boolean dense;

    Linear(Context cx, Tensor in, Tensor out, ClBuffer[] weights, Shape s, Conv conv, Shape o, Activation act) {
      super(cx);
      this.in = in;
      this.out = out;
      this.weight = weights[0];
      this.dWeight = weights[1];
      this.bias = weights[2];
      this.dBias = weights[3];
      if (conv == null) { // dense: features x 1 x 1 in, units x 1 x 1 out
        c = s.size();
        h = w = kh = kw = sh = sw = g = oh = ow = 1;
        ph = pw = 0;
        f = o.size();
      } else {
        c = s.channels();
        h = s.height();
        w = s.width();
        f = conv.filters();
        kh = conv.kernelH();
        kw = conv.kernelW();
        sh = conv.strideH();
        sw = conv.strideW();
        ph = conv.padH();
        pw = conv.padW();
        g = conv.groups();
        oh = o.height();
        ow = o.width();
      }
      this.kind = act.kind().ordinal();
      this.alpha = act.alpha();
      this.dense = conv == null;
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      if (dense) {
        launch("dense_forward", new long[] {tiles(f), tiles(batch)}, in.value, weight, bias == null ? cx.none() : bias,
            out.value, batch, c, f, bias == null ? 0 : 1, kind, alpha);
        return;
      }
      launch("conv_forward", new long[] {(long) oh * ow, (long) g * tiles(f / g), batch}, in.value, weight,
          bias == null ? cx.none() : bias, out.value, c, h, w, f, kh, kw, sh, sw, ph, pw, g, oh, ow,
          bias == null ? 0 : 1, kind, alpha);
    }

    @Override
    void backward(int batch) {
      ClBuffer dPre = cx.preActivationGradient();
      launch("pre_activation_gradient", new long[] {(long) batch * out.size}, out.value, out.grad, dPre, kind, alpha);
      if (dBias != null) launch("conv_bias_gradient", new long[] {f}, dPre, dBias, batch, f, oh * ow);
      if (dense) {
        launch("dense_weight_gradient", new long[] {tiles(c), tiles(f)}, in.value, dPre, dWeight, batch, c, f);
        if (in.hasGradient) {
          launch("dense_input_gradient", new long[] {tiles(c), tiles(batch)}, dPre, weight, in.grad, batch, c, f);
        }
        return;
      }
      launch("conv_weight_gradient", new long[] {(long) (c / g) * kh * kw, (long) g * tiles(f / g)}, in.value, dPre,
          dWeight, batch, c, h, w, f, kh, kw, sh, sw, ph, pw, g, oh, ow);
      if (in.hasGradient) {
        launch("conv_input_gradient", new long[] {(long) h * w, (long) g * tiles(c / g), batch}, dPre, weight,
            in.grad, c, h, w, f, kh, kw, sh, sw, ph, pw, g, oh, ow);
      }
    }
  }

  /** The register tile of the convolution kernels ({@code TILE} in training.cl). */
  static final int TILE = 4;

  /** Tiles of {@link #TILE} covering {@code n} filters or channels of a group. */
  static int tiles(int n) {
    return (n + TILE - 1) / TILE;
  }

  /** Local response normalisation, keeping {@code D} and {@code D^-beta} for the backward pass. */
  static final class Normalisation extends Layer {
    final Tensor in, out;
    final int channels, plane, half;
    final float coef, k, beta;
    ClBuffer denominators, scales;

    Normalisation(Context cx, Tensor in, Tensor out, Lrn lrn, Shape s) {
      super(cx);
      this.in = in;
      this.out = out;
      this.channels = s.channels();
      this.plane = s.plane();
      this.half = lrn.size() / 2;
      this.coef = (float) lrn.coefficient();
      this.k = (float) lrn.k();
      this.beta = (float) lrn.beta();
    }

    @Override
    void allocate(int batch) {
      denominators = replace(denominators, out.node + " denominators", (long) batch * out.size);
      scales = replace(scales, out.node + " scales", (long) batch * out.size);
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      launch("lrn_forward", new long[] {plane, channels, batch}, in.value, out.value, denominators, scales, channels,
          plane, half, coef, k, beta);
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      launch("lrn_backward", new long[] {plane, channels, batch}, in.value, out.grad, denominators, scales, in.grad,
          channels, plane, half, coef, beta);
    }
  }

  /** Batch normalisation with PyTorch's training semantics ({@link BatchNormOp}). */
  static final class BatchNormalisation extends Layer {
    final Tensor in, out;
    final ClBuffer gamma, dGamma, beta, dBeta, runningMean, runningVar;
    final ClBuffer mean, invStd, means;
    final int channels, plane;
    final float eps;
    ClBuffer xhat;
    boolean training;

    BatchNormalisation(Context cx, Tensor in, Tensor out, ClBuffer[] weights, BatchNorm bn, Shape s) {
      super(cx);
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
      this.eps = (float) bn.eps();
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
      launch("batch_norm_statistics", new long[] {channels}, in.value, mean, invStd, runningMean, runningVar, batch,
          channels, plane, eps, (float) BatchNormOp.MOMENTUM, training ? 1 : 0);
      launch("batch_norm_forward", new long[] {plane, channels, batch}, in.value, out.value, xhat, gamma, beta, mean,
          invStd, channels, plane);
    }

    @Override
    void backward(int batch) {
      launch("batch_norm_parameter_gradient", new long[] {channels}, out.grad, xhat, dGamma, dBeta, means, batch,
          channels, plane);
      if (!in.hasGradient) return;
      launch("batch_norm_input_gradient", new long[] {plane, channels, batch}, out.grad, xhat, gamma, invStd, means,
          in.grad, channels, plane, training ? 1 : 0);
    }
  }

  /**
   * Inverted dropout. The mask is drawn on the host, from the step's generator in layer order with the draw
   * {@code dev.netc.runtime.train.ops.DropoutOp} makes, and uploaded: the Java and OpenCL trainers drop the same
   * values for the same seed.
   */
  static final class Drop extends Layer {
    final Tensor in, out;
    final double rate;
    float[] hostMask = new float[0];
    ClBuffer mask;
    boolean masked;

    Drop(Context cx, Tensor in, Tensor out, double rate) {
      super(cx);
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
