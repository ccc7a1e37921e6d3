package dev.netc.examples.cli;

import dev.netc.graph.Graph;
import java.util.ArrayList;
import java.util.List;

/** {@code netc list}: the known networks with input and output shapes and parameter counts. */
final class ListCommand implements Command {

  @Override
  public int run(Args args, Context context) {
    args.expect(List.of());
    List<Graph> graphs = new ArrayList<>();
    for (String name : context.catalog().names()) graphs.add(context.catalog().graph(name));
    context.out().print(render(graphs));
    return 0;
  }

  /** One row per network, in the given order. */
  static String render(List<Graph> graphs) {
    Table t = new Table().left("network").left("input").left("output").right("parameters");
    for (Graph g : graphs) t.row(g.name(), g.inputShape(), g.outputShape(), Table.count(g.parameterCount()));
    return t.render();
  }
}
