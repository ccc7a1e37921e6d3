package dev.netc.examples.cli;

import dev.netc.graph.Graph;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import dev.netc.runtime.train.JavaTrainer;
import dev.netc.runtime.train.Trainer;
import java.util.List;

/**
 * The networks the tool knows, by name. {@link ZooCatalog} serves the example networks through their generated
 * models; tests serve hand-built graphs.
 */
public interface Catalog {

  /** The names to show, in the order {@code netc list} prints them. */
  List<String> names();

  /**
   * The canonical name of {@code name} (matched ignoring case).
   *
   * @throws UsageException naming the known networks when there is no such network
   */
  String resolve(String name);

  /** The network as described: one node per layer, shapes inferred. */
  Graph graph(String name);

  /** The network as it runs: one node per fused group. */
  Graph fusedGraph(String name);

  /**
   * A model of {@code name} on {@code backend} (Java, OpenCL or the reference interpreter); weights are
   * copied while loading, so the caller may close them afterwards.
   */
  Model load(String name, Backend backend, Weights weights);

  /**
   * The generated trainer of {@code name} (Java backend), starting from {@code initial} (copied).
   *
   * @throws CliException when the network cannot be trained
   */
  default JavaTrainer trainer(String name, Weights initial, int threads) {
    throw new CliException("this catalog has no trainers");
  }

  /**
   * A trainer of {@code name} on {@code backend} (Java, OpenCL or auto), starting from {@code initial} (copied);
   * {@code threads} applies to the Java backend.
   *
   * @throws CliException when the network cannot be trained
   */
  default Trainer trainer(String name, Weights initial, int threads, Backend backend) {
    if (backend.resolve() == Backend.JAVA) return trainer(name, initial, threads);
    throw new CliException("this catalog has no OpenCL trainers");
  }

  /** The message for an unknown network name. */
  static UsageException unknown(String name, List<String> known) {
    return new UsageException("no network named '" + name + "'; known networks: " + String.join(", ", known));
  }
}
