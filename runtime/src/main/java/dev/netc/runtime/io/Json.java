package dev.netc.runtime.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON parser (RFC 8259) for safetensors headers, so the runtime needs no JSON library.
 *
 * <p>Values map to Java as: object to {@code LinkedHashMap<String, Object>} (file order kept, which is how
 * {@link SafeTensors#names()} keeps it), array to {@code List<Object>}, string to {@code String}, {@code
 * true}/{@code false} to {@code Boolean}, {@code null} to {@code null}, an integer to {@code Long} (or
 * {@code BigInteger} when it does not fit: safetensors offsets are u64), any other number to {@code Double}.
 * A duplicate key is an error: a header naming a tensor twice is ambiguous, so we refuse it rather than pick one.
 *
 * <p>Errors are {@link SyntaxError}s that say where (line, column and character offset) and what was expected.
 *
 * <p>Public so that other small JSON documents of netc (the training history in checkpoints) need no second
 * parser.
 */
public final class Json {

  /** Malformed JSON; the message says where and what was expected. */
  public static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    SyntaxError(String message, int offset) {
      super(message);
      this.offset = offset;
    }

    /** The character offset of the problem in the parsed text. */
    int offset() {
      return offset;
    }
  }

  // Deep nesting would only come from a hostile or broken file; a cap keeps it from overflowing the stack.
  private static final int MAX_DEPTH = 512;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value that must make up the whole text (whitespace around it allowed). */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw p.error("unexpected " + p.describeHere() + " after the end of the JSON value");
    }
    return value;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }
    if (pos >= text.length()) {
      throw error("unexpected end of text, expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected " + describeHere() + ", expected a value");
    }
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++; // '{'
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + describeHere() + ", expected a string key");
      }
      int keyStart = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value(depth + 1);
      if (map.containsKey(key)) {
        throw new SyntaxError(at(keyStart) + ": duplicate key \"" + key + "\"", keyStart);
      }
      map.put(key, v);
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        return map;
      } else {
        throw error("unexpected " + describeHere() + ", expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    List<Object> list = new ArrayList<>();
    pos++; // '['
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth + 1));
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ']') {
        pos++;
        return list;
      } else {
        throw error("unexpected " + describeHere() + ", expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = null; // only allocated when the string has escapes
    int start = pos;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw error("control character U+" + String.format("%04X", (int) c) + " in a string (must be escaped)");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      sb.append(text, start, pos);
      pos++;
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"': sb.append('"'); break;
        case '\\': sb.append('\\'); break;
        case '/': sb.append('/'); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'n': sb.append('\n'); break;
        case 'r': sb.append('\r'); break;
        case 't': sb.append('\t'); break;
        case 'u': sb.append(hex4()); break;
        default:
          pos--;
          throw error("invalid escape '\\" + e + "' in a string");
      }
      start = pos;
    }
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos), 16);
      if (d < 0) {
        throw error("invalid hex digit " + describeHere() + " in a \\u escape");
      }
      v = v * 16 + d;
      pos++;
    }
    // Surrogate pairs arrive as two escapes; appending each char reassembles them as Java strings are UTF-16.
    return (char) v;
  }

  private Object number() {
    int start = pos;
    boolean integer = true;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) pos++;
    } else {
      throw error("expected a digit after '-'");
    }
    if (peek() == '.') {
      integer = false;
      pos++;
      if (!isDigit(peek())) throw error("expected a digit after the decimal point");
      while (isDigit(peek())) pos++;
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      pos++;
      if (peek() == '+' || peek() == '-') pos++;
      if (!isDigit(peek())) throw error("expected a digit in the exponent");
      while (isDigit(peek())) pos++;
    }
    String s = text.substring(start, pos);
    if (!integer) {
      return Double.parseDouble(s);
    }
    // Up to 18 digits always fit in a long; longer ones may not.
    if (s.length() <= 18) {
      return Long.parseLong(s);
    }
    BigInteger big = new BigInteger(s);
    return big.bitLength() < 64 ? (Object) big.longValue() : big;
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected " + describeHere() + ", expected a value");
    }
    pos += word.length();
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("unexpected " + describeHere() + ", expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      pos++;
    }
  }

  private String describeHere() {
    if (pos >= text.length()) return "end of text";
    char c = text.charAt(pos);
    return c < 0x20 || c > 0x7e ? String.format("character U+%04X", (int) c) : "'" + c + "'";
  }

  private SyntaxError error(String what) {
    return new SyntaxError(at(pos) + ": " + what, pos);
  }

  /** "line 3, column 7 (character 41)": lines and columns count from 1 as editors show them. */
  private String at(int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1) + " (character " + offset + ")";
  }

  /** Writes {@code s} as a JSON string literal, quotes included. */
  public static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
