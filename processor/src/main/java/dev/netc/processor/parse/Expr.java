package dev.netc.processor.parse;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * Evaluates the expressions of {@code bind} and {@code @When} over block parameters: literals (whole numbers
 * such as {@code 64}, decimals such as {@code 0.001} or {@code 1e-3}), names ({@code planes}, {@code index},
 * {@code in.channels}), {@code + - * / %}, comparisons ({@code == != < <= > >=}), {@code && || !},
 * {@code ?:} and parentheses, with Java's precedence. Booleans are integers (0 is false), as in C.
 *
 * <p>Values are {@link Integer} or {@link Double}: arithmetic on two integers stays integral (division
 * truncates, as in Java; overflow is an error rather than a silently wrong layer size) and becomes a double as
 * soon as one side is a double, so {@code planes / 2} is a whole number and {@code rate * 0.5} is not.
 */
final class Expr {
  /** A malformed expression or an unknown name; the message says which and where. */
  static class ExprException extends Exception {
    ExprException(String message) {
      super(message);
    }
  }

  /**
   * A name whose value could not be found because of a mistake already reported (say, a shape error upstream
   * of {@code in.channels}): the expression fails without a second message.
   */
  static final class AlreadyReported extends ExprException {
    AlreadyReported() {
      super("already reported");
    }
  }

  /** The names an expression may read. */
  interface Names {
    /** The value of {@code name}, or null when there is no such name. */
    Number get(String name) throws ExprException;

    /** Every name, for the message about an unknown one. */
    Collection<String> known();

    static Names of(Map<String, ? extends Number> vars) {
      return new Names() {
        @Override
        public Number get(String name) {
          return vars.get(name);
        }

        @Override
        public Collection<String> known() {
          return vars.keySet();
        }
      };
    }
  }

  private final String text;
  private final Names names;
  private int pos;
  /**
   * Inside the side of {@code && || ?:} whose value cannot matter: parsed and checked, but names are not looked
   * up (so {@code index == 0 && in.channels != planes} infers shapes only for the first copy) and a division
   * by zero there is no error.
   */
  private boolean skipping;

  private Expr(String text, Names names) {
    this.text = text;
    this.names = names;
  }

  static Number evaluate(String text, Map<String, ? extends Number> vars) throws ExprException {
    return evaluate(text, Names.of(vars));
  }

  static Number evaluate(String text, Names names) throws ExprException {
    Expr e = new Expr(text, names);
    Number v = e.ternary();
    e.skipSpace();
    if (e.pos != text.length()) throw e.error("unexpected '" + text.charAt(e.pos) + "'");
    return v;
  }

  private static boolean truth(Number n) {
    return n.doubleValue() != 0;
  }

  private static Integer bool(boolean b) {
    return b ? 1 : 0;
  }

  private static boolean integral(Number a, Number b) {
    return a instanceof Integer && b instanceof Integer;
  }

  private Number ternary() throws ExprException {
    Number c = or();
    if (eat("?")) {
      boolean yes = truth(c);
      Number a = skipIf(!yes, this::ternary);
      if (!eat(":")) throw error("expected ':'");
      Number b = skipIf(yes, this::ternary);
      return yes ? a : b;
    }
    return c;
  }

  private Number or() throws ExprException {
    Number v = and();
    while (eat("||")) {
      boolean left = truth(v);
      Number r = skipIf(left, this::and);
      v = bool(left || truth(r));
    }
    return v;
  }

  private Number and() throws ExprException {
    Number v = equality();
    while (eat("&&")) {
      boolean left = truth(v);
      Number r = skipIf(!left, this::equality);
      v = bool(left && truth(r));
    }
    return v;
  }

  private interface Part {
    Number parse() throws ExprException;
  }

  /** Parses {@code part}, without evaluating names when {@code skip} (its value is not needed). */
  private Number skipIf(boolean skip, Part part) throws ExprException {
    boolean was = skipping;
    skipping = was || skip;
    try {
      return part.parse();
    } finally {
      skipping = was;
    }
  }

  private Number equality() throws ExprException {
    Number v = relational();
    while (true) {
      if (eat("==")) v = bool(compare(v, relational()) == 0);
      else if (eat("!=")) v = bool(compare(v, relational()) != 0);
      else return v;
    }
  }

