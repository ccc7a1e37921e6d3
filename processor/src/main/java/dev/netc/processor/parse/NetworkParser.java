package dev.netc.processor.parse;

import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.graph.Op;
import dev.netc.graph.Shape;
import dev.netc.processor.report.Diagnostics;
import dev.netc.processor.report.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Reads an {@code @Network} class into IR nodes (without shapes) and a {@link SourceMap}. Each annotated field
 * becomes one node per operation annotation, chained in annotation order; the last node carries the field's
 * name. {@code @Use} fields are expanded here, block by block, with {@code bind} and {@code @When}
 * evaluated, so the graph never contains blocks.
 *
 * <p>Naming: a field's node is its name, {@code conv1}; the nodes before the last in a field are
 * {@code conv1/conv}, {@code conv1/relu}, ...; inside a block used as {@code layer1} (repeated), members are
 * {@code layer1.0.conv1}. Weight prefixes follow the same scheme, or the {@code name} attribute.
 */
public final class NetworkParser {
  private static final String DSL = "dev.netc.dsl.";
  /** The name of the network's input node; {@code @From("input")} reads the input. */
  public static final String INPUT = "input";
  /** The name of a block's input inside the block. */
  public static final String BLOCK_INPUT = "in";

  /**
   * The parsed description: nodes in declaration order (input first), the output's name, and the sources.
   *
   * @param benchmark where {@code @Network(benchmark = true)} was written, or null unless it was
   */
  public record Parsed(String name, List<Node> nodes, String output, SourceMap sources, Site benchmark) {}

  /** Where members are being read: the network itself, or one instance of a block. */
  private record Scope(String prefix, String input, Map<String, Number> vars, Site useSite, Deque<String> blocks) {
    boolean inBlock() {
      return vars != null;
    }

    String qualify(String member) {
      return prefix.isEmpty() ? member : prefix + "." + member;
    }
  }

  private final Elements elements;
  private final AnnotationValues values;
  private final Diagnostics diag;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, String> aliases = new HashMap<>();
  private SourceMap sources;
  private InputShapes shapes;

  public NetworkParser(Elements elements, Diagnostics diag) {
    this.elements = elements;
    this.values = new AnnotationValues(elements);
    this.diag = diag;
  }

  /** The parsed network, or null when mistakes were reported. */
  public Parsed parse(TypeElement type) {
    int errorsBefore = diag.errorCount();
    Site classSite = Site.of(type);
    sources = new SourceMap(classSite);
    shapes = new InputShapes(type.getSimpleName().toString(), nodes, this::resolve, sources, diag);
    AnnotationMirror input = AnnotationValues.find(type, DSL + "Input");
    if (input == null) {
      diag.error(classSite.at(AnnotationValues.find(type, DSL + "Network"), null), Message.MISSING_INPUT,
          type.getSimpleName());
      return null;
    }
    Map<String, Object> in = values.withDefaults(input);
    Shape shape = new Shape((Integer) in.get("channels"), (Integer) in.get("height"), (Integer) in.get("width"));
    nodes.add(Node.of(INPUT, new Input(shape), List.of(), ""));
    sources.putNode(INPUT, classSite.at(input, null));
    AnnotationValues.explicit(input).forEach((k, v) -> sources.putAttribute(INPUT, k, classSite.at(input, v)));

    Scope top = new Scope("", INPUT, null, null, new ArrayDeque<>());
    String last = members(type, top);
    String output = last;
    AnnotationMirror network = AnnotationValues.find(type, DSL + "Network");
    String declared = network == null ? "" : (String) values.withDefaults(network).get("output");
    if (!declared.isEmpty()) output = declared;
    if (diag.errorCount() > errorsBefore) return null;

    List<Node> resolved = new ArrayList<>();
    for (Node n : nodes) {
      List<String> ins = new ArrayList<>();
      for (String i : n.inputs()) ins.add(resolve(i));
      resolved.add(n.withInputs(ins));
    }
    AnnotationValue benchmark = network == null ? null : AnnotationValues.explicit(network).get("benchmark");
    Site benchmarkSite = benchmark != null && Boolean.TRUE.equals(benchmark.getValue())
        ? classSite.at(network, benchmark) : null;
    return new Parsed(type.getSimpleName().toString(), resolved, output == null ? null : resolve(output), sources,
        benchmarkSite);
  }

  private String resolve(String name) {
    String r = name;
    for (int guard = 0; aliases.containsKey(r) && guard < 10_000; guard++) r = aliases.get(r);
    return r;
  }

