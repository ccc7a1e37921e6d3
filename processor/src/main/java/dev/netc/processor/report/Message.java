package dev.netc.processor.report;

/**
 * The processor's own messages, for mistakes found while reading annotations (the graph rules are in
 * {@link dev.netc.graph.Problem.Kind}). Each has a stable tag printed after the text; the text is a
 * {@link String#format} pattern.
 */
public enum Message {
  MISSING_INPUT("netc.missing-input", "@Network class %s needs @Input(channels = ..., height = ..., width = ...)"
      + " to say what one image looks like"),
  NOT_A_CLASS("netc.not-a-class", "@Network and @Block go on classes, not on %s"),
  ARRAY_ARITY("netc.arity-value", "%s takes one number (square) or two (height, width), but got %d"),
  MISSING_KERNEL("netc.missing-kernel", "@Conv needs a kernel size: write kernel = 3 or kernel = {1, 7}"),
  FROM_WITHOUT_LAYER("netc.from-without-layer", "field %s has @From but no layer annotation (@Conv, @Dense, ...);"
      + " add one or remove @From"),
  WHEN_OUTSIDE_BLOCK("netc.when-outside-block", "@When only applies inside a @Block; in a network, remove the"
      + " layer instead"),
  RESERVED_NAME("netc.reserved-name", "'%s' is reserved for %s; rename the field"),
  USE_NOT_A_BLOCK("netc.use-not-block", "@Use names %s, which is not annotated with @Block"),
  USE_ARGS("netc.use-args", "block %s takes %d parameter(s) (%s) but @Use gives %d; write args = {%s}"),
  USE_WITH_LAYERS("netc.use-with-layers", "a field with @Use cannot carry other layer annotations (%s); declare"
      + " them on the next field"),
  USE_REPEAT("netc.use-repeat", "repeat must be at least 1, but it is %d"),
  BLOCK_EMPTY("netc.block-empty", "block %s has no layers"),
  BLOCK_RECURSION("netc.block-recursion", "block %s uses itself (%s); blocks cannot be recursive"),
  BIND_SYNTAX("netc.bind-syntax", "bind entry \"%s\" must look like \"attribute = expression\""),
  BIND_ATTRIBUTE("netc.bind-attribute", "@%s has no attribute '%s' that bind can set; bindable: %s"),
  BIND_TYPE("netc.bind-type", "bind on %s: %s"),
  USE_BIND_UNKNOWN("netc.use-bind", "block %s has no parameter '%s' to bind; its parameters: %s"),
  USE_BIND_TWICE("netc.use-bind", "parameter '%s' of block %s is given twice, by args and by bind; give it once"),
  USE_MISSING("netc.use-args", "block %s needs parameter(s) %s, which @Use does not give; add them to args or"
      + " bind (\"%s = ...\")"),
  BIND_OUTSIDE_BLOCK("netc.bind-outside-block", "bind only applies inside a @Block, where there are parameters"
      + " to bind to; write the value directly"),
  EXPRESSION("netc.expression", "%s"),
  BENCHMARK_WITHOUT_JMH("netc.benchmark-without-jmh", "benchmark = true needs JMH at compile time, but"
      + " org.openjdk.jmh.annotations.Benchmark is not on the class path; add org.openjdk.jmh:jmh-core (and"
      + " jmh-generator-annprocess as an annotation processor), or remove benchmark = true. No %s written"),
  BENCHMARK_PRIVATE("netc.benchmark-private", "benchmark = true needs a description that %s can name, but %s is"
      + " private; make it package-private or public. No benchmark written"),
  INTERNAL_ERROR("netc.internal", "internal error in netc while processing %s, please report it with this"
      + " trace: %s");

  private final String tag;
  private final String format;

  Message(String tag, String format) {
    this.tag = tag;
    this.format = format;
  }

  public String tag() {
    return tag;
  }

  /** The text with its arguments and tag, as javac prints it. */
  public String format(Object... args) {
    return String.format(format, args) + " [" + tag + "]";
  }
}
