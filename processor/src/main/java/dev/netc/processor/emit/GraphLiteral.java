package dev.netc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import dev.netc.graph.Activation;
import dev.netc.graph.AdaptiveAvgPool;
import dev.netc.graph.BatchNorm;
import dev.netc.graph.Conv;
import dev.netc.graph.Dense;
import dev.netc.graph.Dropout;
import dev.netc.graph.FoldedBatchNorm;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Lrn;
import dev.netc.graph.LrnPool;
import dev.netc.graph.Node;
import dev.netc.graph.Op;
import dev.netc.graph.Pool;
import dev.netc.graph.Shape;
import dev.netc.graph.Subsample;
import dev.netc.graph.TableConv;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes a {@link Graph} as Java code that rebuilds it, so the generated class carries its own IR (for
 * {@code netc summary}, the reference interpreter and tests). Nodes are added by helper methods of at most
 * {@value #CHUNK} nodes each: a fused convolution node (folded batch norm, residual) takes about 100 bytes of
 * bytecode, so every method stays under HotSpot's 8,000-byte {@code HugeMethodLimit} (ResNet-152's fused graph
 * overran it with 100 per method) and far below the class file's 64 KB.
 */
final class GraphLiteral {
  private static final int CHUNK = 50;
  private static final String PKG = "dev.netc.graph";
  static final ClassName GRAPH = ClassName.get(PKG, "Graph");
  private static final ClassName NODE = ClassName.get(PKG, "Node");
  private static final ClassName SHAPE = ClassName.get(PKG, "Shape");
  private static final ClassName ACTIVATION = ClassName.get(PKG, "Activation");

  private GraphLiteral() {}

  /** Adds {@code static Graph method()} and its chunk helpers to the type. */
  static void emit(com.palantir.javapoet.TypeSpec.Builder type, String method, Graph g) {
    ParameterizedTypeName listOfNode = ParameterizedTypeName.get(ClassName.get(List.class), NODE);
    ParameterizedTypeName arrayList = ParameterizedTypeName.get(ClassName.get(java.util.ArrayList.class), NODE);
    MethodSpec.Builder main = MethodSpec.methodBuilder(method)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(GRAPH)
        .addStatement("$T nodes = new $T()", listOfNode, arrayList);
    List<Node> nodes = g.nodes();
    for (int start = 0, part = 0; start < nodes.size(); start += CHUNK, part++) {
      String helper = method + part;
      MethodSpec.Builder h = MethodSpec.methodBuilder(helper)
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addParameter(listOfNode, "nodes");
      for (Node n : nodes.subList(start, Math.min(nodes.size(), start + CHUNK))) {
        h.addStatement("nodes.add(new $T($S, $L, $L, $S, $L, $L))", NODE, n.name(), op(n.op()), strings(n.inputs()),
            n.weightPrefix(), shape(n.shape()), strings(n.fusedFrom()));
      }
      type.addMethod(h.build());
      main.addStatement("$N(nodes)", helper);
    }
    main.addStatement("return new $T($S, nodes, $S)", GRAPH, g.name(), g.output());
    type.addMethod(main.build());
  }

  private static CodeBlock strings(List<String> values) {
    CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", List.class);
    for (int i = 0; i < values.size(); i++) b.add(i == 0 ? "$S" : ", $S", values.get(i));
    return b.add(")").build();
  }

  static CodeBlock shape(Shape s) {
    return CodeBlock.of("new $T($L, $L, $L)", SHAPE, s.channels(), s.height(), s.width());
  }

