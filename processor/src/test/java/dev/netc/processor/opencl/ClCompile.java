package dev.netc.processor.opencl;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netc.processor.NetcProcessor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * Compiles network descriptions in memory with javac and netc's processor, and serves what they generated:
 * classes and resources (the {@code .cl} programs), as a class path would.
 */
final class ClCompile {
  static final String HEADER = "package test;\n\nimport dev.netc.dsl.*;\n\n";

  private ClCompile() {}

  /** A network {@code name} of {@code c x h x w} images whose class body is {@code fields}. */
  static JavaFileObject net(String name, int c, int h, int w, String fields) {
    return source(name, "@Network\n@Input(channels = " + c + ", height = " + h + ", width = " + w
        + ")\npublic final class " + name + " {\n" + fields + "}\n");
  }

  static JavaFileObject source(String name, String body) {
    return JavaFileObjects.forSourceString("test." + name, HEADER + body);
  }

  /** Compiles and fails the test, listing the diagnostics, unless the compilation succeeded. */
  static Compilation succeeded(JavaFileObject... sources) {
    Compilation c = Compiler.javac().withProcessors(new NetcProcessor()).compile(sources);
    assertWithMessage(describe(c)).that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    return c;
  }

  static String describe(Compilation c) {
    return c.diagnostics().stream()
        .map(d -> d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(null))
        .collect(Collectors.joining("\n"));
  }

  /** The text of a generated resource in package {@code test}, e.g. {@code Foo.cl}. */
  static Optional<String> resource(Compilation c, String name) {
    return c.generatedFile(StandardLocation.CLASS_OUTPUT, "test", name).map(f -> {
      try (InputStream in = f.openInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Every generated file (sources, classes, resources) by path under its output location. */
  static Map<String, byte[]> outputs(Compilation c) {
    Map<String, byte[]> files = new TreeMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      String path = f.toUri().getPath();
      for (String root : new String[] {"/CLASS_OUTPUT/", "/SOURCE_OUTPUT/"}) {
        int at = path.indexOf(root);
        if (at < 0) continue;
        try (InputStream in = f.openInputStream()) {
          files.put(root + path.substring(at + root.length()), in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return files;
  }

  /**
   * A class loader over the compilation's class output: classes defined from it, resources served from it
   * ({@code getResourceAsStream}, as a generated model reads its {@code .cl}), everything else from the test's
   * own class path first.
   */
  static ClassLoader classLoader(Compilation c) {
    Map<String, byte[]> files = new TreeMap<>();
    outputs(c).forEach((path, bytes) -> {
      if (path.startsWith("/CLASS_OUTPUT/")) files.put(path.substring("/CLASS_OUTPUT/".length()), bytes);
    });
    return new ClassLoader(ClCompile.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = files.get(name.replace('.', '/') + ".class");
        if (b == null) throw new ClassNotFoundException(name);
        return defineClass(name, b, 0, b.length);
      }

      @Override
      public InputStream getResourceAsStream(String name) {
        byte[] b = files.get(name);
        return b != null ? new ByteArrayInputStream(b) : super.getResourceAsStream(name);
      }
    };
  }
}
