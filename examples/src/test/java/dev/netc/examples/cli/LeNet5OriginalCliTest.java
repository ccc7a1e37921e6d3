package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code netc summary} and {@code netc bench} on LeNet5Original, through the real catalogue. */
class LeNet5OriginalCliTest {
  private String out;
  private String err;

  private int netc(String... argv) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = Main.run(argv, new ZooCatalog(), new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8), false);
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  @Test
  void summaryTotalsAreThePapersSums() {
    assertEquals(0, netc("summary", "LeNet5Original"), err);
    // 156 + 12 + 1,516 + 32 + 48,120 + 10,164 + 850; multiply-adds: C1 117,600, S2 4,704 (4 per output),
    // C3 150,000 (60 kernels x 25 x 100 positions), S4 1,600, C5 48,000, F6 10,080, output 840
    String text = out.replace(",", "").replaceAll(" +", " "); // the columns' widths are not the point
    assertTrue(text.contains("\n parameters 60850\n"), out);
    assertTrue(text.contains("\n multiply-adds per image 332824\n"), out);
    assertTrue(text.contains("\n kernel launches 7\n"), out);
    assertTrue(text.contains("\nc3/conv conv 16@5x5 table(60) 16x10x10 1516 150000\n"), out);
    assertTrue(text.contains("\ns2/subsample subsample 2x2 s2 6x14x14 12 4704\n"), out);
    assertTrue(text.contains("\n3 c3 conv 16@5x5 table(60) +tanh c3/conv + c3 16x10x10\n"), out);
  }

  @Test
  void benchRunsOnTheJavaBackend() {
    assertEquals(0, netc("bench", "LeNet5Original", "--backend", "java", "--batch", "2", "--warmup", "0.01",
        "--seconds", "0.05", "--threads", "2"), err);
    assertTrue(err.contains("LeNet5Original"), err);
  }
}
