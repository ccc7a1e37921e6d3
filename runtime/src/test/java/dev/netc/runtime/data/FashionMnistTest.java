package dev.netc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The real data set, as Debian's dataset-fashion-mnist installs it (CI installs it; elsewhere the test skips and
 * says so). Checks the facts its authors publish: 60,000 + 10,000 images, balanced classes.
 */
class FashionMnistTest {
  @Test
  void theInstalledDataSetHasThePublishedShape() {
    FashionMnistTests.assumeInstalled();
    LabelledImages train = FashionMnist.load(FashionMnist.Split.TRAIN);
    LabelledImages test = FashionMnist.load(FashionMnist.Split.TEST);
    assertEquals(60_000, train.size());
    assertEquals(10_000, test.size());
    for (LabelledImages set : new LabelledImages[] {train, test}) {
      int[] perClass = new int[10];
      for (int y : set.labels()) perClass[y]++;
      for (int c = 0; c < 10; c++) assertEquals(set.size() / 10, perClass[c], set.name() + " class " + c);
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      double sum = 0;
      for (float p : set.pixels()) {
        min = Math.min(min, p);
        max = Math.max(max, p);
        sum += p;
      }
      assertEquals(0f, min);
      assertEquals(1f, max);
      double mean = sum / set.pixels().length;
      assertTrue(mean > 0.25 && mean < 0.35, set.name() + " mean pixel " + mean); // published: 0.286
    }
  }
}
