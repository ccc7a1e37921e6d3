package dev.netc.runtime.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the header of a {@code .npy} file: a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 227, 227), }}.
 *
 * <p>Only what NumPy writes there is understood: strings in either quote, {@code True}, {@code False},
 * {@code None}, integers (with Python 2's {@code L} suffix, as old files have), tuples and lists (trailing commas
 * allowed) and nested dicts. Strings map to String, integers to Long, tuples and lists to List, dicts to Map.
 */
final class NpyHeader {

  /** A header that is not such a dict literal; the message says where. */
  static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message);
    }
  }

  private static final Object NONE = new Object();

  private final String text;
  private int pos;

  private NpyHeader(String text) {
    this.text = text;
  }

  /** The dict the header holds. */
  static Map<String, Object> parse(String text) {
    NpyHeader p = new NpyHeader(text);
    p.skipSpace();
    if (p.peek() != '{') throw p.error("expected '{' starting a dict");
    Map<String, Object> dict = p.dict();
    p.skipSpace();
    if (p.pos < text.length()) throw p.error("unexpected text after the dict");
    return dict;
  }

  private Object value() {
    skipSpace();
    char c = peek();
    if (c == '{') return dict();
    if (c == '(') return sequence('(', ')');
    if (c == '[') return sequence('[', ']');
    if (c == '\'' || c == '"') return string();
    if (c == '-' || Character.isDigit(c)) return integer();
    if (Character.isLetter(c)) {
      int start = pos;
      while (Character.isLetterOrDigit(peek()) || peek() == '_') pos++;
      String word = text.substring(start, pos);
      switch (word) {
        case "True": return Boolean.TRUE;
        case "False": return Boolean.FALSE;
        case "None": return NONE;
        default:
          pos = start;
          throw error("unexpected word '" + word + "'");
      }
    }
    throw error(pos >= text.length() ? "unexpected end of header" : "unexpected '" + c + "'");
  }

  private Map<String, Object> dict() {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++; // '{'
    while (true) {
      skipSpace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      if (peek() != '\'' && peek() != '"') throw error("expected a quoted key or '}'");
      String key = string();
      skipSpace();
      if (peek() != ':') throw error("expected ':' after key '" + key + "'");
      pos++;
      Object v = value();
      map.put(key, v == NONE ? null : v);
      skipSpace();
      if (peek() == ',') {
        pos++;
      } else if (peek() != '}') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> sequence(char open, char close) {
    List<Object> list = new ArrayList<>();
    pos++; // open
    while (true) {
      skipSpace();
      if (peek() == close) {
        pos++;
        return list;
      }
      Object v = value();
      list.add(v == NONE ? null : v);
      skipSpace();
      if (peek() == ',') {
        pos++;
      } else if (peek() != close) {
        throw error("expected ',' or '" + close + "'");
      }
    }
  }

  private String string() {
    char quote = text.charAt(pos++);
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) throw error("unterminated string");
      char c = text.charAt(pos++);
      if (c == quote) return sb.toString();
      if (c == '\\' && pos < text.length()) {
        c = text.charAt(pos++); // dtype strings never need more than a literal escaped character
      }
      sb.append(c);
    }
  }

  private Long integer() {
    int start = pos;
    if (peek() == '-') pos++;
    if (!Character.isDigit(peek())) throw error("expected a digit");
    while (Character.isDigit(peek())) pos++;
    String digits = text.substring(start, pos);
    if (peek() == 'L' || peek() == 'l') pos++; // Python 2 long literal
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw error("integer " + digits + " is too large");
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
  }

  private SyntaxError error(String what) {
    return new SyntaxError("at character " + pos + " of the header: " + what);
  }
}
