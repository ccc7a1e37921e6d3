package dev.netc.runtime.data;

import dev.netc.graph.Shape;
import java.util.SplittableRandom;

/**
 * A random transformation of one image in place, used while training to enlarge the data set (AlexNet
 * section 4.1): random crops (here: shifts within zero padding, so the size stays), horizontal flips, and the
 * PCA colour noise of {@link PcaColourNoise}.
 */
@FunctionalInterface
public interface Augmentation {
  /** Transforms the image at {@code images[offset ..]} of {@code shape}, drawing from {@code random}. */
  void apply(float[] images, int offset, Shape shape, SplittableRandom random);

  /** This, then {@code next}. */
  default Augmentation then(Augmentation next) {
    return (images, offset, shape, random) -> {
      apply(images, offset, shape, random);
      next.apply(images, offset, shape, random);
    };
  }

  /**
   * A random crop of the image padded with {@code padding} zeros on every side, back to the original size: the
   * content moves by up to {@code padding} pixels in each direction and the uncovered border is zero.
   */
  static Augmentation randomCrop(int padding) {
    if (padding < 0) throw new IllegalArgumentException("padding must not be negative, got " + padding);
    return (images, offset, shape, random) -> {
      int dy = random.nextInt(2 * padding + 1) - padding;
      int dx = random.nextInt(2 * padding + 1) - padding;
      if (dy == 0 && dx == 0) return;
      int h = shape.height();
      int w = shape.width();
      float[] plane = new float[h * w];
      for (int c = 0; c < shape.channels(); c++) {
        int base = offset + c * h * w;
        System.arraycopy(images, base, plane, 0, h * w);
        for (int y = 0; y < h; y++) {
          int sy = y + dy;
          for (int x = 0; x < w; x++) {
            int sx = x + dx;
            images[base + y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? plane[sy * w + sx] : 0f;
          }
        }
      }
    };
  }

  /** A mirror image (left-right) with probability one half. */
  static Augmentation horizontalFlip() {
    return (images, offset, shape, random) -> {
      if (!random.nextBoolean()) return;
      int w = shape.width();
      for (int row = 0; row < shape.channels() * shape.height(); row++) {
        int base = offset + row * w;
        for (int x = 0; x < w / 2; x++) {
          float t = images[base + x];
          images[base + x] = images[base + w - 1 - x];
          images[base + w - 1 - x] = t;
        }
      }
    };
  }
}
