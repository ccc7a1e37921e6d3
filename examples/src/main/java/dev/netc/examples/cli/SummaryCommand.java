package dev.netc.examples.cli;

import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import java.util.List;

/**
 * {@code netc summary NAME}: the layers as described, the fused groups as they run, and totals. The text
 * depends only on the two graphs, so it is the same on every machine and run.
 */
final class SummaryCommand implements Command {

  @Override
  public int run(Args args, Context context) {
    args.expect(List.of("NAME"));
    String name = context.catalog().resolve(args.positional(0));
    context.out().print(render(context.catalog().graph(name), context.catalog().fusedGraph(name)));
    return 0;
  }

  /** The summary of a network given as described ({@code described}) and as it runs ({@code fused}). */
  static String render(Graph described, Graph fused) {
    StringBuilder s = new StringBuilder();
    s.append(described.name()).append(": input ").append(described.inputShape()).append(" -> output ")
        .append(described.outputShape()).append("\n\n");

    s.append("Layers (as described)\n");
    Table layers = new Table().left("layer").left("operation").left("output").right("parameters")
        .right("multiply-adds");
    for (Node n : described.nodes()) {
      layers.row(n.name(), n.op().label(), n.shape(), Table.countOrDash(described.parameterCount(n)),
          Table.countOrDash(described.macs(n)));
    }
    s.append(layers.render()).append('\n');

    s.append("Fused groups (as they run)\n");
    Table groups = new Table().right("#").left("group").left("operation").left("fuses").left("output");
    int launches = 0;
    for (Node n : fused.nodes()) {
      if (n.op() instanceof Input) continue;
      launches++;
      groups.row(launches, n.name(), n.op().label(), String.join(" + ", n.fusedFrom()), n.shape());
    }
    s.append(groups.render()).append('\n');

    s.append("Totals\n");
    s.append(Table.pairs("  ", List.of(
        new String[] {"parameters", Table.count(described.parameterCount())},
        new String[] {"multiply-adds per image", Table.count(described.macs())},
        new String[] {"kernel launches", Table.count(launches)})));
    return s.toString();
  }
}
