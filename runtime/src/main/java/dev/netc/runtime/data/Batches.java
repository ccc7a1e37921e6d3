package dev.netc.runtime.data;

import java.util.SplittableRandom;

/**
 * Mini-batches over a {@link LabelledImages}: a fresh random order each epoch (Fisher-Yates from a seed, so a
 * run is reproducible and a resumed run sees the same order), images copied into the caller's arrays (nothing
 * allocated per batch) and, optionally, augmented on the way. The last batch of an epoch may be smaller.
 */
public final class Batches {
  private final LabelledImages data;
  private final int batchSize;
  private final long seed;
  private final Augmentation augmentation;
  private final int[] order;
  private int epoch = -1;

  /**
   * @param augmentation applied to each image as it is copied, or null for none
   * @param seed fixes every epoch's order and every augmentation's randomness
   */
  public Batches(LabelledImages data, int batchSize, long seed, Augmentation augmentation) {
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    this.data = data;
    this.batchSize = batchSize;
    this.seed = seed;
    this.augmentation = augmentation;
    this.order = new int[data.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
  }

  /** Images per full batch. */
  public int batchSize() {
    return batchSize;
  }

  /** Batches per epoch, the last one possibly partial. */
  public int count() {
    return (data.size() + batchSize - 1) / batchSize;
  }

  /** Shuffles for epoch {@code e} (0-based); the order depends only on the seed and {@code e}. */
  public void startEpoch(int e) {
    for (int i = 0; i < order.length; i++) order[i] = i;
    SplittableRandom r = new SplittableRandom(mix(seed, e, -1));
    for (int i = order.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    epoch = e;
  }

  /**
   * Copies batch {@code b} of the current epoch into {@code images} (channel-major, one image after the other)
   * and {@code labels}, augmenting each image if an augmentation was given.
   *
   * @return the number of images in the batch
   */
  public int fill(int b, float[] images, int[] labels) {
    if (epoch < 0) throw new IllegalStateException("call startEpoch before fill");
    if (b < 0 || b >= count()) throw new IndexOutOfBoundsException("batch " + b + " of " + count());
    int first = b * batchSize;
    int n = Math.min(batchSize, data.size() - first);
    int size = data.shape().size();
    if (images.length < n * size || labels.length < n) {
      throw new IllegalArgumentException("arrays too small for a batch of " + n + ": " + images.length
          + " floats and " + labels.length + " labels");
    }
    SplittableRandom r = augmentation == null ? null : new SplittableRandom(mix(seed, epoch, b));
    for (int i = 0; i < n; i++) {
      int index = order[first + i];
      data.copyImage(index, images, i * size);
      labels[i] = data.labels()[index];
      if (augmentation != null) augmentation.apply(images, i * size, data.shape(), r);
    }
    return n;
  }

  /** A well-spread seed for (seed, epoch, batch) (SplitMix64's finaliser over their combination). */
  private static long mix(long seed, int epoch, int batch) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1) + 0xC2B2AE3D27D4EB4FL * (batch + 2);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
