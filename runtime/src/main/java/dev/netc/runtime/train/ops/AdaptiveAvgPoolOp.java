package dev.netc.runtime.train.ops;

/**
 * Adaptive average pooling (global average pooling is the 1 x 1 case) with PyTorch's window rule: output cell
 * {@code o} of {@code out} averages input cells {@code floor(o in / out)} to {@code ceil((o + 1) in / out)}.
 */
public final class AdaptiveAvgPoolOp {
  private final int channels, height, width, outH, outW;

  public AdaptiveAvgPoolOp(int channels, int height, int width, int outH, int outW) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.outH = outH;
    this.outW = outW;
  }

  public void forward(int batch, float[] in, float[] out) {
    for (int plane = 0; plane < batch * channels; plane++) {
      int src = plane * height * width;
      for (int oy = 0; oy < outH; oy++) {
        int y0 = oy * height / outH, y1 = ((oy + 1) * height + outH - 1) / outH;
        for (int ox = 0; ox < outW; ox++) {
          int x0 = ox * width / outW, x1 = ((ox + 1) * width + outW - 1) / outW;
          float sum = 0f;
          for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) sum += in[src + y * width + x];
          }
          out[(plane * outH + oy) * outW + ox] = sum / ((y1 - y0) * (x1 - x0));
        }
      }
    }
  }

  public void backward(int batch, float[] dOut, float[] dIn) {
    for (int plane = 0; plane < batch * channels; plane++) {
      int src = plane * height * width;
      for (int oy = 0; oy < outH; oy++) {
        int y0 = oy * height / outH, y1 = ((oy + 1) * height + outH - 1) / outH;
        for (int ox = 0; ox < outW; ox++) {
          int x0 = ox * width / outW, x1 = ((ox + 1) * width + outW - 1) / outW;
          float share = dOut[(plane * outH + oy) * outW + ox] / ((y1 - y0) * (x1 - x0));
          for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) dIn[src + y * width + x] += share;
          }
        }
      }
    }
  }
}
