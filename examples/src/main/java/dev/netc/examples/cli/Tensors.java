package dev.netc.examples.cli;

import dev.netc.graph.Shape;
import dev.netc.runtime.io.NpyArray;
import java.util.Arrays;

/** Shape checks between {@code .npy} arrays and a network: the batch of an input, the shape of an output. */
public final class Tensors {
  private Tensors() {}

  /**
   * The batch size of {@code input} for a network taking images of {@code expected}: the first dimension of
   * {@code [N, C, H, W]}, or 1 for a single image {@code [C, H, W]}.
   *
   * @param file named in the message
   * @throws CliException with the expected and the actual shape when they do not match
   */
  public static int batchOf(NpyArray input, Shape expected, String file) {
    int[] s = input.shape();
    boolean single = s.length == 3;
    boolean batched = s.length == 4;
    int offset = batched ? 1 : 0;
    if ((single || batched) && s[offset] == expected.channels() && s[offset + 1] == expected.height()
        && s[offset + 2] == expected.width()) {
      if (batched && s[0] < 1) {
        throw new CliException(file + " holds no images: its shape is " + Arrays.toString(s));
      }
      return batched ? s[0] : 1;
    }
    throw new CliException(file + " has shape " + Arrays.toString(s) + " but the network expects [N, "
        + expected.channels() + ", " + expected.height() + ", " + expected.width() + "] (or ["
        + expected.channels() + ", " + expected.height() + ", " + expected.width() + "] for one image)");
  }

  /** The .npy shape of {@code batch} outputs: {@code [N, C]} for a vector output, else {@code [N, C, H, W]}. */
  public static int[] outputDims(int batch, Shape output) {
    if (output.height() == 1 && output.width() == 1) return new int[] {batch, output.channels()};
    return new int[] {batch, output.channels(), output.height(), output.width()};
  }
}
