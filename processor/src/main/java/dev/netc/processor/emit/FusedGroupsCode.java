package dev.netc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netc.graph.Concat;
import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.processor.passes.BufferPlan;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The code both generated models share for the runtime's {@code FusedGroups} benchmarking hook: which groups
 * there are (every node of the fused graph but the input, in graph order, so both backends number them
 * alike), the {@code GROUPS} constant naming them, and the dispatcher that runs group {@code k} alone.
 *
 * <pre>{@code
 * private static final List<String> GROUPS = List.of("conv1", "conv2", "fc1", "fc2", "fc3");
 *
 * protected void computeGroup(int group, int batch) {
 *   switch (group) {
 *     case 0 -> {
 *       conv1Conv(batch); // conv1/conv + conv1/relu + conv1
 *     }
 *     ...
 *   }
 * }
 * }</pre>
 */
public final class FusedGroupsCode {
  private static final ClassName LIST = ClassName.get(List.class);

  private FusedGroupsCode() {}

  /** The fused groups, in the order both backends number them. */
  public static List<Node> of(Graph fused) {
    List<Node> groups = new ArrayList<>();
    for (Node n : fused.nodes()) if (!(n.op() instanceof Input)) groups.add(n);
    return groups;
  }

  /**
   * Whether a group runs any kernel: all do but a concatenation whose inputs were all written into their slices
   * in place (the same test {@code PlaneKernels.concat} and {@code ClPlaneKernels.concat} make).
   */
  public static boolean hasKernel(Node group, BufferPlan plan) {
    if (!(group.op() instanceof Concat)) return true;
    for (String in : group.inputs()) if (!plan.inSlice(in, group.name())) return true;
    return false;
  }

  /** Adds {@code GROUPS} and the override of {@code fusedGroupNames()} returning it. */
  public static void addNames(TypeSpec.Builder type, Graph fused) {
    CodeBlock.Builder names = CodeBlock.builder().add("$T.of(", LIST);
    List<Node> groups = of(fused);
    for (int i = 0; i < groups.size(); i++) names.add(i == 0 ? "$S" : ", $S", groups.get(i).name());
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, ClassName.get(String.class)), "GROUPS",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The fused groups, numbered as {@code runGroup} takes them (the nodes of {@code FUSED} but the"
            + " input).\n")
        .initializer(names.add(")").build())
        .build());
    type.addMethod(MethodSpec.methodBuilder("fusedGroupNames")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .returns(ParameterizedTypeName.get(LIST, ClassName.get(String.class)))
        .addStatement("return GROUPS")
        .build());
  }

  /** The body of one case: the group's code, or a comment saying why it has none. */
  public static CodeBlock caseBody(String group, CodeBlock code) {
    if (!code.isEmpty()) return code;
    return CodeBlock.of("// $L: no kernel, every input was written straight into its slice\n", group);
  }
}
