package dev.netc.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Shape;
import dev.netc.runtime.NetcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing among a model's kernel variants: by name, by device type, and by the measured tuning step whose
 * winner is remembered in the cache directory. The two hand-written variants compute the same function, one of
 * them with a long pointless loop, so the timing has a clear winner.
 */
class KernelVariantTest {
  @TempDir Path cacheDir;

  @BeforeEach
  void available() {
    OpenClTests.assumeAvailable();
    System.setProperty(Tuning.BUDGET_PROPERTY, "400");
  }

  @AfterEach
  void clearProperties() {
    System.clearProperty(VariantChoice.PROPERTY);
    System.clearProperty(Tuning.BUDGET_PROPERTY);
  }

  private static final String FAST = """
      __kernel void twice(__global float* arena, int in, int out, int n) {
        int i = get_global_id(0);
        if (i < n) arena[out + i] = 2.0f * arena[in + i];
      }
      """;

  /** The same result after about a million useless operations per work-item. */
  private static final String SLOW = """
      __kernel void twice(__global float* arena, int in, int out, int n) {
        int i = get_global_id(0);
        if (i >= n) return;
        float waste = 0.0f;
        for (int k = 0; k < 1000000; k++) waste += sin((float) (k + i)) * 1e-30f;
        arena[out + i] = 2.0f * arena[in + i] + waste * 1e-30f;
      }
      """;

  private static final String BROKEN = """
      __kernel void twice(__global float* arena, int in, int out, int n) { arena[0] = no_such_thing; }
      """;

  /** Output = 2 x input over 2x2x2, with the given program per variant. */
  static final class TwoWay extends OpenClModel {
    static final Shape SHAPE = new Shape(2, 2, 2);

    TwoWay(ClSession session, Map<KernelVariant, String> sources) {
      super("TwoWay", SHAPE, SHAPE, 16, 0, 8, session, KernelPrograms.ofSources("TwoWay", "", sources));
      finishLoading();
    }

    @Override
    protected void enqueue(int batch) {
      int n = batch * SHAPE.size();
      launch("twice", "double", n, 8L * n, new long[] {n}, null, arena(), 0, 8 * batch, n);
    }
  }

  private TwoWay load(Map<KernelVariant, String> sources) {
    return new TwoWay(ClSession.open(OpenClTests.device(), cacheDir), sources);
  }

  private static void assertDoubles(TwoWay m) {
    float[] in = {1, -2, 3.5f, 4, 0.25f, -6, 7, 8};
    float[] expected = new float[in.length];
    for (int i = 0; i < in.length; i++) expected[i] = 2 * in[i];
    assertArrayEquals(expected, m.forward(in, 1));
  }

  private List<Path> tunedFiles() throws IOException {
    Path dir = cacheDir.resolve("tuned");
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".variant")).toList();
    }
  }

  @Test
  void autoTakesTheVariantWrittenForTheDeviceType() {
    try (TwoWay m = load(Map.of(KernelVariant.CPU, FAST, KernelVariant.GPU, FAST))) {
      assertEquals(KernelVariant.forDevice(OpenClTests.device()), m.kernelVariant());
      assertTrue(m.backend().endsWith(", " + m.kernelVariant().id() + " kernels)"), m.backend());
      assertDoubles(m);
    }
  }

  @Test
  void aVariantAskedForByNameRunsWhateverTheDevice() {
    for (KernelVariant v : KernelVariant.values()) {
      System.setProperty(VariantChoice.PROPERTY, v.id().toUpperCase());
      try (TwoWay m = load(Map.of(KernelVariant.CPU, FAST, KernelVariant.GPU, FAST))) {
        assertEquals(v, m.kernelVariant());
        assertDoubles(m);
      }
    }
  }

  @Test
  void tuningPicksTheFasterVariantAndLaterLoadsRememberIt() throws IOException {
    // the variant the device type would pick is the slow one, so only a measurement finds the other
    KernelVariant byType = KernelVariant.forDevice(OpenClTests.device());
    KernelVariant other = byType == KernelVariant.CPU ? KernelVariant.GPU : KernelVariant.CPU;
    Map<KernelVariant, String> sources = Map.of(byType, SLOW, other, FAST);
    System.setProperty(VariantChoice.PROPERTY, "tune");
    try (TwoWay m = load(sources)) {
      assertEquals(other, m.kernelVariant());
      assertDoubles(m);
    }
    List<Path> files = tunedFiles();
    assertEquals(1, files.size(), files.toString());
    String text = Files.readString(files.get(0));
    assertTrue(text.startsWith(other.id() + "\n"), text);
    assertTrue(text.contains("per batch of 1"), text);

    System.clearProperty(VariantChoice.PROPERTY); // auto: the remembered winner, no timing
    try (TwoWay m = load(sources)) {
      assertEquals(other, m.kernelVariant());
    }
    System.setProperty(VariantChoice.PROPERTY, byType.id()); // a name still wins over the memory
    try (TwoWay m = load(sources)) {
      assertEquals(byType, m.kernelVariant());
    }
  }

  @Test
  void aVariantThatFailsOnTheDeviceIsSkippedByTuning() throws IOException {
    KernelVariant byType = KernelVariant.forDevice(OpenClTests.device());
    KernelVariant other = byType == KernelVariant.CPU ? KernelVariant.GPU : KernelVariant.CPU;
    System.setProperty(VariantChoice.PROPERTY, "tune");
    try (TwoWay m = load(Map.of(byType, FAST, other, BROKEN))) {
      assertEquals(byType, m.kernelVariant());
      assertDoubles(m);
    }
    String text = Files.readString(tunedFiles().get(0));
    assertTrue(text.startsWith(byType.id() + "\n"), text);
    assertTrue(text.contains(other.id() + " failed"), text);
  }

  @Test
  void aBadRequestIsAClearError() {
    System.setProperty(VariantChoice.PROPERTY, "fastest");
    int live = OpenCl.liveObjects();
    NetcException e = assertThrows(NetcException.class,
        () -> load(Map.of(KernelVariant.CPU, FAST, KernelVariant.GPU, FAST)));
    assertEquals("system property netc.opencl.variant is 'fastest'; it must be auto, cpu, gpu or tune", e.getMessage());
    assertEquals(live, OpenCl.liveObjects(), "the session was closed");
  }

  @Test
  void aProgramWithOneVariantIgnoresTheRequest() {
    System.setProperty(VariantChoice.PROPERTY, "gpu");
    try (TwoWay m = load(Map.of(KernelVariant.CPU, FAST))) {
      assertEquals(KernelVariant.CPU, m.kernelVariant());
      assertTrue(m.backend().startsWith("opencl (") && !m.backend().contains("kernels"), m.backend());
    }
  }

  @Test
  void withoutACacheDirectoryTuningStillChoosesButRemembersNothing() {
    System.setProperty(VariantChoice.PROPERTY, "tune");
    KernelVariant byType = KernelVariant.forDevice(OpenClTests.device());
    KernelVariant other = byType == KernelVariant.CPU ? KernelVariant.GPU : KernelVariant.CPU;
    try (TwoWay m = new TwoWay(ClSession.open(OpenClTests.device(), null), Map.of(byType, SLOW, other, FAST))) {
      assertEquals(other, m.kernelVariant());
    }
    assertNull(new TunedVariants(null).load("anything"));
  }
}
