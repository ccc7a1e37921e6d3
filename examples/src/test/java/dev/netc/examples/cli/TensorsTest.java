package dev.netc.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.graph.Shape;
import dev.netc.runtime.io.NpyArray;
import org.junit.jupiter.api.Test;

class TensorsTest {
  private static final Shape ALEX = new Shape(3, 227, 227);

  private static NpyArray array(int... shape) {
    int n = 1;
    for (int d : shape) n *= d;
    return new NpyArray(shape, new float[n]);
  }

  @Test
  void batchIsTheFirstDimension() {
    assertEquals(2, Tensors.batchOf(array(2, 1, 8, 8), new Shape(1, 8, 8), "x.npy"));
  }

  @Test
  void threeDimensionsMeanOneImage() {
    assertEquals(1, Tensors.batchOf(array(1, 8, 8), new Shape(1, 8, 8), "x.npy"));
  }

  @Test
  void wrongImageSizeNamesExpectedAndActual() {
    CliException e = assertThrows(CliException.class,
        () -> Tensors.batchOf(array(1, 3, 224, 224), ALEX, "x.npy"));
    assertEquals("x.npy has shape [1, 3, 224, 224] but the network expects [N, 3, 227, 227]"
        + " (or [3, 227, 227] for one image)", e.getMessage());
  }

  @Test
  void wrongRank() {
    CliException e = assertThrows(CliException.class, () -> Tensors.batchOf(array(8, 8), new Shape(1, 8, 8), "in.npy"));
    assertEquals("in.npy has shape [8, 8] but the network expects [N, 1, 8, 8] (or [1, 8, 8] for one image)",
        e.getMessage());
    assertThrows(CliException.class, () -> Tensors.batchOf(array(1, 1, 1, 8, 8), new Shape(1, 8, 8), "in.npy"));
  }

  @Test
  void channelsLastIsRejected() {
    assertThrows(CliException.class, () -> Tensors.batchOf(array(1, 8, 8, 1), new Shape(1, 8, 8), "x.npy"));
  }

  @Test
  void emptyBatchIsRejected() {
    CliException e = assertThrows(CliException.class,
        () -> Tensors.batchOf(array(0, 1, 8, 8), new Shape(1, 8, 8), "x.npy"));
    assertEquals("x.npy holds no images: its shape is [0, 1, 8, 8]", e.getMessage());
  }

  @Test
  void outputDims() {
    assertArrayEquals(new int[] {4, 1000}, Tensors.outputDims(4, Shape.vector(1000)));
    assertArrayEquals(new int[] {1, 256, 6, 6}, Tensors.outputDims(1, new Shape(256, 6, 6)));
  }
}
