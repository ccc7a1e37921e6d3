package dev.netc.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Micro#relu} is bit for bit the expression it replaces, {@code v > 0 ? v : 0}. */
class MicroTest {
  @Test
  void reluMatchesTheComparisonOnSpecialValues() {
    float[] special = {0f, -0f, Float.NaN, Float.intBitsToFloat(0xFFC00000), Float.intBitsToFloat(0x7F800001),
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f, -3.25f};
    for (float v : special) assertSame(v);
  }

  @Test
  void reluMatchesTheComparisonOnRandomBitPatterns() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1_000_000; i++) assertSame(Float.intBitsToFloat(random.nextInt()));
  }

  private static void assertSame(float v) {
    float expected = v > 0f ? v : 0f;
    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(Micro.relu(v)),
        "relu of " + v + " (bits " + Integer.toHexString(Float.floatToRawIntBits(v)) + ")");
  }
}
