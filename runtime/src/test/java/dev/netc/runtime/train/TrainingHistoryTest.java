package dev.netc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingHistoryTest {
  @TempDir Path dir;

  static TrainingHistory random(Random r, int epochs) {
    TrainingHistory h = new TrainingHistory();
    for (int e = 1; e <= epochs; e++) {
      boolean validated = r.nextInt(4) != 0;
      h.add(new TrainingHistory.Epoch(e, 0.01 * Math.pow(0.1, e / 10), r.nextDouble() * 3, r.nextDouble(),
          validated ? r.nextDouble() * 3 : Double.NaN, validated ? r.nextDouble() : Double.NaN,
          validated ? r.nextDouble() * 0.1 : Double.NaN, r.nextDouble() * 100, 1e-7 + r.nextDouble() * 5000));
    }
    return h;
  }

  @Test
  void jsonRoundTripIsExactNaNIncluded() {
    Random r = new Random();
    for (int trial = 0; trial < 20; trial++) {
      TrainingHistory h = random(r, r.nextInt(30));
      TrainingHistory back = TrainingHistory.fromJson(h.toJson());
      assertEquals(h.epochs(), back.epochs()); // records compare doubles bit for bit, NaN equal to NaN
      assertEquals(h.toJson(), back.toJson());
    }
  }

  @Test
  void malformedJsonIsExplained() {
    assertThrows(IllegalArgumentException.class, () -> TrainingHistory.fromJson("{"));
    assertThrows(IllegalArgumentException.class, () -> TrainingHistory.fromJson("[]"));
    String one = random(new Random(), 1).toJson();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingHistory.fromJson(one.replace("\"train_loss\"", "\"loss\"")));
    assertTrue(e.getMessage().contains("train_loss"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TrainingHistory.fromJson(one.replace("\"epoch\":1", "\"epoch\":1.5")));
    assertTrue(e.getMessage().contains("epoch"), e.getMessage());
  }

  @Test
  void epochsMustIncreaseAndBestErrorSkipsUnmeasured() {
    TrainingHistory h = new TrainingHistory();
    double nan = Double.NaN;
    h.add(new TrainingHistory.Epoch(1, 0.1, 1, 0.5, nan, nan, nan, 1, 1));
    h.add(new TrainingHistory.Epoch(2, 0.1, 1, 0.5, 1, 0.3, 0.1, 1, 1));
    h.add(new TrainingHistory.Epoch(3, 0.1, 1, 0.5, 1, 0.2, 0.1, 1, 1));
    h.add(new TrainingHistory.Epoch(4, 0.1, 1, 0.5, 1, 0.25, 0.1, 1, 1));
    assertEquals(0.2, h.bestValidationError());
    assertThrows(IllegalArgumentException.class, () -> h.add(new TrainingHistory.Epoch(4, 0.1, 1, 0.5, 1, 0.2, 0.1, 1, 1)));
  }

  @Test
  void csvHasAHeaderAndOneRowPerEpoch() throws Exception {
    Random r = new Random();
    TrainingHistory h = random(r, 12);
    Path csv = dir.resolve("history.csv");
    h.writeCsv(csv);
    List<String> lines = Files.readAllLines(csv);
    assertEquals(13, lines.size());
    assertEquals(TrainingHistory.CSV_HEADER, lines.get(0));
    for (int i = 0; i < 12; i++) {
      String[] f = lines.get(i + 1).split(",", -1);
      TrainingHistory.Epoch e = h.epochs().get(i);
      assertEquals(9, f.length);
      assertEquals(e.epoch(), Integer.parseInt(f[0]));
      assertEquals(e.trainLoss(), Double.parseDouble(f[2]));
      assertEquals(e.validationError(), f[5].isEmpty() ? Double.NaN : Double.parseDouble(f[5]));
    }
    try (var s = Files.list(dir)) {
      assertEquals(List.of(csv), s.toList());
    }
  }
}
