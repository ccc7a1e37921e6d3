package dev.netc.processor.parse;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExprTest {
  private static final Map<String, Integer> VARS = Map.of("planes", 64, "stride", 2, "index", 0);

  private static Number eval(String text) throws Expr.ExprException {
    return Expr.evaluate(text, VARS);
  }

  private static String error(String text) {
    return assertThrows(Expr.ExprException.class, () -> eval(text)).getMessage();
  }

  @Test
  void arithmeticPrecedenceAndAssociativity() throws Exception {
    assertThat(eval("1 + 2 * 3")).isEqualTo(7);
    assertThat(eval("(1 + 2) * 3")).isEqualTo(9);
    assertThat(eval("10 - 4 - 3")).isEqualTo(3);
    assertThat(eval("100 / 10 / 5")).isEqualTo(2);
    assertThat(eval("7 / 2")).isEqualTo(3);
    assertThat(eval("-7 / 2")).isEqualTo(-3); // Java's truncating division
    assertThat(eval("7 % 3 * 2")).isEqualTo(2);
    assertThat(eval("2 + 7 % 3")).isEqualTo(3);
    assertThat(eval("-3 + 5")).isEqualTo(2);
    assertThat(eval("1 - -1")).isEqualTo(2);
    assertThat(eval("planes * 4")).isEqualTo(256);
    assertThat(eval("  planes/stride  ")).isEqualTo(32);
    assertThat(eval("((planes))")).isEqualTo(64);
  }

  @Test
  void comparisonsAreOneOrZero() throws Exception {
    assertThat(eval("1 < 2")).isEqualTo(1);
    assertThat(eval("2 < 2")).isEqualTo(0);
    assertThat(eval("2 <= 2")).isEqualTo(1);
    assertThat(eval("3 > 2")).isEqualTo(1);
    assertThat(eval("2 >= 3")).isEqualTo(0);
    assertThat(eval("index == 0")).isEqualTo(1);
    assertThat(eval("stride != 1")).isEqualTo(1);
    assertThat(eval("1 + 2 == 3")).isEqualTo(1); // arithmetic binds tighter
    assertThat(eval("1 < 2 == 1")).isEqualTo(1); // relational binds tighter than equality
    assertThat(eval("3 > 2 > 1")).isEqualTo(0); // left to right: (3 > 2) > 1
  }

  @Test
  void logicalOperators() throws Exception {
    assertThat(eval("1 && 0")).isEqualTo(0);
    assertThat(eval("2 && 3")).isEqualTo(1); // non-zero is true; the result is 1
    assertThat(eval("0 || 5")).isEqualTo(1);
    assertThat(eval("0 || 0")).isEqualTo(0);
    assertThat(eval("1 || 0 && 0")).isEqualTo(1); // && binds tighter than ||
    assertThat(eval("!0")).isEqualTo(1);
    assertThat(eval("!7")).isEqualTo(0);
    assertThat(eval("!!7")).isEqualTo(1);
    assertThat(eval("!index && stride != 1")).isEqualTo(1);
    assertThat(eval("!(1 == 1)")).isEqualTo(0);
    assertThat(eval("index == 0 && (stride != 1 || planes != 64)")).isEqualTo(1);
  }

  @Test
  void ternary() throws Exception {
    assertThat(eval("index == 0 ? stride : 1")).isEqualTo(2);
    assertThat(Expr.evaluate("index == 0 ? stride : 1", Map.of("index", 1, "stride", 2))).isEqualTo(1);
    assertThat(eval("0 ? 1 : 0 ? 2 : 3")).isEqualTo(3); // right-associative
    assertThat(eval("1 ? 0 ? 4 : 5 : 6")).isEqualTo(5);
    assertThat(eval("1 + 1 ? 10 : 20")).isEqualTo(10); // the condition is the whole left side
    assertThat(eval("(0 ? 1 : 2) * 3")).isEqualTo(6);
  }

  @Test
  void divisionByZeroIsAnError() {
    assertThat(error("4 / (2 - 2)")).contains("division by zero");
    assertThat(error("5 % index")).contains("division by zero");
    assertThat(error("planes / 0")).startsWith("in expression \"planes / 0\"");
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    assertThat(error("plane * 2")).isEqualTo(
        "in expression \"plane * 2\" at 1: unknown name 'plane'; known: index, planes, stride");
    assertThat(error("planes + strides")).contains("at 10: unknown name 'strides'");
  }

  @Test
  void decimalsMakeDoublesAndWholeNumbersStayIntegers() throws Exception {
    assertThat(eval("0.001")).isEqualTo(0.001);
    assertThat(eval("1e-3")).isEqualTo(0.001);
    assertThat(eval("2.5E2")).isEqualTo(250.0);
    assertThat(eval("planes / 3")).isEqualTo(21); // both whole: integer division
    assertThat(eval("planes / 2.0")).isEqualTo(32.0);
    assertThat(eval("planes * 0.5")).isEqualTo(32.0);
    assertThat(eval("1 + 0.5")).isEqualTo(1.5);
    assertThat(eval("-0.25")).isEqualTo(-0.25);
    assertThat(eval("0.5 < 1")).isEqualTo(1);
    assertThat(eval("2 == 2.0")).isEqualTo(1);
    assertThat(eval("0.0 ? 1 : 2")).isEqualTo(2);
    assertThat(eval("stride != 1 ? 0.1 : 0.2")).isEqualTo(0.1);
  }

  @Test
  void dottedNamesAreOneName() throws Exception {
    Map<String, Number> vars = Map.of("in.channels", 256, "planes", 64);
    assertThat(Expr.evaluate("in.channels != planes * 4", vars)).isEqualTo(0);
    assertThat(Expr.evaluate("in.channels / planes", vars)).isEqualTo(4);
    assertThat(assertThrows(Expr.ExprException.class, () -> Expr.evaluate("in.chanels", vars)).getMessage())
        .isEqualTo("in expression \"in.chanels\" at 1: unknown name 'in.chanels'; known: in.channels, planes");
  }

  @Test
  void theSideThatCannotMatterIsCheckedButNotEvaluated() throws Exception {
    java.util.List<String> asked = new java.util.ArrayList<>();
    Expr.Names names = new Expr.Names() {
      @Override
      public Number get(String name) {
        asked.add(name);
        return VARS.getOrDefault(name, 256);
      }

      @Override
      public java.util.Collection<String> known() {
        return java.util.List.of("index", "stride", "in.channels");
      }
    };
    assertThat(Expr.evaluate("index != 0 && in.channels != 64", names)).isEqualTo(0);
    assertThat(Expr.evaluate("index == 0 || in.channels != 64", names)).isEqualTo(1);
    assertThat(Expr.evaluate("index == 0 ? 1 : in.channels / 0", names)).isEqualTo(1);
    assertThat(asked).containsExactly("index", "index", "index");
    assertThat(Expr.evaluate("index == 0 && in.channels != 64", names)).isEqualTo(1);
    assertThat(asked).contains("in.channels");
    // a mistake in the skipped side is still a mistake
    assertThat(assertThrows(Expr.ExprException.class, () -> Expr.evaluate("index != 0 && in.chanels", names))
        .getMessage()).contains("unknown name 'in.chanels'");
    assertThat(assertThrows(Expr.ExprException.class, () -> Expr.evaluate("1 || (2", names)).getMessage())
        .contains("expected ')'");
  }

  @Test
  void integerOverflowIsAnError() {
    assertThat(error("65536 * 65536")).contains("integer overflow in 65536 * 65536");
    assertThat(error("2147483647 + 1")).contains("integer overflow");
  }

  @Test
  void syntaxErrors() {
    assertThat(error("1e")).contains("malformed number");
    assertThat(error("1.5.2")).contains("at 4: unexpected '.'");
    assertThat(error("1 +")).contains("unexpected end");
    assertThat(error("")).contains("unexpected end");
    assertThat(error("(1 + 2")).contains("expected ')'");
    assertThat(error("1 ? 2")).contains("expected ':'");
    assertThat(error("1 2")).contains("at 3: unexpected '2'");
    assertThat(error("planes = 4")).contains("unexpected '='");
    assertThat(error("1 & 2")).contains("unexpected '&'");
    assertThat(error("1 | 2")).contains("unexpected '|'");
    assertThat(error("2 ** 3")).contains("unexpected '*'");
    assertThat(error("99999999999")).contains("number too large");
  }
}
