package dev.netc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchesTest {
  /** n images of 1x2x3 whose pixels all equal their index, labelled index % 3. */
  static LabelledImages numbered(int n) {
    Shape s = new Shape(1, 2, 3);
    float[] px = new float[n * s.size()];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      Arrays.fill(px, i * s.size(), (i + 1) * s.size(), i);
      y[i] = i % 3;
    }
    return new LabelledImages("numbered", s, px, y, new String[] {"a", "b", "c"});
  }

  @Test
  void anEpochVisitsEveryImageOnceInAShuffledReproducibleOrder() {
    LabelledImages data = numbered(10);
    Batches b = new Batches(data, 4, 42, null);
    assertEquals(3, b.count());
    float[] images = new float[4 * 6];
    int[] labels = new int[4];
    int[] seen = new int[10];
    int[] firstEpoch = new int[10];
    b.startEpoch(0);
    int k = 0;
    for (int i = 0; i < b.count(); i++) {
      int n = b.fill(i, images, labels);
      assertEquals(i < 2 ? 4 : 2, n);
      for (int j = 0; j < n; j++) {
        int index = (int) images[j * 6];
        seen[index]++;
        firstEpoch[k++] = index;
        assertEquals(index % 3, labels[j], "label travels with its image");
        for (int p = 0; p < 6; p++) assertEquals(index, images[j * 6 + p]);
      }
    }
    for (int s : seen) assertEquals(1, s);
    assertFalse(Arrays.equals(firstEpoch, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), "shuffled");

    Batches again = new Batches(data, 4, 42, null);
    again.startEpoch(0);
    again.fill(0, images, labels);
    assertEquals(firstEpoch[0], (int) images[0], "same seed, same order");
    again.startEpoch(1);
    int[] second = new int[4];
    again.fill(0, images, labels);
    for (int j = 0; j < 4; j++) second[j] = (int) images[j * 6];
    assertNotEquals(Arrays.toString(Arrays.copyOf(firstEpoch, 4)), Arrays.toString(second), "another epoch, another order");
  }

  @Test
  void flipsAndCropsMovePixelsAsDescribed() {
    Shape s = new Shape(2, 3, 4);
    float[] img = new float[s.size()];
    for (int i = 0; i < img.length; i++) img[i] = i + 1;
    float[] flipped = img.clone();
    Augmentation flip = Augmentation.horizontalFlip();
    // find a draw that flips, then check rows are mirrored and flipping twice restores
    SplittableRandom r = new SplittableRandom(3);
    while (Arrays.equals(flipped, img)) flip.apply(flipped, 0, s, r);
    assertEquals(img[3], flipped[0]);
    assertEquals(img[0], flipped[3]);
    assertEquals(img[12 + 4 + 1], flipped[12 + 4 + 2]);
    float[] back = flipped.clone();
    while (Arrays.equals(back, flipped)) flip.apply(back, 0, s, r);
    assertArrayEquals(img, back);

    Augmentation crop = Augmentation.randomCrop(1);
    boolean shifted = false;
    for (int t = 0; t < 50; t++) {
      float[] c = img.clone();
      crop.apply(c, 0, s, r);
      // every value is zero or one of the original values of the same channel, moved by at most one pixel
      for (int ch = 0; ch < 2; ch++) {
        for (int y = 0; y < 3; y++) {
          for (int x = 0; x < 4; x++) {
            float v = c[ch * 12 + y * 4 + x];
            if (v == 0) continue;
            int src = (int) v - 1 - ch * 12;
            assertTrue(src >= 0 && src < 12, "stays in its channel");
            assertTrue(Math.abs(src / 4 - y) <= 1 && Math.abs(src % 4 - x) <= 1, "moves at most one pixel");
          }
        }
      }
      shifted |= !Arrays.equals(c, img);
    }
    assertTrue(shifted);
  }

  @Test
  void pcaColourNoiseFollowsThePrincipalComponents() {
    // pixels whose colours vary only along (1, 1, 0)/sqrt 2: one non-zero eigenvalue, noise only along it
    Shape s = new Shape(3, 2, 2);
    int n = 50;
    float[] px = new float[n * s.size()];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < 4; p++) {
        float t = (float) r.nextDouble();
        px[i * 12 + p] = t;
        px[i * 12 + 4 + p] = t;
        px[i * 12 + 8 + p] = 0.5f;
      }
    }
    PcaColourNoise noise = PcaColourNoise.fit(new LabelledImages("line", s, px, new int[n], new String[] {"x"}), 0.1);
    double[] ev = noise.eigenvalues();
    assertTrue(ev[0] > 0.1, "variance along (1,1,0): " + ev[0]);
    assertEquals(0, ev[1], 1e-9);
    assertEquals(0, ev[2], 1e-9);
    float[] img = new float[12];
    noise.apply(img, 0, s, r);
    assertEquals(img[0], img[4], 1e-6, "red and green move together");
    assertEquals(0, img[8], 1e-6, "blue does not move");
    assertNotEquals(0f, img[0]);
  }

  @Test
  void symmetricEigenDecomposition() {
    double[][] m = {{4, 1, 2}, {1, 3, 0.5}, {2, 0.5, 6}};
    double[][] v = new double[3][3];
    double[] values = Symmetric3.eigen(m, v);
    assertTrue(values[0] >= values[1] && values[1] >= values[2]);
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < 3; i++) {
        double mv = 0;
        for (int j = 0; j < 3; j++) mv += m[i][j] * v[k][j];
        assertEquals(values[k] * v[k][i], mv, 1e-9, "M v = lambda v");
      }
    }
    assertEquals(13, values[0] + values[1] + values[2], 1e-9, "trace");
  }
}
