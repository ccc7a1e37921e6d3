package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void alignsColumnsWithoutTrailingSpaces() {
    Table t = new Table().left("name").right("parameters").left("note");
    t.row("conv1", Table.count(34_944), "");
    t.row("fc", Table.count(4_097), "big layer");
    assertEquals(String.join("\n",
        "name   parameters  note",
        "-----  ----------  ---------",
        "conv1      34,944",
        "fc          4,097  big layer",
        ""), t.render());
  }

  @Test
  void indentAndNullCells() {
    Table t = new Table().indent("  ").right("a").left("b");
    t.row(1, null);
    assertEquals("  a  b\n  -  -\n  1\n", t.render());
  }

  @Test
  void emptyTableHasHeaderAndRule() {
    assertEquals("x\n-\n", new Table().left("x").render());
  }

  @Test
  void rowsMustMatchColumns() {
    Table t = new Table().left("a").left("b");
    assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    t.row("1", "2");
    assertThrows(IllegalStateException.class, () -> t.left("c"));
  }

  @Test
  void thousandsSeparatorsInEveryLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("62,378,344", Table.count(62_378_344));
      assertEquals("0", Table.count(0));
      assertEquals("999", Table.count(999));
      assertEquals("1,000", Table.count(1000));
      assertEquals("-1,234", Table.count(-1234));
      assertEquals("1,234.57", Table.decimal(1234.5678, 2));
      assertEquals("-", Table.countOrDash(0));
      assertEquals("7", Table.countOrDash(7));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void pairsAlignLabelsLeftAndValuesRight() {
    assertEquals("  a      1\n  long  10\n",
        Table.pairs("  ", List.of(new String[] {"a", "1"}, new String[] {"long", "10"})));
    assertEquals("  a     1 ms\n  long  10 ms\n",
        Table.pairs("  ", List.of(new String[] {"a", "1 ms"}, new String[] {"long", "10 ms"}), false));
  }
}
