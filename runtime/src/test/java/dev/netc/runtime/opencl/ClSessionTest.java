package dev.netc.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClSessionTest {
  @TempDir Path cacheDir;

  @BeforeEach
  void available() {
    OpenClTests.assumeAvailable();
  }

  private static final String BROKEN = """
      __kernel void broken(__global float* a) {
        a[0] = undefined_thing_42 * 2.0f;
      }
      """;

  @Test
  void secondBuildOfTheSameSourceIsCached() throws IOException {
    int live = OpenCl.liveObjects();
    try (ClSession s = ClSession.open(OpenClTests.device(), cacheDir)) {
      ClProgram first = s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertFalse(s.lastBuildWasCached());
      assertFalse(first.fromCache());
      assertEquals("Doubler", first.name());
      assertEquals(1, cacheFiles().size());
      ClProgram second = s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertTrue(s.lastBuildWasCached());
      assertTrue(second.fromCache());
      first.close();
      first.close(); // idempotent
    }
    assertEquals(live, OpenCl.liveObjects());
    // A new session (as in a new process) finds it too.
    try (ClSession s = ClSession.open(OpenClTests.device(), cacheDir)) {
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertTrue(s.lastBuildWasCached());
    }
  }

  @Test
  void cachedProgramsRunCorrectly() {
    try (TestModels.Doubler warm = new TestModels.Doubler(ClSession.open(OpenClTests.device(), cacheDir))) {
      assertFalse(warm.programFromCache());
    }
    try (TestModels.Doubler m = new TestModels.Doubler(ClSession.open(OpenClTests.device(), cacheDir))) {
      assertTrue(m.programFromCache());
      float[] out = m.forward(TestModels.ramp(8, 1f), 1);
      assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7, 8, 9}, out);
    }
  }

  @Test
  void corruptCacheFileIsRebuiltAndReplaced() throws IOException {
    try (ClSession s = ClSession.open(OpenClTests.device(), cacheDir)) {
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      Path file = cacheFiles().get(0);
      byte[] good = Files.readAllBytes(file);
      byte[] bad = good.clone();
      bad[bad.length / 2] ^= 0x5a; // a flipped byte in the driver's binary
      Files.write(file, bad);
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertFalse(s.lastBuildWasCached(), "a damaged binary must not be used");
      assertArrayEquals(good, Files.readAllBytes(file), "the damaged file is replaced");
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertTrue(s.lastBuildWasCached());

      Files.write(file, java.util.Arrays.copyOf(good, good.length / 3)); // truncated
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertFalse(s.lastBuildWasCached());
      assertArrayEquals(good, Files.readAllBytes(file));

      Files.write(file, new byte[0]); // empty
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertFalse(s.lastBuildWasCached());
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertTrue(s.lastBuildWasCached());
    }
  }

  @Test
  void binaryTheDriverRefusesIsRebuilt() throws Exception {
    try (ClSession s = ClSession.open(OpenClTests.device(), cacheDir)) {
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      Path file = cacheFiles().get(0);
      // A well-formed cache file (right checksum) whose payload is not a binary the driver knows.
      byte[] payload = "this is not an OpenCL binary".repeat(20).getBytes();
      ByteBuffer b = ByteBuffer.allocate(8 + 8 + 32 + payload.length);
      b.put("NETCCLB1".getBytes()).putLong(payload.length)
          .put(MessageDigest.getInstance("SHA-256").digest(payload)).put(payload);
      Files.write(file, b.array());
      ClProgram p = s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertFalse(s.lastBuildWasCached());
      assertFalse(p.fromCache());
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertTrue(s.lastBuildWasCached(), "the refused file was replaced by a good one");
    }
  }

  @Test
  void optionsSourceAndDevicePartakeInTheKey() {
    ClDevice d = OpenClTests.device();
    String base = BinaryCache.key("src", d, "");
    assertEquals(base, BinaryCache.key("src", d, ""));
    assertNotEquals(base, BinaryCache.key("src", d, "-cl-fast-relaxed-math"));
    assertNotEquals(base, BinaryCache.key("src ", d, ""));
    ClDevice otherDriver = new ClDevice(d.platformIndex(), d.deviceIndex(), d.platformName(), d.name(), d.type(),
        d.vendor(), d.driverVersion() + "-next", d.version(), d.computeUnits(), d.globalMemoryBytes(),
        d.maxWorkGroupSize());
    assertNotEquals(base, BinaryCache.key("src", otherDriver, ""));
    // Length prefixes: moving text between fields changes the key.
    assertNotEquals(BinaryCache.key("ab", d, "c"), BinaryCache.key("a", d, "bc"));
  }

  @Test
  void differentOptionsAreCachedSeparately() throws IOException {
    try (ClSession s = ClSession.open(OpenClTests.device(), cacheDir)) {
      s.build("Doubler", TestModels.DOUBLER_SOURCE, "");
      s.build("Doubler", TestModels.DOUBLER_SOURCE, "-cl-fast-relaxed-math");
      assertFalse(s.lastBuildWasCached(), "other options, other key");
      assertEquals(2, cacheFiles().size());
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null); // null options are ""
      assertTrue(s.lastBuildWasCached());
    }
  }

  @Test
  void cacheCanBeTurnedOff() {
    try (ClSession s = ClSession.open(OpenClTests.device(), null)) {
      assertNull(s.cacheDirectory());
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertFalse(s.lastBuildWasCached());
    }
  }

  @Test
  void unwritableCacheDirectoryOnlyLosesTheCache() throws IOException {
    Path notADir = Files.writeString(cacheDir.resolve("file"), "x");
    try (ClSession s = ClSession.open(OpenClTests.device(), notADir.resolve("sub"))) {
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
      assertFalse(s.lastBuildWasCached());
    }
  }

  @Test
  void defaultCacheDirectoryFollowsTheProperty() {
    String old = System.getProperty("netc.cache.dir");
    try {
      System.setProperty("netc.cache.dir", cacheDir.toString());
      try (ClSession s = ClSession.open(OpenClTests.device())) {
        assertEquals(cacheDir, s.cacheDirectory());
      }
      System.clearProperty("netc.cache.dir");
      Path dir = BinaryCache.defaultDirectory();
      assertTrue(dir.endsWith(Path.of("netc", "opencl")), dir.toString());
    } finally {
      if (old == null) System.clearProperty("netc.cache.dir");
      else System.setProperty("netc.cache.dir", old);
    }
  }

  @Test
  void buildFailureCarriesTheCompilerLog() throws IOException {
    int live = OpenCl.liveObjects();
    try (ClSession s = ClSession.open(OpenClTests.device(), cacheDir)) {
      KernelBuildException e = assertThrows(KernelBuildException.class, () -> s.build("Broken", BROKEN, null));
      assertEquals("Broken", e.programName());
      assertTrue(e.buildLog().contains("undefined_thing_42"), e.buildLog());
      assertTrue(e.getMessage().startsWith("OpenCL program 'Broken' failed to build on "), e.getMessage());
      assertTrue(e.getMessage().contains("undefined_thing_42"), e.getMessage());
      assertTrue(e.getMessage().contains("error"), e.getMessage());
      assertEquals(0, cacheFiles().size(), "nothing cached for a failed build");
      // The session is still usable.
      s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
    }
    assertEquals(live, OpenCl.liveObjects());
  }

  @Test
  void modelWhoseProgramFailsClosesItsSession() {
    int live = OpenCl.liveObjects();
    ClSession s = ClSession.open(OpenClTests.device(), cacheDir);
    assertThrows(KernelBuildException.class, () -> new OpenClModel("Broken", TestModels.Doubler.SHAPE,
        TestModels.Doubler.SHAPE, 16, 0, 8, s, "Broken", BROKEN, null) {
      @Override
      protected void enqueue(int batch) {}
    });
    assertTrue(s.isClosed());
    assertEquals(live, OpenCl.liveObjects());
  }

  @Test
  void closeReleasesEverythingAndIsIdempotent() {
    int live = OpenCl.liveObjects();
    ClSession s = ClSession.open(OpenClTests.device(), cacheDir);
    assertEquals(live + 2, OpenCl.liveObjects(), "context and queue");
    s.build("Doubler", TestModels.DOUBLER_SOURCE, null);
    assertEquals(live + 3, OpenCl.liveObjects());
    s.close();
    assertEquals(live, OpenCl.liveObjects());
    s.close();
    assertTrue(s.isClosed());
    assertThrows(IllegalStateException.class, () -> s.build("Doubler", TestModels.DOUBLER_SOURCE, null));
    assertTrue(s.toString().contains("closed"));
  }

  private List<Path> cacheFiles() throws IOException {
    if (!Files.isDirectory(cacheDir)) return List.of();
    try (Stream<Path> files = Files.list(cacheDir)) {
      return files.filter(f -> f.toString().endsWith(".clbin")).sorted().toList();
    }
  }
}
