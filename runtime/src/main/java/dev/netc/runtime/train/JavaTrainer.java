package dev.netc.runtime.train;

import dev.netc.graph.Graph;
import dev.netc.runtime.Weights;
import dev.netc.runtime.java.Parallel;
import dev.netc.runtime.train.ops.Scratch;

/**
 * The base of the trainers netc generates for the Java backend ({@code <Network>_Trainer}). The generated
 * subclass holds the schedule (which layer runs when, with literal shapes, fused activations, the arrays each
 * layer's value and gradient live in) and calls the training kernels of {@code dev.netc.runtime.train.ops};
 * this class adds the worker threads and scratch memory those kernels share to what every {@link Trainer}
 * has (the tensors by name, the loss, the public API).
 */
public abstract class JavaTrainer extends Trainer {
  /** The workers every layer shares. */
  protected final Parallel parallel;
  /** Scratch rows shared by same-shaped layers. */
  protected final Scratch scratch;

  /**
   * Copies every tensor {@code graph} needs out of {@code initial} (checked by name and shape, so a wrong file
   * fails here, naming the tensor), which the caller may close afterwards.
   */
  protected JavaTrainer(Graph graph, Weights initial, int threads) {
    super(graph, initial);
    this.parallel = new Parallel(threads);
    this.scratch = new Scratch(parallel.threads());
  }

  @Override
  public String backend() {
    return "Java, " + parallel.threads() + (parallel.threads() == 1 ? " thread" : " threads");
  }

  @Override
  protected void release() {
    parallel.close();
  }
}
