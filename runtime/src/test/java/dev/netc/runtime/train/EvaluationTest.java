package dev.netc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.data.FashionMnist;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  /** The classes of a row best first: by descending score, then ascending index (the documented tie rule). */
  private static List<Integer> order(float[] s, int off, int classes) {
    List<Integer> idx = new ArrayList<>();
    for (int j = 0; j < classes; j++) idx.add(j);
    idx.sort(Comparator.<Integer>comparingDouble(j -> -s[off + j]).thenComparingInt(j -> j));
    return idx;
  }

  @Test
  void topKAgreesWithSortingAndBreaksTiesByLowerIndex() {
    Random r = new Random();
    for (int trial = 0; trial < 2000; trial++) {
      int classes = 1 + r.nextInt(12);
      float[] s = new float[classes + 3];
      int off = r.nextInt(4);
      for (int j = 0; j < classes; j++) s[off + j] = r.nextInt(4) / 4f; // many ties
      List<Integer> order = order(s, off, classes);
      assertEquals(order.get(0), TopK.argmax(s, off, classes));
      int label = r.nextInt(classes);
      assertEquals(order.indexOf(label), TopK.rank(s, off, classes, label));
      int k = 1 + r.nextInt(6);
      assertEquals(order.indexOf(label) < k, TopK.inTopK(s, off, classes, label, k));
    }
    float[] tie = {0.5f, 0.5f, 0f};
    assertEquals(0, TopK.argmax(tie, 0, 3));
    assertEquals(1, TopK.rank(tie, 0, 3, 1));
    float[] nan = {Float.NaN, 0.1f, Float.NaN};
    assertEquals(1, TopK.argmax(nan, 0, 3));
    assertEquals(1, TopK.rank(nan, 0, 3, 0), "a NaN score ranks below every number");
    assertEquals(2, TopK.rank(nan, 0, 3, 2), "NaNs tie: the lower index first");
    assertEquals(0, TopK.argmax(new float[] {Float.NaN, Float.NaN}, 0, 2));
  }

  @Test
  void errorsAndLossMatchADirectComputationOverRandomBatches() {
    Random r = new Random();
    for (int classes : new int[] {3, 10, 17}) {
      int n = 500;
      float[] p = new float[n * classes];
      int[] labels = new int[n];
      double top1 = 0, top5 = 0, loss = 0;
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < classes; j++) sum += p[i * classes + j] = (float) Math.exp(3 * r.nextGaussian());
        for (int j = 0; j < classes; j++) p[i * classes + j] /= sum;
        labels[i] = r.nextInt(classes);
        List<Integer> order = order(p, i * classes, classes);
        if (order.get(0) != labels[i]) top1++;
        if (order.indexOf(labels[i]) >= 5) top5++;
        loss -= Math.log(p[i * classes + labels[i]]);
      }
      Evaluation e = new Evaluation(classes);
      // Fed in uneven batches through a reused, longer buffer, as a trainer does.
      float[] buffer = new float[64 * classes + 5];
      int[] labelBuffer = new int[64];
      for (int start = 0; start < n; ) {
        int b = Math.min(n - start, 1 + r.nextInt(64));
        System.arraycopy(p, start * classes, buffer, 0, b * classes);
        System.arraycopy(labels, start, labelBuffer, 0, b);
        e.add(buffer, b, labelBuffer);
        start += b;
      }
      assertEquals(n, e.count());
      assertEquals(top1 / n, e.top1Error(), 1e-12, classes + " classes");
      assertEquals(top5 / n, e.top5Error(), 1e-12, classes + " classes");
      assertEquals(loss / n, e.meanLoss(), 1e-9, classes + " classes");
      assertEquals(e.top1Error(), e.confusion().top1Error(), 1e-12);
      if (classes <= 5) assertEquals(0, e.top5Error());
    }
  }

  @Test
  void aZeroProbabilityGivesAFiniteLossAndEmptyEvaluationsAreNaN() {
    Evaluation e = new Evaluation(2);
    assertTrue(Double.isNaN(e.top1Error()) && Double.isNaN(e.top5Error()) && Double.isNaN(e.meanLoss()));
    e.add(new float[] {1f, 0f}, 1, new int[] {1});
    assertEquals(-Math.log(Float.MIN_VALUE), e.meanLoss(), 1e-9);
    assertEquals(1.0, e.top1Error());
    assertThrows(IllegalArgumentException.class, () -> e.add(new float[3], 2, new int[2]));
    assertThrows(IllegalArgumentException.class, () -> e.add(new float[2], 1, new int[] {2}));
  }

  @Test
  void confusionMatrixCountsAndPerClassAccuracy() {
    Random r = new Random();
    int classes = 1 + r.nextInt(9);
    ConfusionMatrix m = new ConfusionMatrix(classes);
    long[][] expected = new long[classes][classes];
    for (int i = 0; i < 1000; i++) {
      int label = r.nextInt(classes);
      int predicted = r.nextInt(3) == 0 ? r.nextInt(classes) : label;
      m.add(label, predicted);
      expected[label][predicted]++;
    }
    long correct = 0;
    for (int t = 0; t < classes; t++) {
      long support = 0;
      for (int p = 0; p < classes; p++) {
        assertEquals(expected[t][p], m.count(t, p));
        support += expected[t][p];
      }
      correct += expected[t][t];
      assertEquals(support == 0 ? Double.NaN : (double) expected[t][t] / support, m.classAccuracy(t), 1e-12);
    }
    assertEquals(1000, m.total());
    assertEquals(1 - correct / 1000.0, m.top1Error(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> m.add(classes, 0));
    assertThrows(IllegalArgumentException.class, () -> m.add(0, -1));
  }

  @Test
  void formatIsAnAlignedTableWithAbbreviatedNames() {
    ConfusionMatrix m = new ConfusionMatrix(List.of(FashionMnist.CLASSES));
    Random r = new Random();
    for (int i = 0; i < 10_000; i++) {
      int label = r.nextInt(10);
      m.add(label, r.nextInt(5) == 0 ? r.nextInt(10) : label);
    }
    String text = m.format();
    String[] lines = text.split("\n");
    assertEquals(12, lines.length, text);
    for (int i = 1; i <= 10; i++) {
      assertEquals(lines[0].length(), lines[i].length(), "row " + i + " is aligned:\n" + text);
      assertTrue(lines[i].startsWith(FashionMnist.CLASSES[i - 1]), text);
    }
    assertTrue(lines[0].contains("T-shi") && lines[0].contains("Ankle") && lines[0].contains("Sneak"), text);
    assertTrue(lines[11].startsWith("top-1 error"), text);
    // Truncated names that collide fall back to class indices.
    ConfusionMatrix same = new ConfusionMatrix(List.of("category one", "category two"));
    same.add(0, 1);
    String header = same.format().split("\n")[0];
    assertTrue(header.matches("true \\\\ predicted +0 +1 +accuracy"), header);
  }
}
