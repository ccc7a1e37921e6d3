package dev.netc.graph;

/**
 * The shape of one image's tensor: channels x height x width. The batch size is chosen at run time and is
 * never part of a shape. A dense layer's output is {@code units x 1 x 1}.
 */
public record Shape(int channels, int height, int width) {

  /** Number of floats one image of this shape holds. */
  public int size() {
    return channels * height * width;
  }

  /** Spatial positions per channel. */
  public int plane() {
    return height * width;
  }

  /** A vector of {@code n} features, as a dense layer produces. */
  public static Shape vector(int n) {
    return new Shape(n, 1, 1);
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
