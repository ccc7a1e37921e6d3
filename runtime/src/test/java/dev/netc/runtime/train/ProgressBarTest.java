package dev.netc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L); // any origin: only differences count

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  @Test
  void theLineShowsProgressSpeedLossErrorAndEta() {
    ProgressBar bar = new ProgressBar(out, "epoch 3/20", 60_000, true, nanos::get);
    advanceMillis(14_579);
    bar.update(31_200, 0.34123, 0.1234);
    assertEquals("\repoch 3/20 [==========>         ] 31,200/60,000  2,140 img/s  loss 0.3412  err 12.3%  ETA 0:13",
        printed());
  }

  @Test
  void aTerminalIsRedrawnInPlaceAtMostEvery200Ms() {
    Random r = new Random();
    ProgressBar bar = new ProgressBar(out, "epoch 1/1", 1_000_000, true, nanos::get);
    long done = 0;
    long elapsedMs = 0;
    long lastDrawMs = Long.MIN_VALUE;
    int expectedDraws = 0;
    for (int i = 0; i < 500; i++) {
      long step = r.nextInt(120);
      advanceMillis(step);
      elapsedMs += step;
      done += r.nextInt(2000);
      bar.update(done, r.nextDouble(), r.nextDouble());
      if (lastDrawMs == Long.MIN_VALUE || elapsedMs - lastDrawMs >= 200) {
        expectedDraws++;
        lastDrawMs = elapsedMs;
      }
    }
    String s = printed();
    assertEquals(expectedDraws, s.chars().filter(c -> c == '\r').count());
    assertTrue(expectedDraws <= 1 + elapsedMs / 200);
    assertFalse(s.contains("\n"), "nothing ends the line before finish");
    bar.finish("epoch 1: loss 0.3 err 10.0%");
    String[] lines = printed().split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].substring(lines[0].lastIndexOf('\r') + 1).contains(String.format(java.util.Locale.ROOT, "%,d", done)),
        "finish draws the last values reported");
    assertEquals("epoch 1: loss 0.3 err 10.0%", lines[1]);
  }

  @Test
  void aShorterLineClearsTheRestOfTheLongerOne() {
    ProgressBar bar = new ProgressBar(out, "e", 100, true, nanos::get);
    advanceMillis(1000);
    bar.update(50, 12345.6789, 0.5);
    int first = printed().length();
    advanceMillis(1000);
    bar.update(60, 0.1, 0.5);
    String second = printed().substring(first);
    assertEquals(first, second.length(), "the second draw covers all of the first");
  }

  @Test
  void aLogGetsOneFullLinePerTenPercent() {
    Random r = new Random();
    int total = 60_000;
    ProgressBar bar = new ProgressBar(out, "epoch 2/5", total, false, nanos::get);
    int done = 0;
    while (done < total) {
      done = Math.min(total, done + 1 + r.nextInt(700));
      advanceMillis(r.nextInt(50));
      bar.update(done, 0.5, 0.2);
    }
    bar.finish("done");
    String s = printed();
    assertFalse(s.contains("\r"));
    String[] lines = s.split("\n");
    assertEquals(11, lines.length, s);
    for (int i = 0; i < 10; i++) {
      int shownDone = Integer.parseInt(lines[i].replaceAll(".*\\] ([0-9,]+)/.*", "$1").replace(",", ""));
      assertTrue(shownDone * 10L / total == i + 1, "line " + i + " at " + shownDone + ": " + lines[i]);
    }
    assertEquals("done", lines[10]);
  }

  @Test
  void etaFormatAndMisuse() {
    assertEquals("0:13", ProgressBar.duration(13.4));
    assertEquals("2:05", ProgressBar.duration(125));
    assertEquals("1:00:01", ProgressBar.duration(3601));
    ProgressBar bar = new ProgressBar(out, "x", 10, false, nanos::get);
    assertTrue(bar.line(0, 1, 1, 0).endsWith("ETA -:--"), "no speed yet, no ETA");
    assertTrue(bar.line(0, 1, 1, 0).contains("[>                   ]"));
    assertTrue(bar.line(10, 1, 1, 1).contains("[====================]"));
    bar.finish("s");
    assertThrows(IllegalStateException.class, () -> bar.update(1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ProgressBar(out, "x", 0, false));
  }
}
