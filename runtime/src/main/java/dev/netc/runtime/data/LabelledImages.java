package dev.netc.runtime.data;

import dev.netc.graph.Shape;

/**
 * A set of images with class labels, in memory: image {@code i} is {@code pixels[i * shape.size() ..]} in
 * channel-major order (the layout of a network's input), with values scaled to {@code [0, 1]}.
 *
 * @param name for messages, e.g. {@code fashion-mnist train}
 * @param shape one image's shape
 * @param pixels every image, one after the other
 * @param labels each image's class, {@code 0 <= label < classes}
 * @param classNames each class's name, indexed by label
 */
public record LabelledImages(String name, Shape shape, float[] pixels, int[] labels, String[] classNames) {
  public LabelledImages {
    if ((long) labels.length * shape.size() != pixels.length) {
      throw new IllegalArgumentException(name + ": " + labels.length + " labels but " + pixels.length + " pixel"
          + " values for images of " + shape);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.length) {
        throw new IllegalArgumentException(name + ": image " + i + " has label " + labels[i] + ", outside 0.."
            + (classNames.length - 1));
      }
    }
  }

  /** The number of images. */
  public int size() {
    return labels.length;
  }

  /** The number of classes. */
  public int classes() {
    return classNames.length;
  }

  /** Copies image {@code index} into {@code into} at {@code at}. */
  public void copyImage(int index, float[] into, int at) {
    System.arraycopy(pixels, index * shape.size(), into, at, shape.size());
  }

  /** The images at {@code indices}, in that order, as a new set named {@code newName}. */
  public LabelledImages select(int[] indices, String newName) {
    int size = shape.size();
    float[] p = new float[indices.length * size];
    int[] y = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(pixels, indices[i] * size, p, i * size, size);
      y[i] = labels[indices[i]];
    }
    return new LabelledImages(newName, shape, p, y, classNames);
  }
}
