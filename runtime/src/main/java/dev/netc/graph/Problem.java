package dev.netc.graph;

/**
 * A mistake in a network description, found while building or checking its graph. The annotation processor
 * turns each into a javac error on the member named {@code node} and, when {@code attribute} is not empty,
 * on that annotation value.
 *
 * @param kind the rule that was broken (its {@link Kind#tag()} is stable and may be searched for)
 * @param node the node (layer) at fault
 * @param attribute the annotation member at fault ("stride", "from", ...), or empty for the layer as a whole
 * @param message what is wrong, expected against actual, and how to fix it
 */
public record Problem(Kind kind, String node, String attribute, String message) {

  /** The rules a description must follow. */
  public enum Kind {
    NO_OUTPUT("netc.no-output"),
    DUPLICATE_NAME("netc.duplicate-name"),
    UNKNOWN_INPUT("netc.unknown-input"),
    CYCLE("netc.cycle"),
    UNUSED_LAYER("netc.unused-layer"),
    ARITY("netc.arity"),
    CHANNEL_MISMATCH("netc.channels"),
    GROUPS("netc.groups"),
    WINDOW_TOO_LARGE("netc.window-too-large"),
    OUTPUT_TOO_SMALL("netc.output-too-small"),
    OUT_OF_RANGE("netc.out-of-range"),
    LRN_EVEN_SIZE("netc.lrn-even-size"),
    DROPOUT_RATE("netc.dropout-rate"),
    DENSE_NO_UNITS("netc.dense-units"),
    SHAPE_MISMATCH("netc.shape-mismatch"),
    DUPLICATE_WEIGHT("netc.duplicate-weight"),
    CONNECTION_TABLE("netc.connection-table");

    private final String tag;

    Kind(String tag) {
      this.tag = tag;
    }

    /** A stable identifier, printed in brackets after each message. */
    public String tag() {
      return tag;
    }
  }

  /** The message as javac shows it, tag included. */
  public String render() {
    return message + " [" + kind.tag() + "]";
  }
}