  static CodeBlock op(Op op) {
    if (op instanceof Input i) return CodeBlock.of("new $T($L)", ClassName.get(PKG, "Input"), shape(i.shape()));
    if (op instanceof Conv c) {
      if (c.norm() == null && !c.residual()) {
        return CodeBlock.of("new $T($L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", ClassName.get(PKG, "Conv"), c.filters(),
            c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(), c.bias(),
            activation(c.activation()));
      }
      return CodeBlock.of("new $T($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", ClassName.get(PKG, "Conv"),
          c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padH(), c.padW(), c.groups(), c.bias(),
          activation(c.activation()), norm(c.norm()), c.residual());
    }
    if (op instanceof Activation a) return activation(a);
    if (op instanceof TableConv t) {
      CodeBlock.Builder rows = CodeBlock.builder();
      for (int i = 0; i < t.table().rows().size(); i++) {
        rows.add(i == 0 ? "$T.of(" : ", $T.of(", List.class);
        List<Integer> row = t.table().rows().get(i);
        for (int j = 0; j < row.size(); j++) rows.add(j == 0 ? "$L" : ", $L", row.get(j));
        rows.add(")");
      }
      return CodeBlock.of("new $T($L, new $T($T.of($L)))", ClassName.get(PKG, "TableConv"), op(t.conv()),
          ClassName.get(PKG, "ConnectionTable"), List.class, rows.build());
    }
    if (op instanceof Subsample s) {
      return CodeBlock.of("new $T($L, $L, $L, $L, $L, $L)", ClassName.get(PKG, "Subsample"), s.windowH(), s.windowW(),
          s.strideH(), s.strideW(), s.bias(), activation(s.activation()));
    }
    if (op instanceof Lrn l) {
      return CodeBlock.of("new $T($L, $L, $L, $L, $L)", ClassName.get(PKG, "Lrn"), l.size(), l.alpha(), l.beta(),
          l.k(), l.perSize());
    }
    if (op instanceof Pool p) {
      return CodeBlock.of("new $T($T.$L, $L, $L, $L, $L, $L, $L, $L, $L)", ClassName.get(PKG, "Pool"),
          ClassName.get(PKG, "Pool", "Kind"), p.kind().name(), p.windowH(), p.windowW(), p.strideH(), p.strideW(),
          p.padH(), p.padW(), p.ceil(), p.countIncludePad());
    }
    if (op instanceof LrnPool lp) {
      return CodeBlock.of("new $T($L, $L)", ClassName.get(PKG, "LrnPool"), op(lp.lrn()), op(lp.pool()));
    }
    if (op instanceof AdaptiveAvgPool a) {
      return CodeBlock.of("new $T($L, $L)", ClassName.get(PKG, "AdaptiveAvgPool"), a.height(), a.width());
    }
    if (op instanceof Dense d) {
      if (d.norm() == null) {
        return CodeBlock.of("new $T($L, $L, $L, $L)", ClassName.get(PKG, "Dense"), d.units(), d.bias(),
            activation(d.activation()), d.softmax());
      }
      return CodeBlock.of("new $T($L, $L, $L, $L, $L)", ClassName.get(PKG, "Dense"), d.units(), d.bias(),
          activation(d.activation()), d.softmax(), norm(d.norm()));
    }
    if (op instanceof Dropout d) return CodeBlock.of("new $T($L)", ClassName.get(PKG, "Dropout"), d.rate());
    if (op instanceof BatchNorm b) return CodeBlock.of("new $T($L)", ClassName.get(PKG, "BatchNorm"), b.eps());
    // GlobalAvgPool, Softmax, Concat, Add: no attributes.
    return CodeBlock.of("new $T()", ClassName.get(PKG, op.getClass().getSimpleName()));
  }

  private static CodeBlock norm(FoldedBatchNorm n) {
    if (n == null) return CodeBlock.of("null");
    return CodeBlock.of("new $T($S, $L)", ClassName.get(PKG, "FoldedBatchNorm"), n.prefix(), n.eps());
  }

  private static CodeBlock activation(Activation a) {
    if (a.isIdentity()) return CodeBlock.of("$T.NONE", ACTIVATION);
    return CodeBlock.of("new $T($T.Kind.$L, $Lf)", ACTIVATION, ACTIVATION, a.kind().name(), Float.toString(a.alpha()));
  }
}