  private Number relational() throws ExprException {
    Number v = additive();
    while (true) {
      if (eat("<=")) v = bool(compare(v, additive()) <= 0);
      else if (eat(">=")) v = bool(compare(v, additive()) >= 0);
      else if (eat("<")) v = bool(compare(v, additive()) < 0);
      else if (eat(">")) v = bool(compare(v, additive()) > 0);
      else return v;
    }
  }

  private static int compare(Number a, Number b) {
    return integral(a, b) ? Integer.compare(a.intValue(), b.intValue())
        : Double.compare(a.doubleValue(), b.doubleValue());
  }

  private Number additive() throws ExprException {
    Number v = multiplicative();
    while (true) {
      if (eat("+")) v = arithmetic('+', v, multiplicative());
      else if (eat("-")) v = arithmetic('-', v, multiplicative());
      else return v;
    }
  }

  private Number multiplicative() throws ExprException {
    Number v = unary();
    while (true) {
      if (eat("*")) v = arithmetic('*', v, unary());
      else if (eat("/")) v = arithmetic('/', v, unary());
      else if (eat("%")) v = arithmetic('%', v, unary());
      else return v;
    }
  }

  private Number arithmetic(char op, Number a, Number b) throws ExprException {
    if ((op == '/' || op == '%') && b.doubleValue() == 0) {
      if (skipping) return 0;
      throw error("division by zero");
    }
    if (integral(a, b)) {
      int x = a.intValue(), y = b.intValue();
      try {
        switch (op) {
          case '+': return Math.addExact(x, y);
          case '-': return Math.subtractExact(x, y);
          case '*': return Math.multiplyExact(x, y);
          case '/': return x / y;
          default: return x % y;
        }
      } catch (ArithmeticException e) {
        throw error("integer overflow in " + x + " " + op + " " + y);
      }
    }
    double x = a.doubleValue(), y = b.doubleValue();
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/': return x / y;
      default: return x % y;
    }
  }

  private Number unary() throws ExprException {
    if (eat("!")) return bool(!truth(unary()));
    if (eat("-")) {
      Number v = unary();
      return v instanceof Integer i ? (Number) (-i) : (Number) (-v.doubleValue());
    }
    if (eat("(")) {
      Number v = ternary();
      if (!eat(")")) throw error("expected ')'");
      return v;
    }
    skipSpace();
    int start = pos;
    if (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) return number(start);
    while (pos < text.length() && isNameChar(text.charAt(pos))) pos++;
    if (start == pos) throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "'" : "unexpected end");
    String name = text.substring(start, pos);
    Number v = skipping ? (names.known().contains(name) ? (Number) 0 : null) : names.get(name);
    if (v == null) {
      pos = start; // point at the name, not past it
      throw error("unknown name '" + name + "'; known: " + String.join(", ", new TreeSet<>(names.known())));
    }
    return v;
  }

  /** Letters, digits, '_' and '.' (for {@code in.channels}). */
  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }

  /** {@code 64} is an Integer; {@code 0.5}, {@code 1e-3}, {@code 2.} are Doubles. */
  private Number number(int start) throws ExprException {
    boolean decimal = false;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
    if (pos < text.length() && text.charAt(pos) == '.') {
      decimal = true;
      pos++;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      int mark = pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
      if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        decimal = true;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
      } else {
        pos = mark;
        throw error("malformed number");
      }
    }
    String literal = text.substring(start, pos);
    try {
      if (decimal) return Double.parseDouble(literal);
      return Integer.parseInt(literal);
    } catch (NumberFormatException e) {
      pos = start;
      throw error(decimal ? "malformed number" : "number too large");
    }
  }

  private boolean eat(String token) {
    skipSpace();
    if (!text.startsWith(token, pos)) return false;
    // Do not take '<' from "<=", '!' from "!=", '=' alone, or '&'/'|' singles.
    if ((token.equals("<") || token.equals(">") || token.equals("!")) && text.startsWith("=", pos + 1)) return false;
    pos += token.length();
    return true;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
  }

  private ExprException error(String what) {
    return new ExprException("in expression \"" + text + "\" at " + (pos + 1) + ": " + what);
  }
}
