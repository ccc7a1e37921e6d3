package dev.netc.examples.cli;

import dev.netc.examples.Zoo;
import dev.netc.graph.Graph;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.Weights;
import dev.netc.runtime.reference.ReferenceModel;
import dev.netc.runtime.train.JavaTrainer;
import dev.netc.runtime.train.Trainer;
import java.util.ArrayList;
import java.util.List;

/** The example networks of {@link Zoo}, through their generated {@code <Name>_Model} classes. */
public final class ZooCatalog implements Catalog {

  @Override
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (Class<?> c : Zoo.networks()) names.add(c.getSimpleName());
    return names;
  }

  @Override
  public String resolve(String name) {
    return description(name).getSimpleName();
  }

  private Class<?> description(String name) {
    return Zoo.find(name).orElseThrow(() -> Catalog.unknown(name, names()));
  }

  @Override
  public Graph graph(String name) {
    return Netc.graph(description(name));
  }

  @Override
  public Graph fusedGraph(String name) {
    return Netc.fusedGraph(description(name));
  }

  @Override
  public JavaTrainer trainer(String name, Weights initial, int threads) {
    return Netc.trainer(description(name), initial, threads);
  }

  @Override
  public Trainer trainer(String name, Weights initial, int threads, Backend backend) {
    return Netc.trainer(description(name), initial, backend.runtime(), threads);
  }

  @Override
  public Model load(String name, Backend backend, Weights weights) {
    Class<?> description = description(name);
    if (backend == Backend.REFERENCE) return new ReferenceModel(Netc.graph(description), weights);
    return Netc.load(description, weights, backend.runtime());
  }
}
