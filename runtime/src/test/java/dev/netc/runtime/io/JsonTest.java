package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static String error(String text) {
    return assertThrows(Json.SyntaxError.class, () -> Json.parse(text)).getMessage();
  }

  @Test
  void scalars() {
    assertEquals(Boolean.TRUE, Json.parse("true"));
    assertEquals(Boolean.FALSE, Json.parse(" false "));
    assertNull(Json.parse("null"));
    assertEquals("", Json.parse("\"\""));
    assertEquals(0L, Json.parse("0"));
    assertEquals(0L, Json.parse("-0"));
    assertEquals(-17L, Json.parse("-17"));
    assertEquals(1.5, Json.parse("1.5"));
    assertEquals(-2.5e-3, Json.parse("-2.5E-3"));
    assertEquals(1e10, Json.parse("1e+10"));
  }

  @Test
  void integersUpToU64() {
    assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
    assertEquals(new BigInteger("18446744073709551615"), Json.parse("18446744073709551615"));
    assertEquals(123456789012345678L, Json.parse("123456789012345678"));
  }

  @Test
  void stringEscapes() {
    assertEquals("a\"b\\c/d\b\f\n\r\t", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""));
    assertEquals("é", Json.parse("\"\\u00e9\""));
    assertEquals("é", Json.parse("\"é\""));
    assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""), "surrogate pair");
    assertEquals("x\u0000y", Json.parse("\"x\\u0000y\""));
  }

  @Test
  void nestedStructuresKeepOrder() {
    Object v = Json.parse(" { \"z\" : [1, [], {}, [true, null]], \"a\": {\"k\": \"v\"} } ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("z", Arrays.asList(1L, List.of(), Map.of(), Arrays.asList(true, null)));
    expected.put("a", Map.of("k", "v"));
    assertEquals(expected, v);
    assertEquals(List.of("z", "a"), List.copyOf(((Map<?, ?>) v).keySet()));
  }

  @Test
  void quoteRoundTrips() {
    String s = "q\"b\\n\n\t\u0001é😀";
    StringBuilder sb = new StringBuilder();
    Json.quote(s, sb);
    assertEquals(s, Json.parse(sb.toString()));
  }

  @Test
  void errorsSayWhereAndWhat() {
    assertTrue(error("").contains("unexpected end of text, expected a value"));
    assertTrue(error("{\"a\":1,}").contains("character 7"));
    assertTrue(error("{\"a\":1,}").contains("expected a string key"));
    assertTrue(error("[1 2]").contains("expected ',' or ']'"));
    assertTrue(error("{\"a\" 1}").contains("expected ':'"));
    String m = error("{\n  \"a\": tru\n}");
    assertTrue(m.contains("line 2, column 8"), m);
    assertTrue(error("\"abc").contains("unterminated string"));
    assertTrue(error("\"a\\x\"").contains("invalid escape '\\x'"));
    assertTrue(error("\"\\u12g4\"").contains("invalid hex digit"));
    assertTrue(error("\"a\nb\"").contains("control character U+000A"));
    assertTrue(error("01").contains("after the end"));
    assertTrue(error("1.").contains("digit after the decimal point"));
    assertTrue(error("1e").contains("digit in the exponent"));
    assertTrue(error("-").contains("digit after '-'"));
    assertTrue(error("+1").contains("unexpected '+'"));
    assertTrue(error("{} x").contains("after the end"));
    assertTrue(error("{\"a\":1,\"a\":2}").contains("duplicate key \"a\""));
    assertTrue(error("NaN").contains("expected a value"));
    assertTrue(error("[\u00ff]").contains("U+00FF"));
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    String deep = "[".repeat(100_000);
    assertTrue(error(deep).contains("nesting deeper than"));
  }
}
