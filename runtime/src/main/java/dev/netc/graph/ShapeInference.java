package dev.netc.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed nodes into a checked {@link Graph}: resolves input names, orders the nodes topologically,
 * infers every output shape and checks every rule of {@link Problem.Kind}. All problems are collected, not
 * only the first, so a user sees every mistake of a network in one build.
 *
 * <p>Shape rules follow PyTorch: {@code out = floor((in + 2*pad - kernel) / stride) + 1} for convolution
 * and floor-mode pooling; ceil mode rounds up but drops a last window that would start in the right padding.
 */
public final class ShapeInference {

  /** The graph, or the problems that prevented it. */
  public record Result(Graph graph, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final List<Problem> problems = new ArrayList<>();

  private ShapeInference() {}

  /**
   * Checks {@code nodes} (in declaration order, the input first) and infers their shapes.
   *
   * @param output the node whose result the network returns
   */
  public static Result infer(String graphName, List<Node> nodes, String output) {
    return new ShapeInference().run(graphName, nodes, output);
  }

  private Result run(String graphName, List<Node> nodes, String output) {
    if (nodes.isEmpty() || !(nodes.get(0).op() instanceof Input)) {
      throw new IllegalArgumentException("the first node must be the input");
    }
    if (nodes.size() == 1 || output == null || output.equals(nodes.get(0).name())) {
      report(Problem.Kind.NO_OUTPUT, nodes.get(0).name(), "",
          "network " + graphName + " has no layers, so it has no output; declare at least one annotated layer field");
      return new Result(null, problems);
    }
    Map<String, Node> byName = new LinkedHashMap<>();
    for (Node n : nodes) {
      if (byName.putIfAbsent(n.name(), n) != null) {
        report(Problem.Kind.DUPLICATE_NAME, n.name(), "",
            "layer name '" + n.name() + "' is used twice; every layer needs its own name");
      }
    }
    for (Node n : byName.values()) {
      for (String in : n.inputs()) {
        if (!byName.containsKey(in)) {
          report(Problem.Kind.UNKNOWN_INPUT, n.name(), "from", "layer " + n.name() + " reads '" + in
              + "', which is no layer of " + graphName + "; known layers: " + String.join(", ", byName.keySet()));
        }
      }
    }
    if (!problems.isEmpty()) return new Result(null, problems);

    List<Node> ordered = topologicalOrder(byName);
    if (ordered == null) return new Result(null, problems);

    Map<String, Shape> shapes = new HashMap<>();
    List<Node> shaped = new ArrayList<>();
    for (Node n : ordered) {
      List<Shape> in = new ArrayList<>();
      boolean known = true;
      for (String i : n.inputs()) {
        Shape s = shapes.get(i);
        if (s == null) known = false;
        in.add(s);
      }
      if (!known) { // an upstream problem was already reported; still check what needs no input shape
        checkAttributes(n);
        continue;
      }
      Shape out = shapeOf(n, in);
      if (out != null) {
        shapes.put(n.name(), out);
        shaped.add(n.withShape(out));
      }
    }
    checkUnused(byName, output);
    checkWeightNames(ordered);
    if (!problems.isEmpty()) return new Result(null, problems);
    return new Result(new Graph(graphName, shaped, output), List.of());
  }

  /** Kahn's algorithm, keeping declaration order among ready nodes; reports the nodes of any cycle. */
  private List<Node> topologicalOrder(Map<String, Node> byName) {
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<String>> readers = new HashMap<>();
    for (Node n : byName.values()) {
      pending.put(n.name(), new HashSet<>(n.inputs()).size());
      for (String in : new HashSet<>(n.inputs())) readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n.name());
    }
    List<String> declared = new ArrayList<>(byName.keySet());
    List<Node> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (String name : declared) {
        if (!done.contains(name) && pending.get(name) == 0) {
          done.add(name);
          order.add(byName.get(name));
          for (String r : readers.getOrDefault(name, List.of())) pending.merge(r, -1, Integer::sum);
          progress = true;
          break; // restart so the earliest-declared ready node always comes next
        }
      }
    }
    if (order.size() == byName.size()) return order;
    for (String name : declared) {
      if (!done.contains(name) && onCycle(name, byName)) {
        report(Problem.Kind.CYCLE, name, "from", "layer " + name + " depends on itself through "
            + String.join(" -> ", cyclePath(name, byName)) + "; a network must be acyclic");
      }
    }
    return null;
  }

  private static boolean onCycle(String start, Map<String, Node> byName) {
    return cyclePath(start, byName) != null;
  }

  /** A path start -> ... -> start following inputs, or null. */
  private static List<String> cyclePath(String start, Map<String, Node> byName) {
    Deque<List<String>> stack = new ArrayDeque<>();
    stack.push(List.of(start));
    Set<String> seen = new HashSet<>();
    while (!stack.isEmpty()) {
      List<String> path = stack.pop();
      String last = path.get(path.size() - 1);
      for (String in : byName.get(last).inputs()) {
        List<String> next = new ArrayList<>(path);
        next.add(in);
        if (in.equals(start)) return next;
        if (seen.add(in)) stack.push(next);
      }
    }
    return null;
  }

  private void checkUnused(Map<String, Node> byName, String output) {
    Set<String> read = new HashSet<>();
    for (Node n : byName.values()) read.addAll(n.inputs());
    for (Node n : byName.values()) {
      if (!n.name().equals(output) && !read.contains(n.name()) && !(n.op() instanceof Input)) {
        report(Problem.Kind.UNUSED_LAYER, n.name(), "", "layer " + n.name()
            + " is computed but nothing reads it and it is not the output (" + output
            + "); remove it, or name it in a later layer's @From");
      }
    }
  }

  private void checkWeightNames(List<Node> nodes) {
    Map<String, String> owner = new HashMap<>();
    for (Node n : nodes) {
      if (!n.op().hasWeights()) continue;
      String prev = owner.putIfAbsent(n.weightPrefix(), n.name());
      if (prev != null) {
        report(Problem.Kind.DUPLICATE_WEIGHT, n.name(), "name", "layers " + prev + " and " + n.name()
            + " both read weights named '" + n.weightPrefix() + ".*'; give one of them another name");
      }
    }
  }

  private Shape shapeOf(Node n, List<Shape> in) {
    Op op = n.op();
    if (op instanceof Input i) return input(n, i);
    if (op instanceof Conv c) return arity(n, in, 1) ? conv(n, c, in.get(0)) : null;
    if (op instanceof TableConv t) return arity(n, in, 1) ? tableConv(n, t, in.get(0)) : null;
    if (op instanceof Subsample s) return arity(n, in, 1) ? subsample(n, s, in.get(0)) : null;
    if (op instanceof Pool p) return arity(n, in, 1) ? pool(n, p, in.get(0)) : null;
    if (op instanceof LrnPool lp) return arity(n, in, 1) && lrn(n, lp.lrn()) ? pool(n, lp.pool(), in.get(0)) : null;
    if (op instanceof Lrn l) return arity(n, in, 1) && lrn(n, l) ? in.get(0) : null;
    if (op instanceof Dropout d) return arity(n, in, 1) && dropout(n, d) ? in.get(0) : null;
    if (op instanceof BatchNorm b) return arity(n, in, 1) && positive(n, "eps", b.eps()) ? in.get(0) : null;
    if (op instanceof Activation || op instanceof Softmax) return arity(n, in, 1) ? in.get(0) : null;
    if (op instanceof GlobalAvgPool) return arity(n, in, 1) ? new Shape(in.get(0).channels(), 1, 1) : null;
    if (op instanceof AdaptiveAvgPool a) {
      boolean ok = arity(n, in, 1) & atLeast(n, "height", a.height(), 1) & atLeast(n, "width", a.width(), 1);
      return ok ? new Shape(in.get(0).channels(), a.height(), a.width()) : null;
    }
    if (op instanceof Dense d) return arity(n, in, 1) ? dense(n, d) : null;
    if (op instanceof Concat) return concat(n, in);
    if (op instanceof Add) return add(n, in);
    throw new IllegalStateException("no shape rule for " + op);
  }

  private Shape input(Node n, Input i) {
    Shape s = i.shape();
    boolean ok = atLeast(n, "channels", s.channels(), 1) & atLeast(n, "height", s.height(), 1)
        & atLeast(n, "width", s.width(), 1);
    return ok ? s : null;
  }

  private boolean arity(Node n, List<Shape> in, int expected) {
    if (in.size() == expected) return true;
    report(Problem.Kind.ARITY, n.name(), "from", n.op().label() + " in layer " + n.name() + " takes "
        + expected + " input but @From names " + in.size() + "; only @Concat and @Add take several");
    return false;
  }

  /**
   * The rules of a node's own attributes, which hold whatever its input: run for nodes downstream of another
   * mistake too, so that independent mistakes of one network are all reported in one compile.
   */
  private void checkAttributes(Node n) {
    Op op = n.op();
    if (op instanceof Conv c) convAttributes(n, c);
    else if (op instanceof TableConv t) {
      convAttributes(n, t.conv());
      problems.addAll(TableChecks.attributes(n, t));
    } else if (op instanceof Subsample s) subsampleAttributes(n, s);
    else if (op instanceof Pool p) poolAttributes(n, p);
    else if (op instanceof LrnPool lp) {
      lrn(n, lp.lrn());
      poolAttributes(n, lp.pool());
    } else if (op instanceof Lrn l) lrn(n, l);
    else if (op instanceof Dropout d) dropout(n, d);
    else if (op instanceof BatchNorm b) positive(n, "eps", b.eps());
    else if (op instanceof AdaptiveAvgPool a) {
      atLeast(n, "height", a.height(), 1);
      atLeast(n, "width", a.width(), 1);
    } else if (op instanceof Dense d) dense(n, d);
  }

  private boolean convAttributes(Node n, Conv c) {
    return atLeast(n, "filters", c.filters(), 1)
        & atLeast(n, "kernel", Math.min(c.kernelH(), c.kernelW()), 1)
        & atLeast(n, "stride", Math.min(c.strideH(), c.strideW()), 1)
        & atLeast(n, "padding", Math.min(c.padH(), c.padW()), 0)
        & atLeast(n, "groups", c.groups(), 1);
  }

  private Shape conv(Node n, Conv c, Shape in) {
    if (!convAttributes(n, c)) return null;
    if (c.groups() > 1) {
      if (in.channels() % c.groups() != 0 || c.filters() % c.groups() != 0) {
        report(Problem.Kind.GROUPS, n.name(), "groups", "layer " + n.name() + ": groups = " + c.groups()
            + " needs both channel counts divisible by " + c.groups() + ", but the input has " + in.channels()
            + " channels and the layer has " + c.filters() + " filters; choose groups dividing both");
        return null;
      }
    }
    // One error per value: a square kernel too large for both axes is one mistake, not two.
    int oh = windowOutput(n, "kernel", c.kernelH(), c.strideH(), c.padH(), in.height(), false, "height");
    if (oh < 1) return null;
    int ow = windowOutput(n, "kernel", c.kernelW(), c.strideW(), c.padW(), in.width(), false, "width");
    if (ow < 1) return null;
    return new Shape(c.filters(), oh, ow);
  }

  /** A convolution with a connection table: the table's rules, then the convolution's shape rule. */
  private Shape tableConv(Node n, TableConv t, Shape in) {
    List<Problem> table = TableChecks.attributes(n, t);
    if (table.isEmpty()) table = TableChecks.maps(n, t, in);
    problems.addAll(table);
    if (!convAttributes(n, t.conv()) || !table.isEmpty()) return null;
    int oh = windowOutput(n, "kernel", t.conv().kernelH(), t.conv().strideH(), t.conv().padH(), in.height(), false,
        "height");
    if (oh < 1) return null;
    int ow = windowOutput(n, "kernel", t.conv().kernelW(), t.conv().strideW(), t.conv().padW(), in.width(), false,
        "width");
    return ow < 1 ? null : new Shape(t.conv().filters(), oh, ow);
  }

  private boolean subsampleAttributes(Node n, Subsample s) {
    return atLeast(n, "window", Math.min(s.windowH(), s.windowW()), 1)
        & atLeast(n, "stride", Math.min(s.strideH(), s.strideW()), 1);
  }

  /** Trainable subsampling: pooling's floor rule without padding. */
  private Shape subsample(Node n, Subsample s, Shape in) {
    if (!subsampleAttributes(n, s)) return null;
    // The window rule without padding, which subsampling does not have (windowOutput's advice mentions it).
    if (s.windowH() > in.height() || s.windowW() > in.width()) {
      boolean h = s.windowH() > in.height();
      report(Problem.Kind.WINDOW_TOO_LARGE, n.name(), "window", "layer " + n.name() + ": window "
          + (h ? s.windowH() : s.windowW()) + " is larger than the input " + (h ? "height " + in.height()
          : "width " + in.width()) + "; use a smaller window");
      return null;
    }
    int oh = windowOutput(n, "window", s.windowH(), s.strideH(), 0, in.height(), false, "height");
    if (oh < 1) return null;
    int ow = windowOutput(n, "window", s.windowW(), s.strideW(), 0, in.width(), false, "width");
    return ow < 1 ? null : new Shape(in.channels(), oh, ow);
  }

  private boolean poolAttributes(Node n, Pool p) {
    int wh = p.windowH(), ww = p.windowW(), ph = p.padH(), pw = p.padW();
    boolean ok = atLeast(n, "window", Math.min(wh, ww), 1)
        & atLeast(n, "stride", Math.min(p.strideH(), p.strideW()), 1)
        & atLeast(n, "padding", Math.min(ph, pw), 0);
    if (!ok) return false;
    if (2 * ph > wh || 2 * pw > ww) {
      report(Problem.Kind.OUT_OF_RANGE, n.name(), "padding", "layer " + n.name() + ": pooling padding "
          + Math.max(ph, pw) + " is more than half the window " + Math.max(wh, ww)
          + ", so a window could hold padding only; use padding <= window / 2");
      return false;
    }
    return true;
  }

  private Shape pool(Node n, Pool p, Shape in) {
    int wh = p.windowH(), ww = p.windowW(), sh = p.strideH(), sw = p.strideW(), ph = p.padH(), pw = p.padW();
    boolean ceil = p.ceil();
    if (!poolAttributes(n, p)) return null;
    int oh = windowOutput(n, "window", wh, sh, ph, in.height(), ceil, "height");
    if (oh < 1) return null;
    int ow = windowOutput(n, "window", ww, sw, pw, in.width(), ceil, "width");
    if (ow < 1) return null;
    return new Shape(in.channels(), oh, ow);
  }

  /** Output extent along one axis, or 0 after reporting why there is none. */
  private int windowOutput(Node n, String attr, int window, int stride, int pad, int in, boolean ceil, String axis) {
    int padded = in + 2 * pad;
    if (window > padded) {
      report(Problem.Kind.WINDOW_TOO_LARGE, n.name(), attr, "layer " + n.name() + ": " + attr + " " + window
          + " is larger than the padded input " + axis + " " + padded + " (" + in + " + 2 x padding " + pad
          + "); use a smaller " + attr + " or more padding");
      return 0;
    }
    int out = ceil ? Math.floorDiv(padded - window + stride - 1, stride) + 1 : (padded - window) / stride + 1;
    if (ceil && (long) (out - 1) * stride >= in + pad) out--;
    if (out < 1) {
      report(Problem.Kind.OUTPUT_TOO_SMALL, n.name(), attr, "layer " + n.name() + " would output " + axis + " "
          + out + " from input " + axis + " " + in + "; the output must be at least 1");
      return 0;
    }
    return out;
  }

  private boolean lrn(Node n, Lrn l) {
    if (l.size() < 1 || l.size() % 2 == 0) {
      report(Problem.Kind.LRN_EVEN_SIZE, n.name(), "size", "layer " + n.name() + ": LRN size must be a positive odd"
          + " number so the window is centred on its channel, but it is " + l.size() + "; AlexNet uses 5");
      return false;
    }
    return nonNegative(n, "alpha", l.alpha()) & nonNegative(n, "beta", l.beta()) & positive(n, "k", l.k());
  }

  private boolean dropout(Node n, Dropout d) {
    if (d.rate() >= 0 && d.rate() < 1) return true;
    report(Problem.Kind.DROPOUT_RATE, n.name(), "rate", "layer " + n.name() + ": dropout rate must be in [0, 1),"
        + " but it is " + d.rate() + "; AlexNet uses 0.5");
    return false;
  }

  private Shape dense(Node n, Dense d) {
    if (d.units() >= 1) return Shape.vector(d.units());
    report(Problem.Kind.DENSE_NO_UNITS, n.name(), "units", "layer " + n.name()
        + ": a dense layer needs at least 1 unit, but units = " + d.units());
    return null;
  }

  private Shape concat(Node n, List<Shape> in) {
    if (in.size() < 2) {
      report(Problem.Kind.ARITY, n.name(), "from", "layer " + n.name()
          + ": @Concat joins two or more inputs, but @From names " + in.size());
      return null;
    }
    int channels = 0;
    Shape first = in.get(0);
    for (int i = 0; i < in.size(); i++) {
      Shape s = in.get(i);
      if (s.height() != first.height() || s.width() != first.width()) {
        report(Problem.Kind.SHAPE_MISMATCH, n.name(), "from", "layer " + n.name() + ": @Concat needs equal"
            + " spatial sizes, but " + n.inputs().get(0) + " is " + first + " and " + n.inputs().get(i) + " is "
            + s + "; adjust padding or strides so the branches agree");
        return null;
      }
      channels += s.channels();
    }
    return new Shape(channels, first.height(), first.width());
  }

  private Shape add(Node n, List<Shape> in) {
    if (in.size() < 2) {
      report(Problem.Kind.ARITY, n.name(), "from", "layer " + n.name()
          + ": @Add sums two or more inputs, but @From names " + in.size());
      return null;
    }
    for (int i = 1; i < in.size(); i++) {
      if (!in.get(i).equals(in.get(0))) {
        report(Problem.Kind.SHAPE_MISMATCH, n.name(), "from", "layer " + n.name() + ": @Add needs equal shapes,"
            + " but " + n.inputs().get(0) + " is " + in.get(0) + " and " + n.inputs().get(i) + " is " + in.get(i)
            + "; project the shortcut with a 1x1 convolution of matching filters and stride");
        return null;
      }
    }
    return in.get(0);
  }

  private boolean atLeast(Node n, String attr, int value, int min) {
    if (value >= min) return true;
    report(Problem.Kind.OUT_OF_RANGE, n.name(), attr, "layer " + n.name() + ": " + attr + " must be at least "
        + min + ", but it is " + value);
    return false;
  }

  private boolean nonNegative(Node n, String attr, double value) {
    if (value >= 0) return true;
    report(Problem.Kind.OUT_OF_RANGE, n.name(), attr, "layer " + n.name() + ": " + attr
        + " must not be negative, but it is " + value);
    return false;
  }

  private boolean positive(Node n, String attr, double value) {
    if (value > 0) return true;
    report(Problem.Kind.OUT_OF_RANGE, n.name(), attr, "layer " + n.name() + ": " + attr
        + " must be positive, but it is " + value);
    return false;
  }

  private void report(Problem.Kind kind, String node, String attribute, String message) {
    problems.add(new Problem(kind, node, attribute, message));
  }
}
