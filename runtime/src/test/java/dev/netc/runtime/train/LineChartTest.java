package dev.netc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
  @TempDir Path dir;

  private static int count(BufferedImage image, Color c) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) n++;
      }
    }
    return n;
  }

  private static LineChart lossChart(Random r, int epochs) {
    double[] x = new double[epochs];
    double[] train = new double[epochs];
    double[] val = new double[epochs];
    for (int i = 0; i < epochs; i++) {
      x[i] = i + 1;
      train[i] = 2.3 * Math.exp(-0.2 * i) + 0.05 * r.nextDouble();
      val[i] = 2.3 * Math.exp(-0.15 * i) + 0.1 * r.nextDouble();
    }
    return new LineChart("LeNet-5 on Fashion-MNIST", "epoch", "loss").series("training", x, train)
        .series("validation", x, val);
  }

  @Test
  void writesAValidPngOfTheDefaultSizeAtomically() throws Exception {
    Path png = dir.resolve("loss.png");
    lossChart(new Random(), 20).write(png);
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, Arrays.copyOf(bytes, 8));
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image);
    assertEquals(800, image.getWidth());
    assertEquals(500, image.getHeight());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(png), s.toList(), "no temporary file is left");
    }
  }

  @Test
  void eachSeriesIsDrawnInItsOwnColour() {
    Random r = new Random();
    BufferedImage drawn = lossChart(r, 30).render();
    // The same legend without lines: what the legend alone contributes of each colour.
    BufferedImage legendOnly = new LineChart("t", "x", "y").series("training", new double[0], new double[0])
        .series("validation", new double[0], new double[0]).render();
    for (int i = 0; i < 2; i++) {
      int lines = count(drawn, LineChart.colour(i));
      int legend = count(legendOnly, LineChart.colour(i));
      assertTrue(legend > 0, "the legend shows series " + i);
      assertTrue(lines > legend + 200, "series " + i + ": " + lines + " pixels of its colour, legend " + legend);
    }
    assertEquals(0, count(drawn, LineChart.colour(2)), "no third series");
  }

  @Test
  void nanAndEmptySeriesAreSkippedWithoutErrors() throws Exception {
    double nan = Double.NaN;
    LineChart c = new LineChart("relu vs tanh", "iteration", "training error")
        .series("relu", new double[] {0, 100, 200, 300}, new double[] {0.9, nan, 0.5, Double.POSITIVE_INFINITY})
        .series("tanh", new double[0], new double[0])
        .add("constant", 150, 0.7);
    BufferedImage image = c.size(640, 400).render();
    assertEquals(640, image.getWidth());
    assertTrue(count(image, LineChart.colour(0)) > count(image, LineChart.colour(1)));

    Path png = dir.resolve("empty.png");
    new LineChart("nothing yet", "epoch", "loss").write(png);
    new LineChart("all NaN", "epoch", "loss").series("a", new double[] {1, 2}, new double[] {nan, nan}).write(png);
    assertEquals(800, ImageIO.read(png.toFile()).getWidth());
  }

  @Test
  void wideRangesAndManyPointsRender() {
    LineChart c = new LineChart("iterations", "iteration", "error");
    Random r = new Random();
    for (int i = 0; i < 5000; i++) c.add("run", i * 47, r.nextDouble() * 1e-3);
    c.add("flat", 0, 5e-4).add("flat", 200_000, 5e-4);
    BufferedImage image = c.render();
    assertTrue(count(image, LineChart.colour(0)) > 1000);
  }

  @Test
  void badArgumentsAndUnwritableTargetsAreReported() {
    LineChart c = new LineChart("t", "x", "y");
    assertThrows(IllegalArgumentException.class, () -> c.series("a", new double[2], new double[3]));
    assertThrows(IllegalArgumentException.class, () -> c.size(10, 10));
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> c.write(dir.resolve("missing/dir/chart.png")));
    assertTrue(e.getMessage().contains("chart.png"), e.getMessage());
  }

  @Test
  void ticksAreNiceAndLabelledReadably() {
    Ticks t = Ticks.of(0.013, 0.87, 6);
    assertEquals(0.2, t.step, 1e-12);
    assertEquals("0.0", t.label(t.values()[0]));
    assertEquals("1.0", t.label(t.values()[t.values().length - 1]));
    Ticks big = Ticks.of(0, 234_000, 8);
    assertEquals("50,000", big.label(50_000));
    Ticks quarter = Ticks.of(0, 1.1, 6);
    assertTrue(quarter.values().length >= 4 && quarter.values().length <= 8);
    Ticks flat = Ticks.of(3, 3, 6);
    assertTrue(flat.low < 3 && flat.high > 3);
    Ticks none = Ticks.of(Double.NaN, Double.NaN, 6);
    assertEquals(0, none.low);
  }
}
