package dev.netc.runtime.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link OpenClLeakTest} in a child JVM with a fixed, pre-touched heap, so that resident memory can
 * only grow outside the Java heap: creates and closes models and prints
 * {@code rss-warm=<bytes> rss-end=<bytes> live=<objects>}.
 *
 * <p>Arguments: cache directory, warm-up cycles, measured cycles.
 */
public final class LeakProbe {
  private LeakProbe() {}

  public static void main(String[] args) throws IOException {
    Path cacheDir = Path.of(args[0]);
    int warm = Integer.parseInt(args[1]);
    int measured = Integer.parseInt(args[2]);
    ClDevice device = OpenCl.select();
    float[] in = TestModels.ramp(24, 1f);
    long rssWarm = 0;
    for (int i = 0; i < warm + measured; i++) {
      if (i == warm) rssWarm = rss();
      TestModels.Affine m = new TestModels.Affine(ClSession.open(device, cacheDir));
      m.setProfiling(i % 2 == 0);
      m.forward(in, 2);
      m.close();
    }
    System.out.println("rss-warm=" + rssWarm + " rss-end=" + rss() + " live=" + OpenCl.liveObjects());
  }

  static long rss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }
    return 0;
  }
}
