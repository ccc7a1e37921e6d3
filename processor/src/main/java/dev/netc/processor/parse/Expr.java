package dev.netc.processor.parse;

import java.util.Map;

/**
 * Evaluates the integer expressions of {@code bind} and {@code @When} over block parameters:
 * literals, names, {@code + - * / %}, comparisons ({@code == != < <= > >=}), {@code && || !}, {@code ?:}
 * and parentheses, with Java's precedence. Booleans are integers (0 is false), as in C.
 */
final class Expr {
  /** A malformed expression or an unknown name; the message says which and where. */
  static final class ExprException extends Exception {
    ExprException(String message) {
      super(message);
    }
  }

  private final String text;
  private final Map<String, Integer> vars;
  private int pos;

  private Expr(String text, Map<String, Integer> vars) {
    this.text = text;
    this.vars = vars;
  }

  static int evaluate(String text, Map<String, Integer> vars) throws ExprException {
    Expr e = new Expr(text, vars);
    int v = e.ternary();
    e.skipSpace();
    if (e.pos != text.length()) throw e.error("unexpected '" + text.charAt(e.pos) + "'");
    return v;
  }

  private int ternary() throws ExprException {
    int c = or();
    if (eat("?")) {
      int a = ternary();
      if (!eat(":")) throw error("expected ':'");
      int b = ternary();
      return c != 0 ? a : b;
    }
    return c;
  }

  private int or() throws ExprException {
    int v = and();
    while (eat("||")) {
      int r = and();
      v = (v != 0 || r != 0) ? 1 : 0;
    }
    return v;
  }

  private int and() throws ExprException {
    int v = equality();
    while (eat("&&")) {
      int r = equality();
      v = (v != 0 && r != 0) ? 1 : 0;
    }
    return v;
  }

  private int equality() throws ExprException {
    int v = relational();
    while (true) {
      if (eat("==")) v = v == relational() ? 1 : 0;
      else if (eat("!=")) v = v != relational() ? 1 : 0;
      else return v;
    }
  }

  private int relational() throws ExprException {
    int v = additive();
    while (true) {
      if (eat("<=")) v = v <= additive() ? 1 : 0;
      else if (eat(">=")) v = v >= additive() ? 1 : 0;
      else if (eat("<")) v = v < additive() ? 1 : 0;
      else if (eat(">")) v = v > additive() ? 1 : 0;
      else return v;
    }
  }

  private int additive() throws ExprException {
    int v = multiplicative();
    while (true) {
      if (eat("+")) v += multiplicative();
      else if (eat("-")) v -= multiplicative();
      else return v;
    }
  }

  private int multiplicative() throws ExprException {
    int v = unary();
    while (true) {
      if (eat("*")) {
        v *= unary();
      } else if (eat("/") || eat("%")) {
        boolean div = text.charAt(pos - 1) == '/';
        int r = unary();
        if (r == 0) throw error("division by zero");
        v = div ? v / r : v % r;
      } else {
        return v;
      }
    }
  }

  private int unary() throws ExprException {
    if (eat("!")) return unary() == 0 ? 1 : 0;
    if (eat("-")) return -unary();
    if (eat("(")) {
      int v = ternary();
      if (!eat(")")) throw error("expected ')'");
      return v;
    }
    skipSpace();
    int start = pos;
    if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
      try {
        return Integer.parseInt(text.substring(start, pos));
      } catch (NumberFormatException e) {
        throw error("number too large");
      }
    }
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
    if (start == pos) throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "'" : "unexpected end");
    String name = text.substring(start, pos);
    Integer v = vars.get(name);
    if (v == null) {
      pos = start; // point at the name, not past it
      throw error("unknown name '" + name + "'; known: " + String.join(", ", new java.util.TreeSet<>(vars.keySet())));
    }
    return v;
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
