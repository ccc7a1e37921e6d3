package dev.netc.runtime.java;

/**
 * A strided convolution rewritten as a stride-1 one, so that {@link Winograd} can run it: with stride {@code s},
 * the padded input is cut into {@code s x s} blocks, each block's values become {@code s * s} channels of one
 * position ("space to depth"), and the {@code k x k} kernel becomes a {@code ceil(k / s)} square one over {@code
 * channels * s * s} channels, its taps past {@code k} zero. Output {@code (oy, ox)} reads padded input rows {@code s
 * * oy + ky}, {@code ky < k}, which are rows {@code oy + ky / s} of the rearranged input at depth {@code ky % s}:
 * the same products, summed in another order.
 *
 * <p>Why: AlexNet's first layer (11x11, stride 4, 3 channels) becomes a 3x3 convolution over 48 channels of a 57x57
 * map, which Winograd's F(3x3, 3x3) computes with 2.5x fewer multiply-adds than the direct strided kernel, even
 * counting the 19% of zero taps (12x12 instead of 11x11).
 *
 * <p>Rearranged channel {@code (c, dy, dx)} is number {@code (c * s + dy) * s + dx}.
 */
public final class SpaceToDepth {
  private SpaceToDepth() {}

  /** The kernel side of the rewritten convolution: {@code ceil(kernel / stride)}. */
  public static int kernel(int kernel, int stride) {
    return (kernel + stride - 1) / stride;
  }

  /**
   * The weights {@code w[filters][channels][kernel][kernel]} of the strided convolution as those of the stride-1
   * one: {@code [filters][channels * stride^2][k'][k']}, {@code k' = kernel(kernel, stride)}, zero where {@code
   * stride * ky' + dy >= kernel} (or the same across).
   */
  public static float[] filters(float[] w, int filters, int channels, int kernel, int stride) {
    int k2 = kernel(kernel, stride);
    int depth = channels * stride * stride;
    float[] out = new float[filters * depth * k2 * k2];
    for (int f = 0; f < filters; f++) {
      for (int c = 0; c < channels; c++) {
        for (int ky = 0; ky < kernel; ky++) {
          for (int kx = 0; kx < kernel; kx++) {
            int d = (c * stride + ky % stride) * stride + kx % stride;
            out[((f * depth + d) * k2 + ky / stride) * k2 + kx / stride] =
                w[((f * channels + c) * kernel + ky) * kernel + kx];
          }
        }
      }
    }
    return out;
  }

  /**
   * As {@link Winograd#band}, for the rearranged input: rows {@code [py0, py1)} and columns {@code [0, rowStride)} of
   * the {@code channels * stride^2} rearranged planes of {@code channels} planes of {@code height x width} at {@code
   * a[src]} (padded by {@code pad} on every side, zero past the padded input), into {@code band} at row {@code row0}
   * of each rearranged channel's block of {@code channelStride} floats.
   */
  public static void band(float[] a, int src, int channels, int height, int width, int pad, int stride, int py0,
      int py1, float[] band, int row0, int rowStride, int channelStride) {
    // the columns X whose input column stride * X + dx - pad is inside the image, per dx: [x0, x1)
    for (int c = 0; c < channels; c++) {
      for (int dy = 0; dy < stride; dy++) {
        for (int dx = 0; dx < stride; dx++) {
          int d = (c * stride + dy) * stride + dx;
          int x0 = Math.min(rowStride, Math.max(0, (pad - dx + stride - 1) / stride));
          int x1 = Math.max(x0, Math.min(rowStride, (width + pad - dx + stride - 1) / stride));
          int to = d * channelStride + row0 * rowStride;
          for (int py = py0; py < py1; py++, to += rowStride) {
            int y = stride * py + dy - pad;
            if (y < 0 || y >= height) {
              java.util.Arrays.fill(band, to, to + rowStride, 0f);
              continue;
            }
            int from = src + (c * height + y) * width + dx - pad;
            for (int x = 0; x < x0; x++) band[to + x] = 0f;
            for (int x = x0; x < x1; x++) band[to + x] = a[from + stride * x];
            for (int x = x1; x < rowStride; x++) band[to + x] = 0f;
          }
        }
      }
    }
  }
}
