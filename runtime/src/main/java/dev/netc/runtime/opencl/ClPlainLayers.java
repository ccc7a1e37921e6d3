package dev.netc.runtime.opencl;

import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The layers of an {@link OpenClTrainer}'s schedule without weights: standalone activations, pooling, adaptive
 * pooling, softmax, concatenation and residual sums (those with weights or state are in {@link ClTrainingLayers}).
 * Each launches its generated, shape-specialised kernels; residual sums use the library's element-wise ones.
 */
final class ClPlainLayers {
  private ClPlainLayers() {}

  /** A standalone activation (one that could not be fused). */
  static final class Act extends ClTrainingLayers.Layer {
    final ClTrainingLayers.Tensor in, out;

    Act(ClTrainingLayers.Context cx, String prefix, ClTrainingLayers.Tensor in, ClTrainingLayers.Tensor out) {
      super(cx, prefix);
      this.in = in;
      this.out = out;
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      run(TrainingPrograms.FORWARD, new long[] {(long) batch * out.size}, in.value, out.value);
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      run(TrainingPrograms.BACKWARD, new long[] {(long) batch * out.size}, out.value, out.grad, in.grad);
    }
  }

  /** Max or average pooling; max pooling keeps each window's winner (an int per output) for the backward pass. */
  static final class Pooling extends ClTrainingLayers.Layer {
    final ClTrainingLayers.Tensor in, out;
    final Pool p;
    final int h, w, oh, ow, planes;
    /** Max pooling's winners; null for average pooling, whose kernels do not take them. */
    ClBuffer winners;

    Pooling(ClTrainingLayers.Context cx, String prefix, ClTrainingLayers.Tensor in, ClTrainingLayers.Tensor out,
        Pool p, Shape s, Shape o) {
      super(cx, prefix);
      this.in = in;
      this.out = out;
      this.p = p;
      this.h = s.height();
      this.w = s.width();
      this.oh = o.height();
      this.ow = o.width();
      this.planes = s.channels();
    }

    @Override
    void allocate(int batch) {
      if (p.kind() == Pool.Kind.MAX) winners = replace(winners, out.node + " winners", (long) batch * out.size);
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      run(TrainingPrograms.FORWARD, new long[] {(long) oh * ow, (long) batch * planes}, in.value, out.value, winners);
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      run(TrainingPrograms.BACKWARD, new long[] {(long) h * w, (long) batch * planes}, winners, out.grad, in.grad);
    }
  }

  /** Adaptive (and global) average pooling. */
  static final class AdaptiveAverage extends ClTrainingLayers.Layer {
    final ClTrainingLayers.Tensor in, out;
    final int h, w, oh, ow, planes;

    AdaptiveAverage(ClTrainingLayers.Context cx, String prefix, ClTrainingLayers.Tensor in,
        ClTrainingLayers.Tensor out, Shape s, Shape o) {
      super(cx, prefix);
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
      run(TrainingPrograms.FORWARD, new long[] {(long) oh * ow, (long) batch * planes}, in.value, out.value);
    }

    @Override
    void backward(int batch) {
      if (!in.hasGradient) return;
      run(TrainingPrograms.BACKWARD, new long[] {(long) h * w, (long) batch * planes}, out.grad, in.grad);
    }
  }

  /** Softmax across channels; the network's final one hands its gradient to the loss instead. */
  static final class SoftmaxLayer extends ClTrainingLayers.Layer {
    final ClTrainingLayers.Tensor in, out;
    final int plane;
    final boolean last;

    SoftmaxLayer(ClTrainingLayers.Context cx, String prefix, ClTrainingLayers.Tensor in, ClTrainingLayers.Tensor out,
        Shape s, boolean last) {
      super(cx, prefix);
      this.in = in;
      this.out = out;
      this.plane = s.plane();
      this.last = last;
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      run(TrainingPrograms.FORWARD, new long[] {plane, batch}, in.value, out.value);
    }

    @Override
    void backward(int batch) {
      if (last || !in.hasGradient) return; // the loss's gradient enters below the final softmax
      run(TrainingPrograms.BACKWARD, new long[] {plane, batch}, out.value, out.grad, in.grad);
    }
  }

  /**
   * Concatenation along channels: each input is a slice of every image's output, copied by a kernel of its own
   * (its size and offset literals).
   */
  static final class Concatenation extends ClTrainingLayers.Layer {
    final List<ClTrainingLayers.Tensor> ins;
    final ClTrainingLayers.Tensor out;

    Concatenation(ClTrainingLayers.Context cx, String prefix, List<ClTrainingLayers.Tensor> ins,
        ClTrainingLayers.Tensor out) {
      super(cx, prefix);
      this.ins = ins;
      this.out = out;
    }

    @Override
    void forward(int batch, boolean training, SplittableRandom random) {
      for (int i = 0; i < ins.size(); i++) {
        ClTrainingLayers.Tensor in = ins.get(i);
        cx.kernels().launch(TrainingPrograms.kernel(prefix, TrainingPrograms.FORWARD, i), new long[] {in.size, batch},
            in.value, out.value);
      }
    }

    @Override
    void backward(int batch) {
      for (int i = 0; i < ins.size(); i++) {
        ClTrainingLayers.Tensor in = ins.get(i);
        if (in.hasGradient) {
          cx.kernels().launch(TrainingPrograms.kernel(prefix, TrainingPrograms.BACKWARD, i),
              new long[] {in.size, batch}, out.grad, in.grad);
        }
      }
    }
  }

  /** A residual (element-wise) sum of two or more tensors. */
  static final class Sum extends ClTrainingLayers.Layer {
    final List<ClTrainingLayers.Tensor> ins;
    final ClTrainingLayers.Tensor out;

    Sum(ClTrainingLayers.Context cx, String prefix, List<ClTrainingLayers.Tensor> ins, ClTrainingLayers.Tensor out) {
      super(cx, prefix);
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
}
