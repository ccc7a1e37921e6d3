package dev.netc.processor.opencl;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.runtime.FusedGroups;
import dev.netc.runtime.Model;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.java.JavaModel;
import dev.netc.runtime.opencl.KernelVariant;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code FusedGroups} benchmarking hook of generated models: both backends number the groups as the fused
 * graph does, run any one of them alone (a concatenation done in place included, which runs nothing), refuse
 * bad arguments, and never change what a forward pass returns. On the Java backend the last group run alone
 * recomputes the output from the arena a forward pass left.
 */
class FusedGroupsHookTest {
  private static final String FIELDS = """
        @Conv(filters = 4, kernel = 3, padding = 1) @Relu Layer stem;
        @Conv(filters = 3, kernel = 1) Layer a;
        @From("stem") @Conv(filters = 5, kernel = 3, padding = 1) @Relu Layer b;
        @From({"a", "b"}) @Concat Layer cat;
        @MaxPool(window = 2) Layer pool;
        @Dense(units = 6) @Softmax Layer out;
      """;

  private static OpenClFunctionalTest.Compiled compiled;

  @BeforeAll
  static void compile() throws Exception {
    OpenClFunctionalTest.openClOrSkip(); // skips loudly without OpenCL, fails under CI=true
    compiled = OpenClFunctionalTest.compile("Groups", ClCompile.net("Groups", 2, 6, 6, FIELDS));
  }

  @Test
  void javaBackendRunsEachGroupAloneAndTheLastRecomputesTheOutput() throws Exception {
    try (Model m = compiled.loadJava(new SyntheticWeights())) {
      FusedGroups g = (FusedGroups) m;
      assertThat(g.groupNames()).containsExactlyElementsIn(expectedGroups()).inOrder();
      int batch = 3;
      float[] input = SyntheticWeights.input(batch, 2, 6, 6);
      float[] expected = m.forward(input, batch);

      float[] arena = (float[]) field("arena").get(m);
      int from = (int) field("outputOffset").get(m) * batch;
      Arrays.fill(arena, from, from + expected.length, Float.NaN);
      g.runGroup(g.groups() - 1, batch);
      assertArrayEquals(expected, Arrays.copyOfRange(arena, from, from + expected.length));

      for (int k = 0; k < g.groups(); k++) g.runGroup(k, batch);
      g.runGroup(0, batch + 2); // a larger batch grows the arena, as forward would
      assertArrayEquals(expected, m.forward(input, batch), "a forward pass after runGroup");
      misuse(m, g);
    }
  }

  @Test
  void openClBackendRunsEachGroupAloneWithEitherVariant() throws Exception {
    for (KernelVariant v : KernelVariant.values()) {
      try (Model m = compiled.loadOpenCl(new SyntheticWeights(), v)) {
        FusedGroups g = (FusedGroups) m;
        assertThat(g.groupNames()).containsExactlyElementsIn(expectedGroups()).inOrder();
        int batch = 2;
        float[] input = SyntheticWeights.input(batch, 2, 6, 6);
        float[] expected = m.forward(input, batch);
        for (int k = 0; k < g.groups(); k++) g.runGroup(k, batch);
        assertArrayEquals(expected, m.forward(input, batch), "a forward pass after runGroup (" + v.id() + ")");
        misuse(m, g);
      }
    }
  }

  private static void misuse(Model m, FusedGroups g) {
    assertThrows(IndexOutOfBoundsException.class, () -> g.runGroup(g.groups(), 1));
    assertThrows(IndexOutOfBoundsException.class, () -> g.runGroup(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> g.runGroup(0, 0));
    m.close();
    assertThrows(IllegalStateException.class, () -> g.runGroup(0, 1));
  }

  /** The fused graph's nodes but the input: the in-place concatenation {@code cat} is a group of its own. */
  private static List<String> expectedGroups() throws Exception {
    Graph fused = (Graph) compiled.java().getField("FUSED").get(null);
    List<String> names = new ArrayList<>();
    for (Node n : fused.nodes()) if (!(n.op() instanceof Input)) names.add(n.name());
    assertThat(names).contains("cat");
    return names;
  }

  private static Field field(String name) throws NoSuchFieldException {
    Field f = JavaModel.class.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
