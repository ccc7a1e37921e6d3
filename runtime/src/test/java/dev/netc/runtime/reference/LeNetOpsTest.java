package dev.netc.runtime.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.graph.Activation;
import dev.netc.graph.ConnectionTable;
import dev.netc.graph.Conv;
import dev.netc.graph.Graph;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import org.junit.jupiter.api.Test;

/**
 * The reference interpreter's connection-table convolution and trainable subsampling: by hand on tiny inputs,
 * and against independent formulations on random ones (a full convolution whose weight is zero outside the
 * table; average pooling times the window's area).
 */
class LeNetOpsTest {
  private static final double EPS = 1e-9;

  private static double[] run(Graph g, TestWeights w, float[] input, int batch) {
    float[] out = new ReferenceInterpreter(g, w).run(input, batch);
    double[] d = new double[out.length];
    for (int i = 0; i < out.length; i++) d[i] = out[i];
    return d;
  }

  @Test
  void tableConvByHand() {
    // two 2x2 input maps a = 1 2 / 3 4, b = 10 20 / 30 40; 1x1 kernels. Filter 0 sees b (weight 2),
    // filter 1 sees b then a as written, stored by ascending map: a (weight 3), b (weight 5), bias 1.
    TableConv t = new TableConv(new Conv(2, 1, 1, 1, 1, 0, 0, 1, true, Activation.NONE),
        ConnectionTable.of(new int[] {1}, new int[] {1, 0}));
    Graph g = Graphs.chain(new Shape(2, 2, 2), t);
    assertArrayEquals(new int[] {3, 1, 1}, g.weightsOf(g.node("l1")).get(0).dims());
    TestWeights w = new TestWeights().put("l1.weight", 2, 3, 5).put("l1.bias", 0, 1);
    float[] x = {1, 2, 3, 4, 10, 20, 30, 40};
    assertArrayEquals(new double[] {20, 40, 60, 80, 54, 107, 160, 213}, run(g, w, x, 1), EPS);
  }

  @Test
  void tableConvIsAConvolutionWithZerosOutsideTheTable() {
    ConnectionTable table = ConnectionTable.of(new int[] {2, 0}, new int[] {1}, new int[] {0, 1, 2}, new int[] {2});
    Conv conv = new Conv(4, 3, 2, 2, 1, 1, 1, 1, true, Activation.of(Activation.Kind.TANH));
    Shape in = new Shape(3, 7, 6);
    Graph sparse = Graphs.chain(in, new TableConv(conv, table));
    Graph dense = Graphs.chain(in, conv);
    TestWeights ws = TestWeights.random(sparse, 7, 0.5);
    float[] compact = ws.get(sparse.weightsOf(sparse.node("l1")).get(0));
    // scatter the compact kernels into [4, 3, 3, 2]: filter by filter, ascending input map
    float[] full = new float[4 * 3 * 6];
    int[] maps = table.maps();
    int[] first = table.first();
    for (int f = 0; f < 4; f++) {
      for (int k = first[f]; k < first[f + 1]; k++) {
        System.arraycopy(compact, k * 6, full, (f * 3 + maps[k]) * 6, 6);
      }
    }
    TestWeights wd = new TestWeights().put("l1.weight", full).put("l1.bias",
        ws.get(sparse.weightsOf(sparse.node("l1")).get(1)));
    float[] x = TestWeights.randomInput(2 * in.size(), 11);
    assertArrayEquals(run(dense, wd, x, 2), run(sparse, ws, x, 2), EPS);
    // only the connected kernels count: 7 of them, 3 x 2 taps, at every output position
    assertEquals((long) sparse.outputShape().plane() * 7 * 6, sparse.macs(sparse.node("l1")));
  }

  @Test
  void subsampleByHand() {
    // 4x4 map 1..16, 2x2 windows sum 14, 22, 46, 54; coefficient 0.5, bias -1
    Graph g = Graphs.chain(new Shape(1, 4, 4), new Subsample(2, 2, 2, 2, true, Activation.NONE));
    TestWeights w = new TestWeights().put("l1.weight", 0.5f).put("l1.bias", -1);
    float[] x = new float[16];
    for (int i = 0; i < 16; i++) x[i] = i + 1;
    assertArrayEquals(new double[] {6, 10, 22, 26}, run(g, w, x, 1), EPS);
    assertEquals(2L, g.parameterCount());
    assertEquals(16L, g.macs(g.node("l1")));
  }

  @Test
  void subsampleIsAveragePoolingTimesTheAreaThenAffineAndSquashed() {
    Shape in = new Shape(3, 9, 8);
    Graph sub = Graphs.chain(in, new Subsample(3, 2, 2, 3, true, Activation.of(Activation.Kind.SIGMOID)));
    Graph pool = Graphs.chain(in, new Pool(Pool.Kind.AVG, 3, 2, 2, 3, 0, 0, false, true));
    assertEquals(pool.outputShape(), sub.outputShape());
    TestWeights w = TestWeights.random(sub, 3, 1.0);
    float[] coefficient = w.get(sub.weightsOf(sub.node("l1")).get(0));
    float[] bias = w.get(sub.weightsOf(sub.node("l1")).get(1));
    float[] x = TestWeights.randomInput(2 * in.size(), 5);
    double[] mean = run(pool, new TestWeights(), x, 2);
    Shape out = sub.outputShape();
    double[] expected = new double[mean.length];
    for (int i = 0; i < mean.length; i++) {
      int c = i / out.plane() % out.channels();
      expected[i] = 1 / (1 + Math.exp(-(coefficient[c] * mean[i] * 6 + bias[c])));
    }
    assertArrayEquals(expected, run(sub, w, x, 2), 1e-6);
  }
}
