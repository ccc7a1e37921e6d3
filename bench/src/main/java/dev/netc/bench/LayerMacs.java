package dev.netc.bench;

import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.runtime.Netc;
import java.util.StringJoiner;

/**
 * Prints, as JSON, the multiply-adds per image of every fused group of the networks named (description classes),
 * {@code {"LeNet5": {"conv1/relu": 117600, ...}, ...}}, from the fused graph ({@code Graph.macs(Node)}), for
 * {@code tools/bench/summarize_jmh.py --macs} to turn per-layer JMH times into GFLOP/s.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.netc.bench.LayerMacs dev.netc.bench.layers.LeNet5 ...</pre>
 */
public final class LayerMacs {
  private LayerMacs() {}

  public static void main(String[] args) throws ClassNotFoundException {
    StringJoiner networks = new StringJoiner(",\n", "{\n", "\n}");
    for (String className : args) {
      Graph fused = Netc.fusedGraph(Class.forName(className));
      StringJoiner groups = new StringJoiner(", ", "{", "}");
      for (Node n : fused.nodes()) {
        if (!(n.op() instanceof Input)) groups.add(quote(n.name()) + ": " + fused.macs(n));
      }
      networks.add("  " + quote(fused.name()) + ": " + groups);
    }
    System.out.println(networks);
  }

  /** Names are identifiers with dots and slashes: nothing to escape but the quotes themselves. */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
