package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopKTest {

  private static List<Integer> indices(List<TopK.Entry> entries) {
    return entries.stream().map(TopK.Entry::index).toList();
  }

  @Test
  void bestFirst() {
    float[] s = {0.1f, 0.5f, 0.2f, 0.9f, 0.0f};
    assertEquals(List.of(3, 1, 2), indices(TopK.of(s, 0, 5, 3)));
    assertEquals(0.9f, TopK.of(s, 0, 5, 1).get(0).score());
  }

  @Test
  void kLargerThanClassesGivesAll() {
    assertEquals(List.of(1, 0), indices(TopK.of(new float[] {1, 2}, 0, 2, 5)));
  }

  @Test
  void tiesKeepTheLowerIndexFirst() {
    assertEquals(List.of(1, 3, 0), indices(TopK.of(new float[] {0.2f, 0.4f, 0.1f, 0.4f}, 0, 4, 3)));
  }

  @Test
  void nanRanksLast() {
    assertEquals(List.of(1, 2, 0), indices(TopK.of(new float[] {Float.NaN, 1, -5}, 0, 3, 3)));
  }

  @Test
  void negativeScoresAndOffsets() {
    float[] batch = {1, 2, 3, -3, -1, -2};
    assertEquals(List.of(1, 2), indices(TopK.of(batch, 3, 3, 2)));
  }

  @Test
  void kMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> TopK.of(new float[1], 0, 1, 0));
  }

  @Test
  void formatsEachImage() {
    float[] out = {0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f};
    assertEquals(String.join("\n",
        "image 0",
        "  rank  class     score",
        "  ----  -----  --------",
        "     1      1  0.700000",
        "     2      2  0.200000",
        "",
        "image 1",
        "  rank  class     score",
        "  ----  -----  --------",
        "     1      0  0.600000",
        "     2      1  0.300000",
        ""), TopK.format(out, 2, 3, 2));
  }
}
