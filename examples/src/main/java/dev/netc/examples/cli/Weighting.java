package dev.netc.examples.cli;

import dev.netc.runtime.Weights;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SyntheticWeights;
import java.nio.file.Path;

/** Opens the weights a {@code --weights} value names: a safetensors file, or {@code synthetic}. */
final class Weighting {
  /** The {@code --weights} value that selects {@link SyntheticWeights}. */
  static final String SYNTHETIC = "synthetic";

  private Weighting() {}

  static Weights open(String value) {
    if (value.equals(SYNTHETIC)) return new SyntheticWeights();
    return SafeTensors.open(Path.of(value));
  }

  /**
   * Runs {@code body} with {@code netc.threads} set to {@code threads} (when positive), restoring the previous
   * value afterwards; generated models read it when they are loaded.
   */
  static <T> T withThreads(int threads, java.util.function.Supplier<T> body) {
    if (threads <= 0) return body.get();
    String previous = System.getProperty("netc.threads");
    System.setProperty("netc.threads", Integer.toString(threads));
    try {
      return body.get();
    } finally {
      if (previous == null) {
        System.clearProperty("netc.threads");
      } else {
        System.setProperty("netc.threads", previous);
      }
    }
  }
}
