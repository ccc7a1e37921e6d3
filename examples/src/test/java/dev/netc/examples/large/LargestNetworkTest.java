package dev.netc.examples.large;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.examples.ResNet152;
import dev.netc.graph.Shape;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.processor.NetcProcessor;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ResNet-152, the largest example (517 described layers), through the whole tool chain: javac with the
 * processor (timed against javac without it), the generated classes within the JVM's limits, and a model
 * that loads and runs.
 */
class LargestNetworkTest {
  /** HotSpot's default {@code -XX:HugeMethodLimit}: a longer method is never JIT-compiled. */
  private static final int HUGE_METHOD_LIMIT = 8_000;
  /** The class file format's limit on constant pool entries. */
  private static final int CONSTANT_POOL_LIMIT = 65_535;
  private static final Path SOURCES = Path.of("src/main/java/dev/netc/examples");

  @Test
  void resNet152CompilesWithinLimitsAndRuns(@TempDir Path tmp) throws Exception {
    List<String> sources = List.of(SOURCES.resolve("ResNet152.java").toString(),
        SOURCES.resolve("Bottleneck.java").toString());
    // javac warms up on the first compile, so the baseline runs first and twice
    javac(tmp.resolve("warm"), sources, null);
    long plain = javac(tmp.resolve("plain"), sources, null);
    TimedProcessor netc = new TimedProcessor(new NetcProcessor());
    long full = javac(tmp.resolve("full"), sources, netc);
    System.out.printf("javac ResNet152 + Bottleneck: %d ms with netc's processor, %d ms without; %d ms inside the"
        + " processor (parse, check, passes, writing ~1.3 MB of Java and the OpenCL program), the other %d ms"
        + " javac compiling what it wrote%n", full, plain, netc.millis(), full - plain - netc.millis());
    // The bar is 3 s of processor time. Shared 2-core machines vary widely, so only a loose bound here.
    assertTrue(netc.millis() < 30_000, "netc took " + netc.millis() + " ms to process ResNet-152");

    Path classes = tmp.resolve("full/dev/netc/examples");
    List<ClassFile> generated = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes)) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith("ResNet152_"))
          .filter(f -> f.getFileName().toString().endsWith(".class")).sorted()
          .collect(Collectors.toList())) {
        generated.add(ClassFile.read(p));
      }
    }
    assertTrue(generated.stream().anyMatch(c -> c.name().equals("ResNet152_Model.class")), "no model generated");
    assertTrue(generated.stream().anyMatch(c -> c.name().equals("ResNet152_OpenClModel.class")), "no OpenCL model");
    for (ClassFile c : generated) {
      Map.Entry<String, Integer> longest = c.longest();
      System.out.printf("%s: %d constant pool entries, longest method %s with %d bytes%n", c.name(),
          c.constantPoolCount(), longest.getKey(), longest.getValue());
      assertTrue(c.constantPoolCount() < CONSTANT_POOL_LIMIT, c.name() + ": constant pool " + c.constantPoolCount());
      List<String> huge = c.codeLengths().entrySet().stream().filter(e -> e.getValue() > HUGE_METHOD_LIMIT)
          .map(e -> e.getKey() + " (" + e.getValue() + " bytes)").collect(Collectors.toList());
      assertEquals(List.of(), huge, c.name() + ": methods over HotSpot's HugeMethodLimit, never JIT-compiled");
    }

    // The classes javac just wrote load and link (the verifier checks every method) in a loader of their own.
    ClassLoader loader = new ClassLoader(LargestNetworkTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("dev.netc.examples.ResNet152_")) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c != null) return c;
          try {
            byte[] b = Files.readAllBytes(tmp.resolve("full").resolve(name.replace('.', '/') + ".class"));
            return defineClass(name, b, 0, b.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
      }
    };
    for (String name : List.of("dev.netc.examples.ResNet152_Model", "dev.netc.examples.ResNet152_OpenClModel")) {
      Class<?> c = Class.forName(name, true, loader); // initialised: linked, every method verified
      assertEquals(loader, c.getClassLoader());
    }
    // And the build's own ResNet-152 runs.
    try (Model m = Netc.load(ResNet152.class, new SyntheticWeights(), Backend.JAVA)) {
      Shape in = m.inputShape();
      float[] out = m.forward(SyntheticWeights.input(1, in.channels(), in.height(), in.width()), 1);
      assertEquals(1000, out.length);
      float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
      for (float v : out) {
        assertTrue(Float.isFinite(v), "non-finite output");
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertTrue(max > min, "constant output");
    }
  }

  /** Compiles {@code sources} into {@code out} with {@code processor} (none if null); returns javac's milliseconds. */
  private static long javac(Path out, List<String> sources, Processor processor) throws IOException {
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-s", out.toString(), "--release", "17",
        "-cp", System.getProperty("java.class.path")));
    if (processor == null) options.add("-proc:none");
    StringWriter log = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      JavaCompiler.CompilationTask task = javac.getTask(log, files, null, options, null,
          files.getJavaFileObjectsFromStrings(sources));
      if (processor != null) task.setProcessors(List.of(processor));
      long start = System.nanoTime();
      boolean ok = task.call();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ok, "javac failed: " + log);
      return ms;
    }
  }
}
