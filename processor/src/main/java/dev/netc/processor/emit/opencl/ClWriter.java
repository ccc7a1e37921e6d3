package dev.netc.processor.emit.opencl;

import java.util.List;
import java.util.Locale;

/**
 * A small structured writer for OpenCL C: statements, blocks that indent themselves, comments and kernel
 * signatures. Kernel emitters say what to write ({@code open("for (int c = 0; c < 48; c++)")}, {@code
 * line("acc += x[i] * w[i];")}, {@code close()}); the writer owns layout, so every kernel looks alike and the
 * output depends on nothing but the calls (deterministic to the byte, two-space indentation, {@code \n}).
 *
 * <p>Numbers go through {@link #f(float)} and the integer overloads of {@link #line(String, Object...)}
 * (formatted with {@link Locale#ROOT}), never through the platform's locale.
 */
final class ClWriter {
  private final StringBuilder out = new StringBuilder();
  private int depth;

  /** One statement or declaration, {@link String#format} style with {@link Locale#ROOT}. */
  ClWriter line(String format, Object... args) {
    indent();
    format(format, args);
    out.append('\n');
    return this;
  }

  /**
   * Appends {@code String.format(Locale.ROOT, format, args)}. The emitters only use {@code %s}, {@code %d},
   * {@code %c} and {@code %%}, which are substituted directly (the same text: {@code %d} of an integer under
   * {@link Locale#ROOT} has no grouping); anything else goes to {@link String#format}. Writing ResNet-152's
   * programs spent most of the processor's time in {@code Formatter}.
   */
  private void format(String format, Object[] args) {
    if (args.length == 0) {
      out.append(format);
      return;
    }
    int start = out.length();
    int next = 0;
    for (int i = 0; i < format.length(); i++) {
      char ch = format.charAt(i);
      if (ch != '%') {
        out.append(ch);
        continue;
      }
      char spec = i + 1 < format.length() ? format.charAt(i + 1) : 0;
      if (spec == '%') {
        out.append('%');
      } else if ((spec == 's' || spec == 'd' || spec == 'c') && next < args.length
          && (spec != 'd' || args[next] instanceof Integer || args[next] instanceof Long)) {
        out.append(args[next++]);
      } else { // a conversion this fast path does not know: let Formatter do it all
        out.setLength(start);
        out.append(String.format(Locale.ROOT, format, args));
        return;
      }
      i++;
    }
    if (next != args.length) { // surplus arguments: keep Formatter's behaviour (ignore them) exactly
      out.setLength(start);
      out.append(String.format(Locale.ROOT, format, args));
    }
  }

  /**
   * {@code text} as it is, at the outermost level: a block of OpenCL C written elsewhere (the training kernel
   * library the training programs start with). It must end with a newline.
   */
  ClWriter verbatim(String text) {
    if (depth != 0) throw new IllegalStateException("verbatim text inside a block");
    if (!text.endsWith("\n")) throw new IllegalArgumentException("verbatim text must end with a newline");
    out.append(text);
    return this;
  }

  /** An empty line (no trailing spaces). */
  ClWriter blank() {
    out.append('\n');
    return this;
  }

  /** {@code // text}, one comment line per line of {@code text}. */
  ClWriter comment(String text) {
    for (String l : text.split("\n", -1)) {
      indent();
      out.append(l.isEmpty() ? "//" : "// " + sanitize(l)).append('\n');
    }
    return this;
  }

  /** {@code head {}, then the block's body one level deeper until {@link #close()}. */
  ClWriter open(String format, Object... args) {
    indent();
    format(format, args);
    out.append(" {\n");
    depth++;
    return this;
  }

  /** Ends the innermost block. */
  ClWriter close() {
    if (depth == 0) throw new IllegalStateException("close() without open()");
    depth--;
    indent();
    out.append("}\n");
    return this;
  }

  /**
   * Opens {@code __kernel void name(__global float* restrict arena, const int batch, <params>)}: the signature
   * every netc kernel has, the arena and batch first, then its read-only tensors.
   *
   * @param tensors names of the {@code __global const float* restrict} parameters, in argument order
   */
  ClWriter kernel(String name, List<String> tensors) {
    return kernel(name, tensors, 0);
  }

  /**
   * As {@link #kernel(String, List)}, declaring {@code reqd_work_group_size(workGroup, 1, 1)} when {@code
   * workGroup > 0}: kernels whose local arrays and reductions assume that size fail to launch with any other
   * (a clear error) instead of computing garbage.
   */
  ClWriter kernel(String name, List<String> tensors, int workGroup) {
    indent();
    if (workGroup > 0) out.append("__attribute__((reqd_work_group_size(").append(workGroup).append(", 1, 1)))\n");
    out.append("__kernel void ").append(name).append("(__global float* restrict arena, const int batch");
    for (String t : tensors) out.append(",\n").append("    __global const float* restrict ").append(t);
    out.append(") {\n");
    depth++;
    return this;
  }

  /** The text so far; every block must be closed. */
  String text() {
    if (depth != 0) throw new IllegalStateException(depth + " blocks still open");
    return out.toString();
  }

  /**
   * A float literal that reads back as exactly {@code v}: Java's shortest round-trip digits plus {@code f}
   * ({@code 0.2f}, {@code 1.0E-4f}; C accepts both forms).
   */
  static String f(float v) {
    if (Float.isNaN(v) || Float.isInfinite(v)) throw new IllegalArgumentException("no literal for " + v);
    return Float.toString(v) + "f";
  }

  /** {@link #f(float)} of a double attribute rounded to float, the precision the kernels compute in. */
  static String f(double v) {
    return f((float) v);
  }

  /** A {@code long} literal, for products that may pass 2^31 (offsets times the batch, flop counts). */
  static String l(long v) {
    return v + "L";
  }

  private void indent() {
    for (int i = 0; i < depth; i++) out.append("  ");
  }

  /** Keeps a comment a comment: no newline or comment terminator can come from a layer name. */
  private static String sanitize(String s) {
    return s.replace("*/", "* /").replace('\r', ' ');
  }
}