  /** Reads the layer fields of a network or block class; returns the name of the last one's output. */
  private String members(TypeElement owner, Scope scope) {
    String previous = scope.input();
    for (Element field : owner.getEnclosedElements()) {
      if (field.getKind() != ElementKind.FIELD) continue;
      String member = field.getSimpleName().toString();
      List<AnnotationMirror> ops = new ArrayList<>();
      AnnotationMirror from = null, use = null, when = null;
      for (AnnotationMirror m : field.getAnnotationMirrors()) {
        String q = AnnotationValues.qualifiedName(m);
        if (!q.startsWith(DSL)) continue;
        String simple = q.substring(DSL.length());
        if (LayerReader.OPS.contains(simple)) ops.add(m);
        else if (simple.equals("From")) from = m;
        else if (simple.equals("Use")) use = m;
        else if (simple.equals("When")) when = m;
      }
      Site fieldSite = siteFor(field, scope);
      if (ops.isEmpty() && use == null) {
        if (from != null) diag.error(at(scope, field, from, null), Message.FROM_WITHOUT_LAYER, member);
        if (when != null) diag.error(at(scope, field, when, null), Message.WHEN_OUTSIDE_BLOCK);
        continue;
      }
      String reserved = scope.inBlock() ? BLOCK_INPUT : INPUT;
      if (member.equals(reserved)) {
        diag.error(fieldSite, Message.RESERVED_NAME, member, scope.inBlock() ? "the block's input" : "the network's input");
        continue;
      }
      String name = scope.qualify(member);
      List<String> inputs = new ArrayList<>();
      if (from != null) {
        for (String f : AnnotationValues.strings(values.withDefaults(from).get("value"))) {
          inputs.add(scope.inBlock() && f.equals(BLOCK_INPUT) ? scope.input() : scope.qualify(f));
        }
        sources.putAttribute(name, "from", at(scope, field, from, AnnotationValues.explicit(from).get("value")));
      } else {
        inputs.add(previous);
      }
      if (when != null) {
        if (!scope.inBlock()) {
          diag.error(at(scope, field, when, null), Message.WHEN_OUTSIDE_BLOCK);
        } else {
          Number on = evaluate((String) values.withDefaults(when).get("value"), scope, at(scope, field, when, null));
          if (on == null) {
            previous = name;
            continue;
          }
          if (on.doubleValue() == 0) {
            aliases.put(name, inputs.get(0)); // absent: readers see its input
            previous = name;
            continue;
          }
        }
      }
      if (use != null) {
        if (!ops.isEmpty()) {
          List<String> names = new ArrayList<>();
          for (AnnotationMirror m : ops) names.add("@" + AnnotationValues.simpleName(m));
          diag.error(at(scope, field, ops.get(0), null), Message.USE_WITH_LAYERS, String.join(", ", names));
          continue;
        }
        String out = expand(field, use, name, inputs.get(0), scope);
        if (out != null) aliases.put(name, out);
      } else {
        layer(field, ops, name, inputs, scope);
      }
      previous = name;
    }
    return previous;
  }

