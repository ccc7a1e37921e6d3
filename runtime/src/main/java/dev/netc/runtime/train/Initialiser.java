package dev.netc.runtime.train;

import dev.netc.graph.Activation;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.Graph;
import dev.netc.graph.Node;
import dev.netc.graph.Op;
import dev.netc.graph.Pool;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.io.MapWeights;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/** One run of an {@link Initialisation} over a graph: decides each tensor's role, then fills it. */
final class Initialiser {
  private static final double PAPER_STD = 0.01;

  private final Initialisation how;
  private final Graph graph;
  private final long seed;
  /** Nodes with a weighted layer (not a batch norm) somewhere upstream: not "fed by the network input". */
  private final Set<String> afterLayer = new HashSet<>();

  Initialiser(Initialisation how, Graph graph, long seed) {
    this.how = how;
    this.graph = graph;
    this.seed = seed;
    for (Node n : graph.nodes()) {
      for (String in : n.inputs()) {
        if (afterLayer.contains(in) || isLayer(graph.node(in).op())) afterLayer.add(n.name());
      }
    }
  }

  MapWeights run() {
    MapWeights out = new MapWeights(how.label() + " initialisation of " + graph.name() + " (seed " + seed + ")");
    for (Node n : graph.nodes()) {
      for (WeightSpec w : graph.weightsOf(n)) out.put(w.name(), w.dims(), values(n, w));
    }
    return out;
  }

  private float[] values(Node n, WeightSpec w) {
    float[] v = new float[Math.toIntExact(w.size())];
    String p = n.weightPrefix();
    boolean ownWeight = w.name().equals(p + ".weight");
    boolean ownBias = w.name().equals(p + ".bias");
    Op op = n.op();
    if (op instanceof BatchNorm || !(ownWeight || ownBias)) { // a batch norm's tensors, folded or not
      if (w.name().endsWith(".weight") || w.name().endsWith("running_var")) Arrays.fill(v, 1f);
      return v;
    }
    if (op instanceof Subsample s) {
      if (ownWeight) Arrays.fill(v, 1f / (s.windowH() * s.windowW()));
      return v;
    }
    if (ownBias) {
      if (how == Initialisation.PAPER && feedsRelu(n) && afterLayer.contains(n.name())) Arrays.fill(v, 1f);
      return v;
    }
    SplittableRandom random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * fnv64(w.name()));
    if (how == Initialisation.PAPER) {
      fill(v, 0, v.length, PAPER_STD, random);
    } else if (op instanceof TableConv t) {
      int area = t.conv().kernelH() * t.conv().kernelW();
      int[] first = t.table().first();
      for (int f = 0; f + 1 < first.length; f++) {
        int maps = first[f + 1] - first[f];
        fill(v, first[f] * area, first[f + 1] * area, Math.sqrt(2.0 / (maps * area)), random);
      }
    } else {
      int[] d = w.dims();
      long fanIn = 1;
      for (int i = 1; i < d.length; i++) fanIn *= d[i]; // conv: in/groups x kh x kw; dense: features
      fill(v, 0, v.length, Math.sqrt(2.0 / Math.max(1, fanIn)), random);
    }
    return v;
  }

  private static void fill(float[] v, int from, int to, double std, SplittableRandom random) {
    for (int i = from; i < to; i++) v[i] = (float) (random.nextGaussian() * std);
  }

  /** Whether the node's output goes through a ReLU: fused, or every reader a ReLU (through sign-keeping ops). */
  private boolean feedsRelu(Node n) {
    Activation fused = fusedActivation(n.op());
    if (fused != null && !fused.isIdentity()) return fused.kind() == Activation.Kind.RELU;
    if (n.op() instanceof Dense d && d.softmax()) return false;
    if (n.name().equals(graph.output())) return false; // the network's result is read before any ReLU
    var readers = graph.consumers(n.name());
    if (readers.isEmpty()) return false;
    for (Node c : readers) {
      boolean relu = c.op() instanceof Activation a && a.kind() == Activation.Kind.RELU;
      boolean passes = c.op() instanceof Dropout || (c.op() instanceof Pool pool && pool.kind() == Pool.Kind.MAX);
      if (!relu && !(passes && feedsRelu(c))) return false;
    }
    return true;
  }

  private static Activation fusedActivation(Op op) {
    if (op instanceof Conv c) return c.activation();
    if (op instanceof Dense d) return d.activation();
    if (op instanceof TableConv t) return t.conv().activation();
    return null;
  }

  private static boolean isLayer(Op op) {
    return op.hasWeights() && !(op instanceof BatchNorm);
  }

  /** FNV-1a over the name's UTF-8 bytes: a stable 64-bit hash, unlike String.hashCode's 32 bits. */
  private static long fnv64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
