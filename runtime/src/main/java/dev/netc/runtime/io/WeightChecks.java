package dev.netc.runtime.io;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.WeightsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The checks and messages every {@link dev.netc.runtime.Weights} in this package shares, so that a missing
 * tensor or a wrong shape reads the same whether the weights came from a file or from memory.
 */
final class WeightChecks {
  private static final int MAX_SUGGESTIONS = 5;

  private WeightChecks() {}

  /** "no tensor 'x' in SOURCE; similar names: ..." with the closest names the source does have. */
  static WeightsException missing(String name, String source, Collection<String> names) {
    StringBuilder sb = new StringBuilder();
    sb.append("no tensor '").append(name).append("' in ").append(source);
    List<String> similar = similar(name, names);
    if (!similar.isEmpty()) {
      sb.append("; similar names: ");
      for (int i = 0; i < similar.size(); i++) {
        if (i > 0) sb.append(", ");
        sb.append('\'').append(similar.get(i)).append('\'');
      }
    }
    sb.append(" (").append(names.size()).append(names.size() == 1 ? " tensor" : " tensors").append(" in all)");
    return new WeightsException(sb.toString());
  }

  /** Throws unless {@code actual} equals the dims the model asked for, naming both. */
  static void checkShape(WeightSpec spec, long[] actual, String source) {
    int[] expected = spec.dims();
    boolean same = expected.length == actual.length;
    for (int i = 0; same && i < expected.length; i++) {
      same = expected[i] == actual[i];
    }
    if (!same) {
      throw new WeightsException("tensor '" + spec.name() + "' in " + source + " has shape "
          + WeightSpec.format(actual) + " but the model expects " + Arrays.toString(expected));
    }
  }

  /** The message for a tensor netc cannot read because it is not float32. */
  static WeightsException wrongDtype(String name, String dtype, String source) {
    return new WeightsException("tensor '" + name + "' in " + source + " has dtype " + dtype
        + " but netc reads F32 (float32) only; convert the weights before saving, in PyTorch with"
        + " tensor.float(), e.g. {k: v.float() for k, v in model.state_dict().items()}");
  }

  static long[] toLong(int[] dims) {
    long[] l = new long[dims.length];
    for (int i = 0; i < dims.length; i++) l[i] = dims[i];
    return l;
  }

  /**
   * Up to five names a user may have meant. A name that is the wanted one with a prefix added or removed
   * (PyTorch's "module." from DataParallel, or "features.") comes first; then names ending in the same last
   * component ("weight", "bias", "running_var") by edit distance. Names of another kind are only offered
   * when there is no name of the same kind.
   */
  static List<String> similar(String name, Collection<String> names) {
    String kind = lastComponent(name);
    List<String> sameKind = new ArrayList<>();
    for (String n : names) {
      if (lastComponent(n).equals(kind)) sameKind.add(n);
    }
    List<String> pool = sameKind.isEmpty() ? new ArrayList<>(names) : sameKind;
    pool.sort(Comparator.comparingInt((String n) -> score(name, n)).thenComparing(Comparator.naturalOrder()));
    return pool.subList(0, Math.min(MAX_SUGGESTIONS, pool.size()));
  }

  private static int score(String wanted, String candidate) {
    if (candidate.endsWith("." + wanted) || wanted.endsWith("." + candidate)) {
      return -1;
    }
    return editDistance(wanted, candidate);
  }

  private static String lastComponent(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  /** Levenshtein distance, two rows; names are short, so quadratic time is nothing. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
