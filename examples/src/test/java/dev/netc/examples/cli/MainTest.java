package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.io.Npy;
import dev.netc.runtime.io.NpyArray;
import dev.netc.runtime.io.SafeTensorsWriter;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.reference.ReferenceModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole tool on {@link TestNetworks.FakeCatalog}: commands, exit codes, and what goes to which stream. */
class MainTest {
  @TempDir Path dir;
  private final TestNetworks.FakeCatalog catalog = new TestNetworks.FakeCatalog();
  private String out;
  private String err;

  private int netc(String... argv) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = Main.run(argv, catalog, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8), false);
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  private Path images(int... shape) {
    int n = 1;
    for (int d : shape) n *= d;
    Path p = dir.resolve("x.npy");
    Npy.write(p, shape, SyntheticWeights.values("x", new int[] {n}, 0, 1));
    return p;
  }

  @Test
  void list() {
    assertEquals(0, netc("list"));
    assertEquals(String.join("\n",
        "network  input  output  parameters",
        "-------  -----  ------  ----------",
        "Tiny     1x8x8  10x1x1         690",
        "Spatial  2x4x4  3x4x4           57",
        ""), out);
    assertEquals("", err);
  }

  @Test
  void summaryIgnoresCaseAndIsDeterministic() {
    assertEquals(0, netc("summary", "tiny"));
    String first = out;
    assertEquals(0, netc("summary", "TINY"));
    assertEquals(first, out);
    assertTrue(out.startsWith("Tiny: input 1x8x8 -> output 10x1x1\n"), out);
  }

  @Test
  void helpGoesToStdoutWithExitZero() {
    assertEquals(0, netc("help"));
    assertTrue(out.contains("netc run NAME --weights W.safetensors"));
    assertEquals(0, netc("summary", "--help"));
    assertTrue(out.startsWith("netc: "));
  }

  @Test
  void badCommandLinesExitWithTwoAndUsage() {
    assertEquals(2, netc());
    assertTrue(err.contains("usage: netc"), err);
    assertEquals(2, netc("frobnicate"));
    assertTrue(err.startsWith("netc: unknown command 'frobnicate'\nusage: netc"), err);
    assertEquals(2, netc("summary"));
    assertEquals(2, netc("summary", "VGG"));
    assertTrue(err.startsWith("netc: no network named 'VGG'; known networks: Tiny, Spatial\n"), err);
    assertEquals(2, netc("run", "tiny", "--input", "x.npy"));
    assertTrue(err.startsWith("netc: 'netc run' needs --weights\n"), err);
    assertEquals(2, netc("run", "tiny", "--weights", "synthetic", "--input", "x.npy"));
    assertTrue(err.contains("nothing to do"), err);
    assertEquals(2, netc("bench", "tiny", "--backend", "cuda"));
    assertEquals(2, netc("bench", "tiny", "--batch", "0"));
    assertEquals("", out);
  }

  @Test
  void runWritesOutputsAndPrintsTopK() throws Exception {
    Path x = images(2, 1, 8, 8);
    Path y = dir.resolve("y.npy");
    assertEquals(0, netc("run", "tiny", "--weights", "synthetic", "--input", x.toString(), "--output", y.toString(),
        "--top", "3"));
    NpyArray result = Npy.read(y);
    assertArrayEquals(new int[] {2, 10}, result.shape());
    float[] expected;
    try (ReferenceModel ref = new ReferenceModel(TestNetworks.tiny(), new SyntheticWeights())) {
      expected = ref.forward(Npy.read(x).data(), 2);
    }
    assertArrayEquals(expected, result.data());
    assertEquals(TopK.format(expected, 2, 10, 3), out);
    assertTrue(out.startsWith("image 0\n  rank  class     score\n"), out);
    assertEquals("netc: Tiny on reference (chosen by --backend auto), 2 images\n", err);
    assertEquals(List.of(Backend.AUTO.resolve()), catalog.loaded); // OpenCL where a device exists
  }

  @Test
  void runOneImageWithoutBatchDimension() {
    Path x = images(1, 8, 8);
    Path y = dir.resolve("y.npy");
    assertEquals(0, netc("run", "Tiny", "--weights", "synthetic", "--input", x.toString(), "--output", y.toString(),
        "--backend", "reference", "--threads", "3"));
    assertArrayEquals(new int[] {1, 10}, Npy.read(y).shape());
    assertEquals("", out);
    assertEquals(List.of(Backend.REFERENCE), catalog.loaded);
    assertEquals(List.of("3"), catalog.threadsAtLoad);
    assertFalse("3".equals(System.getProperty("netc.threads")), "netc.threads is restored");
  }

  @Test
  void runSpatialOutputKeepsFourDimensions() {
    Path x = images(3, 2, 4, 4);
    Path y = dir.resolve("y.npy");
    assertEquals(0, netc("run", "spatial", "--weights", "synthetic", "--input", x.toString(), "--output",
        y.toString()));
    assertArrayEquals(new int[] {3, 3, 4, 4}, Npy.read(y).shape());
    assertEquals(1, netc("run", "spatial", "--weights", "synthetic", "--input", x.toString(), "--top", "2"));
    assertTrue(err.startsWith("netc: error: --top needs a network with one score per class"), err);
  }

  @Test
  void wrongInputShapeIsOneLineAndExitOne() {
    Path x = images(1, 3, 8, 8);
    assertEquals(1, netc("run", "tiny", "--weights", "synthetic", "--input", x.toString(), "--top", "1"));
    assertEquals("netc: error: " + x + " has shape [1, 3, 8, 8] but the network expects [N, 1, 8, 8]"
        + " (or [1, 8, 8] for one image)\n", err);
    assertTrue(catalog.loaded.isEmpty(), "fails before loading weights");
  }

  @Test
  void missingFilesAreOneLineAndExitOne() throws Exception {
    assertEquals(1, netc("run", "tiny", "--weights", "synthetic", "--input", dir.resolve("none.npy").toString(),
        "--top", "1"));
    assertTrue(err.startsWith("netc: error: .npy file ") && err.endsWith(" does not exist\n"), err);
    assertEquals(1, err.lines().count());

    Path x = images(1, 8, 8);
    assertEquals(1, netc("run", "tiny", "--weights", dir.resolve("w.safetensors").toString(), "--input",
        x.toString(), "--top", "1"));
    assertTrue(err.startsWith("netc: error: "), err);
    assertEquals(1, err.lines().count(), err);
    assertFalse(err.contains("\tat "), err);

    Path garbage = dir.resolve("garbage.npy");
    Files.writeString(garbage, "not numpy");
    assertEquals(1, netc("run", "tiny", "--weights", "synthetic", "--input", garbage.toString(), "--top", "1"));
    assertTrue(err.contains("is not a .npy file"), err);
  }

  @Test
  void bench() {
    assertEquals(0, netc("bench", "tiny", "--batch", "2", "--warmup", "0.01", "--seconds", "0.05", "--threads", "2"));
    String[] lines = out.split("\n");
    assertEquals("Tiny on reference, batch 2", lines[0]);
    assertTrue(lines[1].matches("  load +[0-9.,]+ ms"), lines[1]);
    assertTrue(lines[2].matches("  first pass +[0-9.,]+ ms \\(first result [0-9.,]+ ms after the load began\\)"),
        lines[2]);
    assertTrue(lines[3].matches("  warm-up +[0-9.,]+ s, [0-9,]+ runs"), lines[3]);
    assertTrue(lines[4].matches("  measured +[0-9.,]+ s, [0-9,]+ runs"), lines[4]);
    assertTrue(lines[6].matches(" +median +min +p10 +p90 +max"), lines[6]);
    assertTrue(lines[8].startsWith("ms per batch "), lines[8]);
    assertTrue(lines[9].startsWith("ms per image "), lines[9]);
    assertTrue(lines[10].startsWith("images/s "), lines[10]);
    assertEquals(11, lines.length);
    assertTrue(err.startsWith("netc: benchmarking Tiny on reference, batch 2"), err);
    assertEquals(List.of("2"), catalog.threadsAtLoad);
  }

  @Test
  void benchOnAWeightsFile() {
    Path file = dir.resolve("tiny.safetensors");
    SafeTensorsWriter w = new SafeTensorsWriter();
    Graph tiny = TestNetworks.tiny();
    SyntheticWeights synthetic = new SyntheticWeights();
    for (Node n : tiny.nodes()) {
      for (WeightSpec s : tiny.weightsOf(n)) w.put(s.name(), s.dims(), synthetic.get(s));
    }
    w.write(file);
    assertEquals(0, netc("bench", "tiny", "--weights", file.toString(), "--warmup", "0", "--seconds", "0.01"));
    assertTrue(out.startsWith("Tiny on reference, batch 1\n  load "), out);

    assertEquals(1, netc("bench", "tiny", "--weights", dir.resolve("none.safetensors").toString()));
    assertTrue(err.startsWith("netc: error: ") && err.contains("none.safetensors"), err);
  }

  @Test
  void kernelsChoosesOpenClVariantsOnlyAndNamesTheChoices() {
    assertEquals(2, netc("bench", "tiny", "--kernels", "gpu"));
    assertEquals("netc: --kernels chooses among OpenCL kernel variants; use it with --backend opencl (this run uses"
        + " java)\n", err.lines().findFirst().orElse("") + "\n");
    assertEquals(2, netc("bench", "tiny", "--backend", "opencl", "--kernels", "fastest"));
    assertTrue(err.startsWith("netc: unknown --kernels 'fastest'; choose auto, cpu, gpu, tune\n"), err);
    assertTrue(catalog.loaded.isEmpty(), "fails before loading anything");
  }

  @Test
  void benchReportArithmetic() {
    BenchCommand.Result r = new BenchCommand.Result("N", "java (1 threads)", 4, 12.5, 7.3, 3, 1.0, 2.0,
        new double[] {10, 20, 30, 40, 50});
    // images/s: 4 images / 30 ms = 133.3; "min" comes from the slowest pass (50 ms: 80.0), "max" from the
    // fastest (10 ms: 400.0).
    assertEquals(String.join("\n",
        "N on java (1 threads), batch 4",
        "  load        12.5 ms",
        "  first pass  7.3 ms (first result 19.8 ms after the load began)",
        "  warm-up     1.00 s, 3 runs",
        "  measured    2.00 s, 5 runs",
        "",
        "              median     min     p10     p90     max",
        "------------  ------  ------  ------  ------  ------",
        "ms per batch  30.000  10.000  14.000  46.000  50.000",
        "ms per image   7.500   2.500   3.500  11.500  12.500",
        "images/s       133.3    80.0    87.0   285.7   400.0",
        ""), BenchCommand.report(r));
  }
}
