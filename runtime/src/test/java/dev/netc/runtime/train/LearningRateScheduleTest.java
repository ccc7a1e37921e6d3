package dev.netc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void constantNeverChanges() {
    LearningRateSchedule s = LearningRateSchedule.parse("constant");
    Random r = new Random(1);
    for (int e = 1; e <= 20; e++) assertEquals(0.01, s.afterEpoch(e, 0.01, r.nextDouble()));
    assertEquals("", s.state());
  }

  @Test
  void stepMultipliesEveryNEpochs() {
    Random r = new Random(2);
    for (int trial = 0; trial < 20; trial++) {
      int every = 1 + r.nextInt(7);
      double factor = 0.05 + 0.9 * r.nextDouble();
      LearningRateSchedule s = LearningRateSchedule.parse("step:" + every + ":" + factor);
      double rate = 0.1;
      for (int epoch = 1; epoch <= 40; epoch++) {
        // rate used by epoch e is 0.1 * factor^floor((e - 1) / every)
        assertEquals(0.1 * Math.pow(factor, (epoch - 1) / every), rate, 1e-12, "epoch " + epoch);
        rate = s.afterEpoch(epoch, rate, r.nextDouble());
      }
    }
  }

  @Test
  void plateauDividesByTenAfterPatienceEpochsWithoutImprovement() {
    LearningRateSchedule s = LearningRateSchedule.parse("plateau");
    double rate = 0.01;
    rate = s.afterEpoch(1, rate, 0.50);
    rate = s.afterEpoch(2, rate, 0.40);
    rate = s.afterEpoch(3, rate, 0.40); // one epoch without improvement
    assertEquals(0.01, rate);
    rate = s.afterEpoch(4, rate, 0.3995); // better by less than the 0.001 min-delta: still no improvement
    assertEquals(0.001, rate, 1e-15);
    rate = s.afterEpoch(5, rate, 0.30); // improves: the count starts again
    rate = s.afterEpoch(6, rate, 0.31);
    assertEquals(0.001, rate, 1e-15);
    rate = s.afterEpoch(7, rate, Double.NaN); // unmeasured counts as no improvement
    assertEquals(0.0001, rate, 1e-15);
  }

  @Test
  void plateauReducesAtMostMaxTimes() {
    PlateauSchedule s = PlateauSchedule.paper();
    double rate = 0.01;
    int[] reducedAt = new int[3];
    int n = 0;
    for (int epoch = 1; epoch <= 30; epoch++) {
      double next = s.afterEpoch(epoch, rate, 0.25);
      if (next != rate) reducedAt[n++] = epoch;
      rate = next;
    }
    assertEquals(3, n);
    assertEquals(3, reducedAt[0]);
    assertEquals(5, reducedAt[1]);
    assertEquals(7, reducedAt[2]);
    assertEquals(1e-5, rate, 1e-18);
    assertTrue(s.exhausted());
  }

  @Test
  void aRestoredScheduleContinuesAsTheUninterruptedOne() {
    Random r = new Random(3);
    for (int trial = 0; trial < 50; trial++) {
      double[] errors = new double[40];
      double e = 0.9;
      for (int i = 0; i < errors.length; i++) {
        e = Math.max(0, e - (r.nextDouble() - 0.3) * 0.02); // mostly falling, with plateaus and rises
        errors[i] = r.nextInt(20) == 0 ? Double.NaN : e;
      }
      String spec = "plateau:" + (1 + r.nextInt(3)) + ":0.5:" + r.nextInt(5);
      LearningRateSchedule whole = LearningRateSchedule.parse(spec);
      double[] expected = new double[errors.length];
      double rate = 0.1;
      for (int i = 0; i < errors.length; i++) expected[i] = rate = whole.afterEpoch(i + 1, rate, errors[i]);

      int cut = 1 + r.nextInt(errors.length - 1);
      LearningRateSchedule first = LearningRateSchedule.parse(spec);
      rate = 0.1;
      for (int i = 0; i < cut; i++) rate = first.afterEpoch(i + 1, rate, errors[i]);
      LearningRateSchedule resumed = LearningRateSchedule.parse(spec);
      resumed.restore(first.state());
      for (int i = cut; i < errors.length; i++) {
        rate = resumed.afterEpoch(i + 1, rate, errors[i]);
        assertEquals(expected[i], rate, 0, spec + " cut at " + cut + ", epoch " + (i + 1));
      }
    }
  }

  @Test
  void parsesEveryForm() {
    assertInstanceOf(ConstantSchedule.class, LearningRateSchedule.parse("constant"));
    assertEquals("step: x0.1 every 10 epochs", LearningRateSchedule.parse("step:10:0.1").describe());
    assertEquals("plateau: x0.1 after 2 epochs without validation improvement > 0.001, at most 3 times (0 done)",
        LearningRateSchedule.parse("plateau").describe());
    assertTrue(LearningRateSchedule.parse("plateau:5").describe().startsWith("plateau: x0.1 after 5 epochs"));
    assertTrue(LearningRateSchedule.parse("plateau:4:0.5:2").describe().contains("x0.5 after 4 epochs"));
    assertTrue(LearningRateSchedule.parse("plateau:4:0.5:2").describe().contains("at most 2 times"));
  }

  @Test
  void badStringsAreQuotedWithTheAcceptedForms() {
    for (String bad : new String[] {"", "cosine", "step", "step:10", "step:x:0.1", "step:0:0.1", "step:10:-1",
        "plateau:2:0.1", "plateau:0", "plateau:2:1.5:3", "plateau:2:0.1:-1", "constant:1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LearningRateSchedule.parse(bad), bad);
      assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
      assertTrue(e.getMessage().contains(LearningRateSchedule.FORMS), e.getMessage());
    }
  }

  @Test
  void aStateOfAnotherKindIsRefused() {
    LearningRateSchedule p = LearningRateSchedule.parse("plateau");
    assertThrows(IllegalArgumentException.class, () -> p.restore(""));
    assertThrows(IllegalArgumentException.class, () -> p.restore("best=x,bad=1,reductions=0"));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant().restore(p.state()));
    assertThrows(IllegalArgumentException.class, () -> new StepSchedule(2, 0.1).restore(p.state()));
  }
}
