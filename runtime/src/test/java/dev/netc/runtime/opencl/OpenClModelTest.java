package dev.netc.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.NetcException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenClModelTest {
  @TempDir Path cacheDir;
  private final List<OpenClModel> opened = new ArrayList<>();
  private int liveBefore;

  @BeforeEach
  void countLive() {
    OpenClTests.assumeAvailable();
    liveBefore = OpenCl.liveObjects();
  }

  @AfterEach
  void closeAllAndCheckNothingLeaked() {
    if (!OpenCl.isAvailable()) return;
    opened.forEach(OpenClModel::close);
    assertEquals(liveBefore, OpenCl.liveObjects(), "OpenCL objects leaked");
  }

  private <M extends OpenClModel> M track(M m) {
    opened.add(m);
    return m;
  }

  private ClSession session() {
    return ClSession.open(OpenClTests.device(), cacheDir);
  }

  private static float[] doubled(float[] in) {
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i++) out[i] = 2 * in[i];
    return out;
  }

  @Test
  void forwardAtBatchOneThenFiveThenTwo() {
    TestModels.Doubler m = track(new TestModels.Doubler(session()));
    float[] one = TestModels.ramp(8, -2f);
    assertArrayEquals(doubled(one), m.forward(one, 1));
    float[] five = TestModels.ramp(40, 3f); // grows the arena
    assertArrayEquals(doubled(five), m.forward(five, 5));
    float[] two = TestModels.ramp(16, 7f); // reuses the larger arena, offsets scaled by 2
    assertArrayEquals(doubled(two), m.forward(two, 2));
    assertArrayEquals(doubled(one), m.forward(one, 1));
  }

  @Test
  void weightsAndTwoKernelsPerPass() {
    TestModels.Affine m = track(new TestModels.Affine(session()));
    for (int batch : new int[] {1, 5, 3}) {
      float[] in = TestModels.ramp(batch * 12, -1.5f);
      float[] out = new float[batch * 12];
      m.forward(in, out, batch);
      for (int i = 0; i < out.length; i++) {
        assertEquals(TestModels.Affine.expected(in[i], i), out[i], 1e-5f, "batch " + batch + " element " + i);
      }
    }
  }

  @Test
  void outputArrayMayBeLarger() {
    TestModels.Doubler m = track(new TestModels.Doubler(session()));
    float[] out = new float[20];
    java.util.Arrays.fill(out, -1f);
    m.forward(TestModels.ramp(8, 1f), out, 1);
    assertEquals(2f, out[0]);
    assertEquals(9f, out[7]);
    assertEquals(-1f, out[8], "nothing written past the output");
  }

  @Test
  void floatBuffersHeapAndDirectFromTheirPositions() {
    TestModels.Doubler m = track(new TestModels.Doubler(session()));
    float[] data = TestModels.ramp(24, 1f);
    for (boolean direct : new boolean[] {false, true}) {
      for (int batch : new int[] {1, 3}) {
        FloatBuffer in = buffer(direct, 3 + 24);
        FloatBuffer out = buffer(direct, 5 + 24);
        in.position(3);
        in.put(data, 0, batch * 8).position(3);
        out.position(5);
        m.forward(in, out, batch);
        assertEquals(3, in.position(), "positions are left alone, as in JavaModel");
        assertEquals(5, out.position());
        for (int i = 0; i < batch * 8; i++) assertEquals(2 * data[i], out.get(5 + i), "direct=" + direct + " " + i);
        assertEquals(0f, out.get(4));
      }
    }
    // A direct buffer in the other byte order goes through the staging copy and is still right.
    ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    FloatBuffer in = ByteBuffer.allocateDirect(32).order(other).asFloatBuffer().put(data, 0, 8).flip();
    FloatBuffer out = ByteBuffer.allocateDirect(32).order(other).asFloatBuffer();
    m.forward(in, out, 1);
    for (int i = 0; i < 8; i++) assertEquals(2 * data[i], out.get(i));
  }

  private static FloatBuffer buffer(boolean direct, int n) {
    return direct ? ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer()
        : FloatBuffer.allocate(n);
  }

  @Test
  void argumentErrorsSayExpectedAndActual() {
    TestModels.Doubler m = track(new TestModels.Doubler(session()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(new float[7], 1));
    assertEquals("Doubler expects 8 input floats (1 x 2x2x2) but got 7", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> m.forward(new float[16], new float[15], 2));
    assertEquals("Doubler writes 16 output floats (2 x 2x2x2) but the output array holds 15", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> m.forward(new float[0], 0));
    assertEquals("batch must be at least 1, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> m.forward(FloatBuffer.allocate(7), FloatBuffer.allocate(8), 1));
    assertTrue(e.getMessage().contains("expects 8 input floats"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> m.forward(FloatBuffer.allocate(8), FloatBuffer.allocate(7), 1));
    assertTrue(e.getMessage().contains("writes 8 output floats"), e.getMessage());
    // Still works afterwards.
    assertArrayEquals(doubled(TestModels.ramp(8, 0f)), m.forward(TestModels.ramp(8, 0f), 1));
  }

  @Test
  void closedModelRefusesCalls() {
    TestModels.Doubler m = new TestModels.Doubler(session());
    m.forward(new float[8], 1);
    m.close();
    m.close(); // idempotent
    assertTrue(m.isClosed());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forward(new float[8], 1));
    assertEquals("model Doubler is closed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> m.forward(FloatBuffer.allocate(8), FloatBuffer.allocate(8), 1));
  }

  @Test
  void describesItself() {
    TestModels.Doubler m = track(new TestModels.Doubler(session()));
    assertEquals("Doubler", m.name());
    assertEquals(TestModels.Doubler.SHAPE, m.inputShape());
    assertEquals(TestModels.Doubler.SHAPE, m.outputShape());
    assertEquals("opencl (" + OpenClTests.device().describe() + ")", m.backend());
  }

  @Test
  void profilingGivesOneTimingPerLaunch() {
    TestModels.Affine m = track(new TestModels.Affine(session()));
    m.forward(new float[12], 1);
    assertEquals(List.of(), m.lastProfile(), "off by default");
    m.setProfiling(true);
    m.forward(new float[24], 2);
    List<KernelTiming> profile = m.lastProfile();
    assertEquals(2, profile.size());
    assertEquals("affine", profile.get(0).kernel());
    assertEquals("conv1", profile.get(0).label());
    assertEquals(2L * 24, profile.get(0).flops());
    assertEquals(8L * 24, profile.get(0).bytes());
    assertEquals("add", profile.get(1).kernel());
    assertEquals("add1", profile.get(1).label());
    for (KernelTiming t : profile) assertTrue(t.nanos() > 0, t.toString());
    m.forward(new float[12], 1);
    assertEquals(2, m.lastProfile().size(), "replaced each call, not appended");
    m.setProfiling(false);
    m.forward(new float[12], 1);
    assertEquals(List.of(), m.lastProfile());
  }

  @Test
  void launchOutsideEnqueueIsRefused() {
    TestModels.Doubler m = track(new TestModels.Doubler(session()));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> m.launch("twice", "x", 0, 0, new long[] {1}, null));
    assertTrue(e.getMessage().contains("only inside enqueue"), e.getMessage());
    assertThrows(IllegalStateException.class, m::arena);
  }

  /** A model whose enqueue misuses launch in a way chosen by the test. */
  private static final class Misuse extends OpenClModel {
    private final java.util.function.Consumer<Misuse> body;

    Misuse(ClSession s, java.util.function.Consumer<Misuse> body) {
      super("Misuse", TestModels.Doubler.SHAPE, TestModels.Doubler.SHAPE, 16, 0, 8, s, "Doubler",
          TestModels.DOUBLER_SOURCE, null);
      this.body = body;
    }

    @Override
    protected void enqueue(int batch) {
      body.accept(this);
    }

    void go(String kernel, long[] global, long[] local, Object... args) {
      launch(kernel, "misuse", 0, 0, global, local, args);
    }
  }

  @Test
  void launchMistakesAreExplained() {
    record Case(java.util.function.Consumer<Misuse> body, Class<? extends RuntimeException> type, String text) {}
    List<Case> cases = List.of(
        new Case(m -> m.go("twice", new long[] {8}, null, m.arena(), 0, 8), IllegalArgumentException.class,
            "kernel twice takes 4 arguments but launch gave 3"),
        new Case(m -> m.go("twice", new long[] {8}, null, m.arena(), 0, 8, "8"), IllegalArgumentException.class,
            "kernel twice argument 3: expected ClBuffer, Integer, Float or Long but got java.lang.String"),
        new Case(m -> m.go("twice", new long[] {8}, null, 1, 0, 8, 8), IllegalArgumentException.class,
            "kernel twice argument 0 (int 1) was refused"),
        new Case(m -> m.go("nope", new long[] {8}, null), NetcException.class,
            "OpenCL program Doubler has no kernel 'nope'; it has: twice"),
        new Case(m -> m.go("twice", new long[] {8, 0}, null), IllegalArgumentException.class,
            "global size must be positive"),
        new Case(m -> m.go("twice", new long[] {1, 1, 1, 1}, null), IllegalArgumentException.class,
            "1 to 3 dimensions, got 4"),
        new Case(m -> m.go("twice", new long[] {8}, new long[] {8, 1}), IllegalArgumentException.class,
            "local size has 2 dimensions but global size has 1"));
    for (Case c : cases) {
      Misuse m = track(new Misuse(session(), c.body()));
      RuntimeException e = assertThrows(c.type(), () -> m.forward(new float[8], 1));
      assertTrue(e.getMessage().contains(c.text()), e.getMessage());
    }
  }

  @Test
  void arenaTooLargeForTheDeviceNamesTheBufferAndSize() {
    ClSession s = session();
    long maxAlloc = s.maxAllocBytes();
    // Per-image arena just under the device's limit: batch 1 fits the check, batch 2 does not.
    int perImage = (int) Math.min(Integer.MAX_VALUE / 4, maxAlloc / 4 / 2 + 1);
    TestModels.Doubler m = track(new TestModels.Doubler(s, perImage));
    int batch = (int) (maxAlloc / 4 / perImage) + 1;
    NetcException e = assertThrows(NetcException.class, () -> m.forward(new float[8 * batch], batch));
    assertTrue(e.getMessage().contains("the activation arena of Doubler for batch " + batch + " needs "
        + (long) perImage * batch * 4 + " bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
    assertTrue(e.getMessage().contains("use a smaller batch"), e.getMessage());
    assertArrayEquals(doubled(TestModels.ramp(8, 1f)), m.forward(TestModels.ramp(8, 1f), 1), "still usable");

    NetcException indices = assertThrows(NetcException.class, () -> m.forward(new float[8 * 2000], 2000));
    assertTrue(indices.getMessage().contains("use a smaller batch"), indices.getMessage());
  }

  @Test
  void weightTooLargeNamesTheTensor() {
    ClSession s = session();
    TestModels.Doubler m = track(new TestModels.Doubler(s));
    // No need to allocate the floats: the check is on the size alone, so call the allocator directly.
    NetcException e = assertThrows(NetcException.class, () -> s.allocate("conv9.weight",
        "weight tensor conv9.weight of Doubler", s.maxAllocBytes() + 4, org.jocl.CL.CL_MEM_READ_ONLY, null,
        "run Doubler on a device with more memory"));
    assertTrue(e.getMessage().startsWith("weight tensor conv9.weight of Doubler needs " + (s.maxAllocBytes() + 4)
        + " bytes"), e.getMessage());
    assertTrue(m.forward(new float[8], 1).length == 8);
  }

  @Test
  void concurrentCallersAreSerialisedAndCorrect() throws Exception {
    TestModels.Affine m = track(new TestModels.Affine(session()));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int iter = 0; iter < 200; iter++) {
            int batch = 1 + (thread + iter) % 4; // mixed batches: the arena grows under contention
            float[] in = TestModels.ramp(batch * 12, thread * 100 + iter);
            float[] out = new float[batch * 12];
            if (iter % 2 == 0) {
              m.forward(in, out, batch);
            } else {
              FloatBuffer ob = FloatBuffer.allocate(out.length);
              m.forward(FloatBuffer.wrap(in), ob, batch);
              ob.get(out);
            }
            for (int i = 0; i < out.length; i++) {
              float want = TestModels.Affine.expected(in[i], i);
              if (Math.abs(want - out[i]) > 1e-4f * Math.max(1, Math.abs(want))) {
                throw new AssertionError("thread " + thread + " iter " + iter + " element " + i + ": expected "
                    + want + " got " + out[i]);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) f.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }
}
