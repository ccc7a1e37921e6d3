package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {

  @Test
  void splitsCommandPositionalsAndOptions() {
    Args a = Args.parse("run", "alexnet", "--weights", "w.safetensors", "--input=x.npy", "--top", "5");
    assertEquals("run", a.command());
    assertEquals(List.of("alexnet"), a.positionals());
    assertEquals("w.safetensors", a.required("weights"));
    assertEquals("x.npy", a.required("input"));
    assertEquals(5, a.integer("top", 0, 1));
    assertFalse(a.has("output"));
    assertNull(a.string("output", null));
    assertFalse(a.help());
  }

  @Test
  void optionsMayComeBeforePositionals() {
    Args a = Args.parse("bench", "--batch", "8", "LeNet5");
    assertEquals(List.of("LeNet5"), a.positionals());
    assertEquals(8, a.integer("batch", 1, 1));
  }

  @Test
  void commandIsCaseInsensitiveAndEmptyLineHasNone() {
    assertEquals("list", Args.parse("LIST").command());
    assertNull(Args.parse().command());
  }

  @Test
  void helpFlagsAnywhere() {
    assertTrue(Args.parse("run", "-h").help());
    assertTrue(Args.parse("--help").help());
  }

  @Test
  void defaultsWhenAbsent() {
    Args a = Args.parse("bench", "x");
    assertEquals(1, a.integer("batch", 1, 1));
    assertEquals(3.0, a.seconds("warmup", 3, 0));
  }

  @Test
  void decimalSeconds() {
    assertEquals(0.5, Args.parse("bench", "x", "--seconds", "0.5").seconds("seconds", 5, 0.001));
  }

  @Test
  void missingValue() {
    UsageException e = assertThrows(UsageException.class, () -> Args.parse("run", "x", "--weights"));
    assertEquals("option --weights needs a value", e.getMessage());
    assertThrows(UsageException.class, () -> Args.parse("run", "x", "--weights", "--input", "a.npy"));
  }

  @Test
  void duplicateOption() {
    UsageException e = assertThrows(UsageException.class, () -> Args.parse("run", "--top", "1", "--top", "2"));
    assertEquals("option --top is given twice", e.getMessage());
  }

  @Test
  void singleDashOptionsAreRejectedButNegativeNumbersAreNot() {
    assertThrows(UsageException.class, () -> Args.parse("run", "-w", "x"));
    assertEquals(List.of("-3"), Args.parse("run", "-3").positionals());
  }

  @Test
  void badNumbers() {
    Args a = Args.parse("bench", "x", "--batch", "two", "--threads", "0", "--seconds", "-1", "--warmup", "NaN");
    assertEquals("option --batch needs a whole number, not 'two'",
        assertThrows(UsageException.class, () -> a.integer("batch", 1, 1)).getMessage());
    assertEquals("option --threads must be at least 1, not 0",
        assertThrows(UsageException.class, () -> a.integer("threads", 0, 1)).getMessage());
    assertThrows(UsageException.class, () -> a.seconds("seconds", 5, 0.001));
    assertThrows(UsageException.class, () -> a.seconds("warmup", 3, 0));
  }

  @Test
  void expectChecksPositionalsAndOptions() {
    Args.parse("summary", "x").expect(List.of("NAME"));
    UsageException missing = assertThrows(UsageException.class, () -> Args.parse("summary").expect(List.of("NAME")));
    assertEquals("'netc summary' needs NAME (1 missing)", missing.getMessage());
    UsageException extra = assertThrows(UsageException.class,
        () -> Args.parse("list", "x").expect(List.of()));
    assertEquals("'netc list' takes no arguments, but got also: x", extra.getMessage());
    UsageException unknown = assertThrows(UsageException.class,
        () -> Args.parse("bench", "x", "--bacth", "2").expect(List.of("NAME"), "batch", "backend"));
    assertEquals("'netc bench' has no option --bacth; its options are --backend, --batch", unknown.getMessage());
  }

  @Test
  void requiredOption() {
    UsageException e = assertThrows(UsageException.class, () -> Args.parse("run", "x").required("weights"));
    assertEquals("'netc run' needs --weights", e.getMessage());
  }

  @Test
  void doubleDashEndsOptions() {
    assertEquals(List.of("--weird"), Args.parse("summary", "--", "--weird").positionals());
  }

  @Test
  void backendParsing() {
    assertEquals(Backend.JAVA, Backend.parse("Java"));
    assertEquals(Backend.OPENCL, Backend.parse("OpenCL"));
    Backend auto = Backend.parse("auto").resolve();
    assertTrue(auto == Backend.JAVA || auto == Backend.OPENCL, "auto resolved to " + auto);
    assertEquals(Backend.REFERENCE, Backend.parse("reference").resolve());
    assertEquals("unknown backend 'cuda'; choose java, opencl, reference or auto",
        assertThrows(UsageException.class, () -> Backend.parse("cuda")).getMessage());
  }
}
