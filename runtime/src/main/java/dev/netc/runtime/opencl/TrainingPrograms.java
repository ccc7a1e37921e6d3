package dev.netc.runtime.opencl;

import dev.netc.graph.Graph;
import dev.netc.graph.Input;
import dev.netc.graph.Node;
import dev.netc.runtime.NetcException;
import dev.netc.runtime.train.TrainingSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the processor and {@link OpenClTrainer} agree on about a network's generated training program, {@code
 * <Name>.train.cl} next to the generated classes: its file name, the kernel library it starts with ({@code
 * training_lib.cl}, a resource beside this class), and the names of its kernels, one per scheduled layer and
 * role ({@code conv1__forward}, {@code conv1__weight_gradient}, ...). Both sides derive the names from here, so
 * the trainer launches exactly the kernels the processor wrote.
 *
 * <p>The processor copies the library into each program rather than the runtime prepending it at build time: a
 * generated program is then complete OpenCL C (it builds, and runs under oclgrind, as it stands in
 * target/classes), and a class compiled against one runtime's library keeps working with its own copy. The binary
 * cache keys on the whole text, so each network's program is built once per device and then loaded.
 */
public final class TrainingPrograms {
  private TrainingPrograms() {}

  /** The library resource, next to this class. */
  static final String LIBRARY = "training_lib.cl";

  // The roles of a layer's kernels: the part of a kernel name after the layer's prefix and "__".
  public static final String FORWARD = "forward";
  public static final String BACKWARD = "backward";
  /** A fused activation's backward pass: the gradient before the activation, from the output's. */
  public static final String PRE_ACTIVATION_GRADIENT = "pre_activation_gradient";
  public static final String BIAS_GRADIENT = "bias_gradient";
  public static final String WEIGHT_GRADIENT = "weight_gradient";
  public static final String INPUT_GRADIENT = "input_gradient";
  /** Batch norm: the statistics that normalise (the batch's, or the running ones). */
  public static final String STATISTICS = "statistics";
  /** Batch norm: the scale and shift gradients and the two means the input gradient needs. */
  public static final String PARAMETER_GRADIENT = "parameter_gradient";

  /** {@code AlexNet} (the generated classes' base name) -> {@code AlexNet.train.cl}. */
  public static String fileName(String base) {
    return base + ".train.cl";
  }

  /** A kernel's name: {@code conv1} and {@link #FORWARD} -> {@code conv1__forward}. */
  public static String kernel(String prefix, String role) {
    return prefix + "__" + role;
  }

  /** The kernel of input {@code index} of a concatenation: {@code cat__forward_1}. */
  public static String kernel(String prefix, String role, int index) {
    return prefix + "__" + role + "_" + index;
  }

  /**
   * The kernel-name prefix of every layer a trainer schedules, by layer node name, in graph order: every node but
   * the input and the activations fused into the convolution or dense layer before them ({@link
   * TrainingSchedule#fusedActivations}), whose kernels carry the convolution's or dense layer's name. A prefix is
   * the node name with every character outside {@code [A-Za-z0-9_]} and every run of underscores made one
   * underscore (so {@code __} only ever separates prefix and role, and no prefix can meet a library function's
   * name), {@code n_} in front when it would not start with a letter, and {@code _2}, {@code _3} ... after a name
   * already taken.
   */
  public static Map<String, String> kernelPrefixes(Graph described) {
    Map<String, Node> fused = TrainingSchedule.fusedActivations(described);
    Map<String, String> prefixes = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>();
    for (Node n : described.nodes()) {
      if (n.op() instanceof Input || fused.containsKey(n.name())) continue;
      String base = n.name().replaceAll("[^A-Za-z0-9_]", "_").replaceAll("_+", "_");
      if (base.isEmpty() || !Character.isLetter(base.charAt(0))) base = "n_" + base;
      if (base.endsWith("_")) base = base.substring(0, base.length() - 1); // "a_" + "__forward" would read "a___"
      String prefix = base;
      for (int i = 2; !taken.add(prefix); i++) prefix = base + "_" + i;
      prefixes.put(n.name(), prefix);
    }
    return Collections.unmodifiableMap(prefixes);
  }

  /** The text of the kernel library every generated training program starts with. */
  public static String library() {
    try (InputStream in = TrainingPrograms.class.getResourceAsStream(LIBRARY)) {
      if (in == null) throw new NetcException("netc-runtime is missing its resource " + LIBRARY);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new NetcException("cannot read the training kernel library " + LIBRARY + ": " + e.getMessage(), e);
    }
  }

  /**
   * The generated training program of a network, read from next to its generated model class ({@code
   * <Name>_Model} -> {@code <Name>.train.cl}).
   *
   * @throws NetcException when there is none: the classes were generated by a processor older than this runtime
   *     (recompiling the description writes it), or the resource was not packaged with them
   */
  public static String source(Class<?> model) {
    String simple = model.getSimpleName();
    String base = simple.endsWith("_Model") ? simple.substring(0, simple.length() - "_Model".length()) : simple;
    String resource = fileName(base);
    try (InputStream in = model.getResourceAsStream(resource)) {
      if (in == null) {
        throw new NetcException("the OpenCL training program " + resource + " is missing next to " + model.getName()
            + ": netc-processor writes it with the classes of every network that has a trainer, but older"
            + " processors did not; recompile the description with this netc, and package target/classes whole");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new NetcException("cannot read the OpenCL training program " + resource + ": " + e.getMessage(), e);
    }
  }
}
