package dev.netc.processor.passes;

import dev.netc.graph.Graph;

/** One rewrite of the graph: pure, {@code Graph -> Graph}, returning the input itself when nothing applies. */
public interface Pass {
  /** A short name for dumps and timing ("fuse-activation"). */
  String name();

  Graph apply(Graph graph);
}
