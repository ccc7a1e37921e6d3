package dev.netc.graph;

/**
 * What a {@link Node} computes. Each operation is an immutable record of its attributes; shapes are not
 * part of an operation but inferred for the node ({@link ShapeInference}).
 *
 * <p>Some records exist only after fusion ({@link LrnPool}, and the epilogue fields of {@link Conv} and
 * {@link Dense}); a freshly parsed graph never contains them.
 */
public sealed interface Op
    permits Input, Conv, Activation, Lrn, Pool, GlobalAvgPool, AdaptiveAvgPool, Dense, Dropout, Softmax,
        BatchNorm, Concat, Add, LrnPool, TableConv, Subsample {

  /** A short human-readable description, used in summaries, dumps and generated comments. */
  String label();

  /** Whether the operation reads learned parameters. */
  default boolean hasWeights() {
    return false;
  }
}
