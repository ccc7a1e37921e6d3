package dev.netc.processor.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses and evaluates {@code bind} entries, {@code "attribute = expression"}, and converts each value to the
 * type of the attribute it sets: a whole number ({@code filters}), a decimal ({@code eps}, {@code rate}), or
 * one or two whole numbers ({@code kernel = {1, n}}, or {@code kernel = n} for a square). The same syntax
 * gives a block its parameters on {@code @Use(bind = ...)}.
 */
final class Bindings {
  private Bindings() {}

  /** One entry, split at its '='; null when it has no single '='. */
  record Entry(String target, String expression) {
    static Entry parse(String entry) {
      int eq = entry.indexOf('=');
      if (eq < 0 || entry.startsWith("=", eq + 1) || (eq > 0 && "!<>".indexOf(entry.charAt(eq - 1)) >= 0)) return null;
      String target = entry.substring(0, eq).trim();
      if (target.isEmpty()) return null;
      return new Entry(target, entry.substring(eq + 1).trim());
    }

    /** Whether the right side is a braced list, {@code {1, n}}. */
    boolean isList() {
      return expression.startsWith("{");
    }
  }

  /** What the user got wrong in a value that parsed and evaluated; the message is complete. */
  static final class TypeMismatch extends Exception {
    TypeMismatch(String message) {
      super(message);
    }
  }

  /**
   * The value for an attribute whose current (default) value is {@code current}: an Integer, a Double, or a
   * List of Integers for array attributes.
   */
  static Object value(Entry e, Object current, Expr.Names names) throws Expr.ExprException, TypeMismatch {
    if (current instanceof List) {
      List<Integer> out = new ArrayList<>();
      for (String part : parts(e)) out.add(whole(e, Expr.evaluate(part, names)));
      return out;
    }
    if (e.isList()) {
      throw new TypeMismatch(e.target() + " takes one value, but the bind gives a list: " + e.expression());
    }
    Number v = Expr.evaluate(e.expression(), names);
    if (current instanceof Double) return v.doubleValue();
    return whole(e, v);
  }

  /** A parameter's value for {@code @Use(bind = ...)}: one number, whole or decimal. */
  static Number number(Entry e, Expr.Names names) throws Expr.ExprException, TypeMismatch {
    if (e.isList()) throw new TypeMismatch("block parameter " + e.target() + " takes one number, not a list");
    return Expr.evaluate(e.expression(), names);
  }

  private static Integer whole(Entry e, Number v) throws TypeMismatch {
    if (v instanceof Integer i) return i;
    double d = v.doubleValue();
    throw new TypeMismatch(e.target() + " takes a whole number, but \"" + e.expression() + "\" gives " + d
        + (d == Math.rint(d) ? "; use integer arithmetic (planes / 2, not planes * 0.5)" : ""));
  }

  /** The expressions of {@code {a, b}}, or the one expression. */
  private static List<String> parts(Entry e) throws Expr.ExprException {
    String x = e.expression();
    if (!e.isList()) return List.of(x);
    if (!x.endsWith("}")) throw new Expr.ExprException("in \"" + x + "\": a list must end with '}'");
    List<String> out = new ArrayList<>();
    for (String p : x.substring(1, x.length() - 1).split(",", -1)) out.add(p.trim());
    return out;
  }
}
