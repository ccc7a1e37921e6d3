package dev.netc.runtime.opencl;

import dev.netc.graph.Shape;

/** Tiny hand-written models in the shape the processor generates them. */
final class TestModels {
  private TestModels() {}

  static final String DOUBLER_SOURCE = """
      // Doubles every float: arena[out + i] = 2 * arena[in + i].
      __kernel void twice(__global float* arena, int in, int out, int n) {
        int i = get_global_id(0);
        if (i < n) arena[out + i] = 2.0f * arena[in + i];
      }
      """;

  /** 2x2x2 in, 2x2x2 out, output = 2 * input; arena: input at 0, output at 8 (per image). */
  static final class Doubler extends OpenClModel {
    static final Shape SHAPE = new Shape(2, 2, 2);

    Doubler(ClSession session) {
      this(session, 16);
    }

    Doubler(ClSession session, int arenaPerImage) {
      super("Doubler", SHAPE, SHAPE, arenaPerImage, 0, 8, session, "Doubler", DOUBLER_SOURCE, null);
    }

    @Override
    protected void enqueue(int batch) {
      int n = batch * SHAPE.size();
      launch("twice", "double", n, 8L * n, new long[] {n}, null, arena(), 0, 8 * batch, n);
    }
  }

  static final String AFFINE_SOURCE = """
      // Per-channel affine: mid = in * scale[c] + bias[c].
      __kernel void affine(__global float* arena, __global const float* scale, __global const float* bias,
                           int in, int mid, int channels, int plane, int n) {
        int i = get_global_id(0);
        if (i >= n) return;
        int c = (i / plane) % channels;
        arena[mid + i] = arena[in + i] * scale[c] + bias[c];
      }
      // out = mid + k
      __kernel void add(__global float* arena, int mid, int out, float k, int n) {
        int i = get_global_id(0);
        if (i < n) arena[out + i] = arena[mid + i] + k;
      }
      """;

  /** 3x2x2 in and out: out = in * scale[c] + bias[c] + 0.5, in two launches; weights in device buffers. */
  static final class Affine extends OpenClModel {
    static final Shape SHAPE = new Shape(3, 2, 2);
    static final float[] SCALE = {1f, -2f, 3f};
    static final float[] BIAS = {0.25f, 1f, -4f};
    private final ClBuffer scale;
    private final ClBuffer bias;

    Affine(ClSession session) {
      super("Affine", SHAPE, SHAPE, 36, 0, 24, session, "Affine", AFFINE_SOURCE, "-cl-mad-enable");
      try {
        scale = upload("scale", SCALE);
        bias = upload("bias", BIAS);
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    @Override
    protected void enqueue(int batch) {
      int n = batch * SHAPE.size();
      launch("affine", "conv1", 2L * n, 8L * n, new long[] {n}, null, arena(), scale, bias, 0, 12 * batch, 3, 4, n);
      launch("add", "add1", n, 8L * n, new long[] {n}, new long[] {1}, arena(), 12 * batch, 24 * batch, 0.5f, n);
    }

    static float expected(float x, int index) {
      int c = (index / 4) % 3;
      return x * SCALE[c] + BIAS[c] + 0.5f;
    }
  }

  static float[] ramp(int n, float start) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = start + i * 0.5f;
    return a;
  }
}
