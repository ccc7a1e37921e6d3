package dev.netc.runtime.train.ops;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch row arrays shared by the layers of one trainer. Layers run one after another, so two layers that
 * need scratch of the same purpose and dimensions can use the same arrays: a ResNet's 155 convolutions have
 * 22 distinct shapes, and their im2col buffers alone would take gigabytes if each layer had its own. Arrays are
 * made on first use and kept.
 */
public final class Scratch {
  private final int workers;
  private final Map<Key, float[][]> arrays = new HashMap<>();

  private record Key(int purpose, int worker, int rows, int columns) {}

  public Scratch(int workers) {
    this.workers = workers;
  }

  public int workers() {
    return workers;
  }

  /**
   * The {@code rows x columns} array of {@code worker} for {@code purpose} (a small number naming what the
   * caller keeps in it; arrays of different purposes are never shared, since one layer uses several at once).
   * Contents are whatever the last user left.
   */
  public synchronized float[][] rows(int purpose, int worker, int rows, int columns) {
    return arrays.computeIfAbsent(new Key(purpose, worker, rows, columns), k -> new float[rows][columns]);
  }
}
