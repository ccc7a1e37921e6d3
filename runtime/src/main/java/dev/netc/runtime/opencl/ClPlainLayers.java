package dev.netc.runtime.opencl;

import dev.netc.graph.Activation;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The layers of an {@link OpenClTrainer}'s schedule without weights: standalone activations, pooling, adaptive
 * pooling, softmax, concatenation and residual sums (those with weights or state are in {@link ClTrainingLayers}).
 */
final class ClPlainLayers {
  private ClPlainLayers() {}

  /** A standalone activation (one that could not be fused). */
  static final class Act extends ClTrainingLayers.Layer {
    final ClTrainingLayers.Tensor in, out;
    final int kind;
    final float alpha;

    Act(ClTrainingLayers.Context cx, ClTrainingLayers.Tensor in, ClTrainingLayers.Tensor out, Activation a) {
      super(cx);
      this.in = in;
      this.out = out;
      this.kind = a.kind().ordinal();
      this.alpha = a.alpha();
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      launch("activation_forward", new long[] {(long) batch * out.size}, in.value, out.value, kind, alpha);
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      launch("activation_backward", new long[] {(long) batch * out.size}, out.value, out.grad, in.grad, kind, alpha);
    }
  }

  /** Max or average pooling; max pooling keeps each window's winner (an int per output) for the backward pass. */
  static final class Pooling extends ClTrainingLayers.Layer {
    final ClTrainingLayers.Tensor in, out;
    final Pool p;
    final int h, w, oh, ow, planes;
    ClBuffer winners;

    Pooling(ClTrainingLayers.Context cx, ClTrainingLayers.Tensor in, ClTrainingLayers.Tensor out, Pool p, Shape s, Shape o) {
      super(cx);
      this.in = in;
      this.out = out;
      this.p = p;
      this.h = s.height();
      this.w = s.width();
      this.oh = o.height();
      this.ow = o.width();
      this.planes = s.channels();
    }

    private Object[] window() {
      return new Object[] {h, w, oh, ow, p.windowH(), p.windowW(), p.strideH(), p.strideW(), p.padH(), p.padW(),
          p.kind() == Pool.Kind.MAX ? 1 : 0, p.countIncludePad() ? 1 : 0};
    }

    @Override
    void allocate(int batch) {
      if (p.kind() == Pool.Kind.MAX) winners = replace(winners, out.node + " winners", (long) batch * out.size);
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      launch("pool_forward", new long[] {(long) oh * ow, (long) batch * planes}, concat(List.of(in.value, out.value,
          winners == null ? cx.none() : winners), window()));
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      launch("pool_backward", new long[] {(long) h * w, (long) batch * planes}, concat(List.of(
          winners == null ? cx.none() : winners, out.grad, in.grad), window()));
    }
  }

  /** Adaptive (and global) average pooling. */
  static final class AdaptiveAverage extends ClTrainingLayers.Layer {
    final ClTrainingLayers.Tensor in, out;
    final int h, w, oh, ow, planes;

    AdaptiveAverage(ClTrainingLayers.Context cx, ClTrainingLayers.Tensor in, ClTrainingLayers.Tensor out, Shape s, Shape o) {
      super(cx);
      this.in = in;
      this.out = out;
      this.h = s.height();
      this.w = s.width();
      this.oh = o.height();
      this.ow = o.width();
      this.planes = s.channels();
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      launch("adaptive_avg_pool_forward", new long[] {(long) oh * ow, (long) batch * planes}, in.value, out.value, h,
          w, oh, ow);
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      launch("adaptive_avg_pool_backward", new long[] {(long) h * w, (long) batch * planes}, out.grad, in.grad, h, w,
          oh, ow);
    }
  }

  /** Softmax across channels; the network's final one hands its gradient to the loss instead. */
  static final class SoftmaxLayer extends ClTrainingLayers.Layer {
    final ClTrainingLayers.Tensor in, out;
    final int channels, plane;
    final boolean last;

    SoftmaxLayer(ClTrainingLayers.Context cx, ClTrainingLayers.Tensor in, ClTrainingLayers.Tensor out, Shape s, boolean last) {
      super(cx);
      this.in = in;
      this.out = out;
      this.channels = s.channels();
      this.plane = s.plane();
      this.last = last;
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      launch("softmax_forward", new long[] {plane, batch}, in.value, out.value, channels, plane);
    }

    @Override
    void backward(int batch) {
      if (last || !in.hasGradient) return; // the loss's gradient enters below the final softmax
      launch("softmax_backward", new long[] {plane, batch}, out.value, out.grad, in.grad, channels, plane);
    }
  }

  /** Concatenation along channels: each input is a slice of every image's output. */
  static final class Concatenation extends ClTrainingLayers.Layer {
    final List<ClTrainingLayers.Tensor> ins;
    final ClTrainingLayers.Tensor out;

    Concatenation(ClTrainingLayers.Context cx, List<ClTrainingLayers.Tensor> ins, ClTrainingLayers.Tensor out) {
      super(cx);
      this.ins = ins;
      this.out = out;
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      int offset = 0;
      for (ClTrainingLayers.Tensor in : ins) {
        launch("concat_forward", new long[] {in.size, batch}, in.value, out.value, in.size, out.size, offset);
        offset += in.size;
      }
    }

    @Override
    void backward(int batch) {
      int offset = 0;
      for (ClTrainingLayers.Tensor in : ins) {
        if (in.hasGradient) {
          launch("concat_backward", new long[] {in.size, batch}, out.grad, in.grad, in.size, out.size, offset);
        }
        offset += in.size;
      }
    }
  }

  /** A residual (element-wise) sum of two or more tensors. */
  static final class Sum extends ClTrainingLayers.Layer {
    final List<ClTrainingLayers.Tensor> ins;
    final ClTrainingLayers.Tensor out;

    Sum(ClTrainingLayers.Context cx, List<ClTrainingLayers.Tensor> ins, ClTrainingLayers.Tensor out) {
      super(cx);
      this.ins = ins;
      this.out = out;
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      long[] all = {(long) batch * out.size};
      launch("add2", all, ins.get(0).value, ins.get(1).value, out.value);
      for (int k = 2; k < ins.size(); k++) launch("accumulate", all, out.value, ins.get(k).value);
    }

    @Override
    void backward(int batch) {
      for (ClTrainingLayers.Tensor in : ins) {
        if (in.hasGradient) launch("accumulate", new long[] {(long) batch * out.size}, in.grad, out.grad);
      }
    }
  }

  private static Object[] concat(List<ClBuffer> buffers, Object[] rest) {
    Object[] all = new Object[buffers.size() + rest.length];
    for (int i = 0; i < buffers.size(); i++) all[i] = buffers.get(i);
    System.arraycopy(rest, 0, all, buffers.size(), rest.length);
    return all;
  }
}
