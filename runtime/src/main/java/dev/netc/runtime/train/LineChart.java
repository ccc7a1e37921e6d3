package dev.netc.runtime.train;

import dev.netc.runtime.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A line chart written as PNG: training and validation loss or error against epochs, or the training error of
 * two runs against iterations (the paper's ReLU-against-tanh figure).
 *
 * <pre>{@code
 * new LineChart("Fashion-MNIST, LeNet-5", "epoch", "top-1 error")
 *     .series("training", epochs, trainError)
 *     .series("validation", epochs, validationError)
 *     .write(Path.of("error.png"));
 * }</pre>
 *
 * <p>Series keep the order they were first named in, each in its own colour ({@link #colour}); points are
 * joined in the order given. NaN and infinite values are skipped (the line joins the neighbouring points), so an
 * epoch without a validation pass needs no special case; an empty chart still renders, with its axes and a
 * "no data" note. Series of at most 60 points also get a dot per point.
 *
 * <p>Drawn off screen (a {@link BufferedImage}), so no display is needed; {@code java.awt.headless} is set to
 * true unless the application chose otherwise.
 */
public final class LineChart {
  public static final int DEFAULT_WIDTH = 800;
  public static final int DEFAULT_HEIGHT = 500;

  static {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  // Tableau 10: distinct for most colour-blind readers, and in grey scale.
  private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
      new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
      new Color(0x9C755F), new Color(0xBAB0AC)};
  private static final int MARKER_LIMIT = 60;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final Map<String, List<double[]>> series = new LinkedHashMap<>();
  private int width = DEFAULT_WIDTH;
  private int height = DEFAULT_HEIGHT;

  public LineChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** The colour of the {@code index}-th series (the palette repeats after 10). */
  public static Color colour(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** Another image size than 800 x 500. */
  public LineChart size(int w, int h) {
    if (w < 200 || h < 150) throw new IllegalArgumentException("a chart needs at least 200 x 150 pixels, got " + w + " x " + h);
    width = w;
    height = h;
    return this;
  }

  /** Adds one point to a series, creating the series on first use. */
  public LineChart add(String name, double x, double y) {
    series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {x, y});
    return this;
  }

  /** Adds points {@code (x[i], y[i])} to a series (an empty one is listed in the legend with no line). */
  public LineChart series(String name, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("series " + name + " has " + x.length + " x values but " + y.length + " y values");
    }
    List<double[]> points = series.computeIfAbsent(name, k -> new ArrayList<>());
    for (int i = 0; i < x.length; i++) points.add(new double[] {x[i], y[i]});
    return this;
  }

  /** Writes the chart as PNG, atomically (a reader never sees half an image). */
  public void write(Path png) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(render(), "png", bytes)) throw new IOException("no PNG writer in this JDK");
      AtomicFiles.write(png, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write chart " + png.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** The chart as an image. */
  public BufferedImage render() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      draw(g);
    } finally {
      g.dispose();
    }
    return image;
  }

  private void draw(Graphics2D g) {
    double[] range = dataRange();
    Ticks xt = Ticks.of(range[0], range[1], 8);
    Ticks yt = Ticks.of(range[2], range[3], 6);
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    Font heading = new Font(Font.SANS_SERIF, Font.BOLD, 16);

    g.setFont(small);
    FontMetrics fm = g.getFontMetrics();
    int yTickWidth = 0;
    for (double v : yt.values()) yTickWidth = Math.max(yTickWidth, fm.stringWidth(yt.label(v)));
    int left = 20 + g.getFontMetrics(label).getHeight() + yTickWidth + 8;
    int top = 20 + g.getFontMetrics(heading).getHeight();
    int right = width - 35; // room for half of the last x tick label
    int bottom = height - (15 + g.getFontMetrics(label).getHeight() + fm.getHeight() + 8);
    Plot p = new Plot(left, top, right, bottom, xt, yt);

    // Grid and tick labels.
    g.setStroke(new BasicStroke(1f));
    for (double v : xt.values()) {
      int x = (int) Math.round(p.x(v));
      g.setColor(new Color(0xE6E6E6));
      g.drawLine(x, top, x, bottom);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(x, bottom, x, bottom + 4);
      String s = xt.label(v);
      g.drawString(s, x - fm.stringWidth(s) / 2, bottom + 6 + fm.getAscent());
    }
    for (double v : yt.values()) {
      int y = (int) Math.round(p.y(v));
      g.setColor(new Color(0xE6E6E6));
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(left - 4, y, left, y);
      String s = yt.label(v);
      g.drawString(s, left - 6 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(left, top, right - left, bottom - top);

    // Title and axis labels.
    g.setColor(Color.BLACK);
    centred(g, heading, title, (left + right) / 2, 15 + g.getFontMetrics(heading).getAscent());
    centred(g, label, xLabel, (left + right) / 2, height - 12);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    centred(g, label, yLabel, -(top + bottom) / 2, 15 + g.getFontMetrics(label).getAscent());
    g.setTransform(saved);

    boolean any = false;
    g.setClip(left, top, right - left + 1, bottom - top + 1);
    int i = 0;
    for (List<double[]> points : series.values()) any |= drawSeries(g, p, points, colour(i++));
    g.setClip(null);
    if (!any) {
      g.setColor(Color.GRAY);
      centred(g, label, "no data", (left + right) / 2, (top + bottom) / 2);
    }
    legend(g, small, right, top);
  }

  /** Draws one series; false when it had no finite point. */
  private static boolean drawSeries(Graphics2D g, Plot p, List<double[]> points, Color c) {
    Path2D.Double line = new Path2D.Double();
    int n = 0;
    for (double[] pt : points) {
      if (!Double.isFinite(pt[0]) || !Double.isFinite(pt[1])) continue;
      if (n++ == 0) line.moveTo(p.x(pt[0]), p.y(pt[1]));
      else line.lineTo(p.x(pt[0]), p.y(pt[1]));
    }
    if (n == 0) return false;
    g.setColor(c);
    g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(line);
    if (n <= MARKER_LIMIT) {
      for (double[] pt : points) {
        if (Double.isFinite(pt[0]) && Double.isFinite(pt[1])) {
          g.fill(new Ellipse2D.Double(p.x(pt[0]) - 3.5, p.y(pt[1]) - 3.5, 7, 7));
        }
      }
    }
    return true;
  }

  private void legend(Graphics2D g, Font font, int right, int top) {
    if (series.isEmpty()) return;
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    int textWidth = 0;
    for (String name : series.keySet()) textWidth = Math.max(textWidth, fm.stringWidth(name));
    int rowHeight = fm.getHeight() + 4;
    int w = 10 + 24 + 8 + textWidth + 10;
    int h = 8 + rowHeight * series.size() + 4;
    int x = right - w - 10;
    int y = top + 10;
    g.setColor(new Color(255, 255, 255, 230));
    g.fillRect(x, y, w, h);
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y, w, h);
    int i = 0;
    for (String name : series.keySet()) {
      int rowY = y + 8 + i * rowHeight;
      g.setColor(colour(i++));
      g.fillRect(x + 10, rowY + rowHeight / 2 - 3, 24, 5);
      g.setColor(Color.BLACK);
      g.drawString(name, x + 10 + 24 + 8, rowY + fm.getAscent());
    }
  }

  private static void centred(Graphics2D g, Font font, String text, int cx, int baseline) {
    g.setFont(font);
    g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }

  /** min x, max x, min y, max y over the finite points; NaN when there are none. */
  private double[] dataRange() {
    double[] r = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    for (List<double[]> points : series.values()) {
      for (double[] pt : points) {
        if (!Double.isFinite(pt[0]) || !Double.isFinite(pt[1])) continue;
        r[0] = Double.isNaN(r[0]) ? pt[0] : Math.min(r[0], pt[0]);
        r[1] = Double.isNaN(r[1]) ? pt[0] : Math.max(r[1], pt[0]);
        r[2] = Double.isNaN(r[2]) ? pt[1] : Math.min(r[2], pt[1]);
        r[3] = Double.isNaN(r[3]) ? pt[1] : Math.max(r[3], pt[1]);
      }
    }
    return r;
  }

  /** Data to pixel coordinates inside the plot area. */
  private record Plot(int left, int top, int right, int bottom, Ticks xt, Ticks yt) {
    double x(double v) {
      return left + (v - xt.low) / (xt.high - xt.low) * (right - left);
    }

    double y(double v) {
      return bottom - (v - yt.low) / (yt.high - yt.low) * (bottom - top);
    }
  }
}
