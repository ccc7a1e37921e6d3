package dev.netc.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/** Compiles network descriptions in memory with the real javac and netc's processor. */
final class Compile {
  /** What every description file starts with. */
  static final String HEADER = "package test;\n\nimport dev.netc.dsl.*;\n\n";

  private Compile() {}

  /** {@code test.<name>} with {@link #HEADER} prepended to {@code body}. */
  static JavaFileObject source(String name, String body) {
    return JavaFileObjects.forSourceString("test." + name, HEADER + body);
  }

  static Compilation compile(JavaFileObject... sources) {
    return compile(List.of(), sources);
  }

  static Compilation compile(List<String> options, JavaFileObject... sources) {
    return Compiler.javac().withProcessors(new NetcProcessor()).withOptions(options).compile(sources);
  }

  /** Compiles and fails the test, listing the diagnostics, unless the compilation succeeded. */
  static Compilation succeeded(JavaFileObject... sources) {
    Compilation c = compile(sources);
    assertWithMessage(describe(c)).that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    return c;
  }

  /** Every diagnostic, one a line, for assertion messages. */
  static String describe(Compilation c) {
    return c.diagnostics().stream()
        .map(d -> d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(null))
        .collect(Collectors.joining("\n"));
  }

  /** The errors' messages. */
  static List<String> errors(Compilation c) {
    return c.errors().stream().map(d -> d.getMessage(null)).collect(Collectors.toList());
  }

  /** Whether any diagnostic reports an internal error of the processor (a bug, never a user mistake). */
  static boolean internalError(Compilation c) {
    return c.diagnostics().stream().map(d -> d.getMessage(null)).anyMatch(m -> m.contains("[netc.internal]"))
        || c.diagnostics().stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR
            && d.getMessage(null).contains("threw an uncaught exception"));
  }

  /** Loads the classes a compilation wrote, parent-first through the test's own class loader. */
  static ClassLoader classLoader(Compilation c) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) continue;
      String path = f.toUri().getPath();
      int root = path.indexOf("/CLASS_OUTPUT/");
      String binary = path.substring(root + "/CLASS_OUTPUT/".length(), path.length() - ".class".length())
          .replace('/', '.');
      try (InputStream in = f.openInputStream()) {
        classes.put(binary, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ClassLoader(Compile.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) throw new ClassNotFoundException(name);
        return defineClass(name, b, 0, b.length);
      }
    };
  }
}