  /** One field's operations, chained. */
  private void layer(Element field, List<AnnotationMirror> ops, String name, List<String> inputs, Scope scope) {
    List<String> chainInputs = inputs;
    boolean weighted = false;
    Map<String, Integer> used = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      AnnotationMirror m = ops.get(i);
      String kind = AnnotationValues.simpleName(m);
      String lower = kind.toLowerCase(java.util.Locale.ROOT);
      int seen = used.merge(lower, 1, Integer::sum);
      String nodeName = i == ops.size() - 1 ? name : name + "/" + lower + (seen > 1 ? seen : "");
      Site layerSite = at(scope, field, m, null);
      Map<String, Object> attrs = values.withDefaults(m);
      Map<String, Site> sites = new LinkedHashMap<>();
      AnnotationValues.explicit(m).forEach((k, v) -> sites.put(k, at(scope, field, m, v)));
      if (!bind(kind, attrs, sites, scope, layerSite)) continue;
      Op op = LayerReader.read(kind, attrs, sites, layerSite, diag);
      if (op == null) continue;
      String prefix = "";
      if (op.hasWeights()) {
        String explicitName = (String) attrs.getOrDefault("name", "");
        if (!explicitName.isEmpty()) prefix = scope.qualify(explicitName);
        else prefix = weighted ? name + "." + (kind.equals("BatchNorm") ? "bn" : lower) : name;
        weighted = true;
      }
      nodes.add(Node.of(nodeName, op, chainInputs, prefix));
      sources.putNode(nodeName, layerSite);
      for (Map.Entry<String, Site> e : sites.entrySet()) sources.putAttribute(nodeName, e.getKey(), e.getValue());
      if (i == 0) {
        Site fromSite = sources.locate(name, "from");
        if (fromSite != null && !nodeName.equals(name)) sources.putAttribute(nodeName, "from", fromSite);
      }
      chainInputs = List.of(nodeName);
    }
  }

  /** Applies {@code bind = {"attr = expr", ...}}; false after reporting a mistake. */
  private boolean bind(String kind, Map<String, Object> attrs, Map<String, Site> sites, Scope scope, Site layerSite) {
    Object raw = attrs.get("bind");
    if (raw == null || ((List<?>) raw).isEmpty()) return true;
    Site bindSite = sites.getOrDefault("bind", layerSite);
    if (!scope.inBlock()) {
      diag.error(bindSite, Message.BIND_OUTSIDE_BLOCK);
      return false;
    }
    boolean ok = true;
    List<String> bindable = LayerReader.BINDABLE.getOrDefault(kind, List.of());
    for (String text : AnnotationValues.strings(raw)) {
      Bindings.Entry entry = Bindings.Entry.parse(text);
      if (entry == null) {
        diag.error(bindSite, Message.BIND_SYNTAX, text);
        ok = false;
        continue;
      }
      String attr = entry.target();
      if (!bindable.contains(attr)) {
        diag.error(bindSite, Message.BIND_ATTRIBUTE, kind, attr, bindable.isEmpty() ? "none" : String.join(", ", bindable));
        ok = false;
        continue;
      }
      try {
        attrs.put(attr, Bindings.value(entry, attrs.get(attr), names(scope)));
        sites.put(attr, bindSite);
      } catch (Expr.AlreadyReported e) {
        ok = false;
      } catch (Expr.ExprException e) {
        diag.error(bindSite, Message.EXPRESSION, e.getMessage());
        ok = false;
      } catch (Bindings.TypeMismatch e) {
        diag.error(bindSite, Message.BIND_TYPE, "@" + kind, e.getMessage());
        ok = false;
      }
    }
    return ok;
  }

  /** The value of an expression, or null after reporting why there is none. */
  private Number evaluate(String expression, Scope scope, Site site) {
    try {
      return Expr.evaluate(expression, names(scope));
    } catch (Expr.AlreadyReported e) {
      return null;
    } catch (Expr.ExprException e) {
      diag.error(site, Message.EXPRESSION, e.getMessage());
      return null;
    }
  }

  /**
   * What expressions in {@code scope} may read: the block's parameters, {@code index}, and the shape of the
   * block's input as {@code in.channels}, {@code in.height}, {@code in.width} (inferred from the layers read
   * so far, only when an expression asks).
   */
  private Expr.Names names(Scope scope) {
    Map<String, Number> vars = scope.vars() == null ? Map.of() : scope.vars();
    return new Expr.Names() {
      @Override
      public Number get(String name) throws Expr.ExprException {
        Number v = vars.get(name);
        if (v != null || !scope.inBlock() || !name.startsWith(BLOCK_INPUT + ".")) return v;
        String axis = name.substring(BLOCK_INPUT.length() + 1);
        if (!InputShapes.AXES.contains(axis)) return null;
        Shape s = shapes.of(resolve(scope.input()));
        return axis.equals("channels") ? s.channels() : axis.equals("height") ? s.height() : s.width();
      }

      @Override
      public java.util.Collection<String> known() {
        List<String> all = new ArrayList<>(vars.keySet());
        if (scope.inBlock()) for (String axis : InputShapes.AXES) all.add(BLOCK_INPUT + "." + axis);
        return all;
      }
    };
  }

  /** Expands {@code @Use}: returns the name of the last instance's output, or null after an error. */
  private String expand(Element field, AnnotationMirror use, String name, String input, Scope scope) {
    Map<String, Object> attrs = values.withDefaults(use);
    Map<String, AnnotationValue> explicit = AnnotationValues.explicit(use);
    Site useSite = at(scope, field, use, null);
    TypeMirror blockType = (TypeMirror) attrs.get("value");
    TypeElement block = blockType instanceof DeclaredType d ? (TypeElement) d.asElement() : null;
    Site valueSite = at(scope, field, use, explicit.get("value"));
    AnnotationMirror blockAnn = block == null ? null : AnnotationValues.find(block, DSL + "Block");
    if (blockAnn == null) {
      diag.error(valueSite, Message.USE_NOT_A_BLOCK, blockType);
      return null;
    }
    String blockName = block.getSimpleName().toString();
    if (scope.blocks().contains(block.getQualifiedName().toString())) {
      diag.error(valueSite, Message.BLOCK_RECURSION, blockName, String.join(" -> ", scope.blocks()));
      return null;
    }
    List<String> params = AnnotationValues.strings(values.withDefaults(blockAnn).get("params"));
    Map<String, Number> given = arguments(blockName, params, attrs, explicit, scope, field, use);
    if (given == null) return null;
    int repeat = (Integer) attrs.get("repeat");
    if (repeat < 1) {
      diag.error(at(scope, field, use, explicit.get("repeat")), Message.USE_REPEAT, repeat);
      return null;
    }
    boolean numbered = repeat > 1 || (Boolean) attrs.get("numbered");
    String current = input;
    for (int i = 0; i < repeat; i++) {
      Map<String, Number> vars = new HashMap<>(given);
      vars.put("index", i);
      String prefix = numbered ? name + "." + i : name;
      Deque<String> stack = new ArrayDeque<>(scope.blocks());
      stack.addLast(block.getQualifiedName().toString());
      // Errors inside the instance are reported on the @Use that created it: the block class may be compiled
      // already (no source), and the arguments are what differ between instances.
      Site instanceSite = scope.inBlock() ? scope.useSite() : new Site(field, use, explicit.containsKey("args")
          ? explicit.get("args") : explicit.get("bind"), "in block " + blockName + " as " + prefix + ": ");
      String out = members(block, new Scope(prefix, current, vars, instanceSite, stack));
      if (out == null || out.equals(current)) {
        diag.error(valueSite, Message.BLOCK_EMPTY, blockName);
        return null;
      }
      current = out;
    }
    return current;
  }

  /**
   * The block's parameters from {@code args} (the first ones, in order) and {@code bind} (by name, evaluated
   * where the {@code @Use} is written: an enclosing block's parameters, {@code index} and {@code in.*}), or
   * null after reporting a parameter given twice, unknown or missing.
   */
  private Map<String, Number> arguments(String blockName, List<String> params, Map<String, Object> attrs,
      Map<String, AnnotationValue> explicit, Scope scope, Element field, AnnotationMirror use) {
    int[] args = AnnotationValues.ints(attrs.get("args"));
    List<String> binds = AnnotationValues.strings(attrs.get("bind"));
    Site argsSite = at(scope, field, use, explicit.get("args"));
    Site bindSite = at(scope, field, use, explicit.get("bind"));
    if (binds.isEmpty() && args.length != params.size() || args.length > params.size()) {
      diag.error(argsSite, Message.USE_ARGS, blockName, params.size(), String.join(", ", params), args.length,
          String.join(", ", params));
      return null;
    }
    Map<String, Number> given = new LinkedHashMap<>();
    for (int p = 0; p < args.length; p++) given.put(params.get(p), args[p]);
    boolean ok = true;
    for (String text : binds) {
      Bindings.Entry entry = Bindings.Entry.parse(text);
      if (entry == null) {
        diag.error(bindSite, Message.BIND_SYNTAX, text);
        ok = false;
      } else if (!params.contains(entry.target())) {
        diag.error(bindSite, Message.USE_BIND_UNKNOWN, blockName, entry.target(),
            params.isEmpty() ? "none" : String.join(", ", params));
        ok = false;
      } else if (given.containsKey(entry.target())) {
        diag.error(bindSite, Message.USE_BIND_TWICE, entry.target(), blockName);
        ok = false;
      } else {
        try {
          given.put(entry.target(), Bindings.number(entry, names(scope)));
        } catch (Expr.AlreadyReported e) {
          ok = false;
        } catch (Expr.ExprException e) {
          diag.error(bindSite, Message.EXPRESSION, e.getMessage());
          ok = false;
        } catch (Bindings.TypeMismatch e) {
          diag.error(bindSite, Message.BIND_TYPE, "@Use", e.getMessage());
          ok = false;
        }
      }
    }
    if (!ok) return null;
    List<String> missing = new ArrayList<>();
    for (String p : params) if (!given.containsKey(p)) missing.add(p);
    if (!missing.isEmpty()) {
      diag.error(binds.isEmpty() ? argsSite : bindSite, Message.USE_MISSING, blockName, String.join(", ", missing),
          missing.get(0));
      return null;
    }
    return given;
  }

  private Site siteFor(Element field, Scope scope) {
    return scope.inBlock() ? scope.useSite() : Site.of(field);
  }

  /**
   * The site of an annotation (value) on a field. Inside a block every site is the {@code @Use} that
   * expanded it, since a mirror of the block's own source cannot be shown on the network's field.
   */
  private static Site at(Scope scope, Element field, AnnotationMirror m, AnnotationValue v) {
    return scope.inBlock() ? scope.useSite() : Site.of(field).at(m, v);
  }
}
