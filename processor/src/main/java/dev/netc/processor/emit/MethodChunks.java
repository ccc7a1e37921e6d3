package dev.netc.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Keeps generated methods short. Code that grows with the network (loading every weight, enqueuing every
 * kernel) would otherwise make one method per network, and for ResNet-152 such a method is 35-40 KB of
 * bytecode: over HotSpot's {@code -XX:HugeMethodLimit} of 8,000 bytes, so never JIT-compiled, and on the way to
 * the class file's 64 KB limit. Units of code (all statements of one layer, which may share locals) are
 * grouped in order into private methods of a bounded number of units, and the caller gets the calls.
 *
 * <p>A network small enough for one chunk keeps its code inline, exactly as before. {@link #dispatch} does the
 * same for a {@code switch} over the units (run unit {@code k} alone).
 */
public final class MethodChunks {
  /**
   * Units per method. The largest unit today (a batch norm's six statements) is under 250 bytes of bytecode,
   * a kernel launch about 100, so 24 units stay well below 8,000 bytes.
   */
  public static final int UNITS_PER_METHOD = 24;

  private MethodChunks() {}

  /**
   * The code of {@code units}, inline when they fit one method, else as calls to {@code <prefix>0},
   * {@code <prefix>1}, ... (added to {@code type}), each taking {@code parameters} and passing on the
   * arguments of the same names.
   */
  public static CodeBlock inline(TypeSpec.Builder type, String prefix, String doc, List<CodeBlock> units,
      List<ParameterSpec> parameters) {
    CodeBlock.Builder out = CodeBlock.builder();
    if (units.size() <= UNITS_PER_METHOD) {
      for (CodeBlock u : units) out.add(u);
      return out.build();
    }
    StringBuilder args = new StringBuilder();
    for (ParameterSpec p : parameters) args.append(args.length() == 0 ? "" : ", ").append(p.name());
    for (int from = 0, chunk = 0; from < units.size(); from += UNITS_PER_METHOD, chunk++) {
      int to = Math.min(units.size(), from + UNITS_PER_METHOD);
      MethodSpec.Builder m = MethodSpec.methodBuilder(prefix + chunk)
          .addJavadoc("$L, part $L ($L of $L to $L).\n", doc, chunk, "units", from, to - 1)
          .addModifiers(Modifier.PRIVATE)
          .addParameters(parameters);
      for (CodeBlock u : units.subList(from, to)) m.addCode(u);
      type.addMethod(m.build());
      out.addStatement("$N($L)", prefix + chunk, args);
    }
    return out.build();
  }

  /**
   * A {@code switch} on the first parameter (an {@code int}) that runs {@code cases.get(k)} for {@code k}, as
   * one statement when {@code perMethod} cases or fewer, else split by ranges of {@code perMethod} cases into
   * {@code <prefix>0}, {@code <prefix>1}, ... (added to {@code type}, each taking {@code parameters}), which the
   * returned code picks by {@code k / perMethod}. Values outside {@code 0 .. cases.size() - 1} run nothing.
   *
   * @param perMethod cases per method: at most {@link #UNITS_PER_METHOD} divided by the largest number of units
   *     one case holds, so that every method stays as short as {@link #inline}'s
   */
  public static CodeBlock dispatch(TypeSpec.Builder type, String prefix, String doc, List<CodeBlock> cases,
      List<ParameterSpec> parameters, int perMethod) {
    String selector = parameters.get(0).name();
    if (cases.size() <= perMethod) return cases(selector, cases, 0);
    StringBuilder args = new StringBuilder();
    for (ParameterSpec p : parameters) args.append(args.length() == 0 ? "" : ", ").append(p.name());
    CodeBlock.Builder out = CodeBlock.builder().beginControlFlow("switch ($N / $L)", selector, perMethod);
    for (int from = 0, chunk = 0; from < cases.size(); from += perMethod, chunk++) {
      int to = Math.min(cases.size(), from + perMethod);
      type.addMethod(MethodSpec.methodBuilder(prefix + chunk)
          .addJavadoc("$L, part $L ($L $L to $L).\n", doc, chunk, selector, from, to - 1)
          .addModifiers(Modifier.PRIVATE)
          .addParameters(parameters)
          .addCode(cases(selector, cases.subList(from, to), from))
          .build());
      out.addStatement("case $L -> $N($L)", chunk, prefix + chunk, args);
    }
    return out.endControlFlow().build();
  }

  /** {@code switch (selector) { case first -> { ... } ... }}. */
  private static CodeBlock cases(String selector, List<CodeBlock> cases, int first) {
    CodeBlock.Builder out = CodeBlock.builder().beginControlFlow("switch ($N)", selector);
    for (int i = 0; i < cases.size(); i++) {
      out.beginControlFlow("case $L ->", first + i).add(cases.get(i)).endControlFlow();
    }
    return out.endControlFlow().build();
  }
}
