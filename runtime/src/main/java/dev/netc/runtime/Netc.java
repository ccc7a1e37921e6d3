package dev.netc.runtime;

import dev.netc.graph.Graph;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.opencl.OpenClTrainer;
import dev.netc.runtime.train.JavaTrainer;
import dev.netc.runtime.train.Trainer;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Entry point for using a compiled network by its description class, when the generated
 * {@code <Name>_Model} class is not referred to directly:
 *
 * <pre>{@code
 * try (Model model = Netc.load(AlexNet.class, Path.of("alexnet.safetensors"))) {
 *   float[] probabilities = model.forward(images, batch);
 * }
 * }</pre>
 */
public final class Netc {
  private Netc() {}

  /** The generated class for a description: {@code pkg.Outer_Inner_Model} for {@code pkg.Outer.Inner}. */
  public static Class<?> generatedClass(Class<?> description) {
    return generatedClass(description, "_Model");
  }

  private static Class<?> generatedClass(Class<?> description, String suffix) {
    String pkg = description.getPackageName();
    String simple = description.getName().substring(pkg.isEmpty() ? 0 : pkg.length() + 1).replace('$', '_');
    String name = (pkg.isEmpty() ? "" : pkg + ".") + simple + suffix;
    try {
      return Class.forName(name, true, description.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new NetcException("no generated model " + name + " for " + description.getName()
          + ": is it annotated with @Network, and is netc-processor on the annotation processor path?", e);
    }
  }

  /** The network as described (shapes inferred, before fusion). */
  public static Graph graph(Class<?> description) {
    return staticGraph(description, "GRAPH");
  }

  /** The network as it runs: after the inference passes, one node per fused group. */
  public static Graph fusedGraph(Class<?> description) {
    return staticGraph(description, "FUSED");
  }

  /**
   * Loads weights from a safetensors file into a model on the configured backend ({@link Backend#configured()},
   * AUTO unless set). The file is closed before returning.
   */
  public static Model load(Class<?> description, Path safetensors) {
    try (SafeTensors weights = SafeTensors.open(safetensors)) {
      return load(description, weights, Backend.configured());
    }
  }

  /** A model on the configured backend with the given weights (copied while loading). */
  public static Model load(Class<?> description, Weights weights) {
    return load(description, weights, Backend.configured());
  }

  /**
   * A model on the given backend. {@link Backend#AUTO} takes OpenCL when a device exists and otherwise the
   * Java backend, saying why once on standard error; {@link Backend#OPENCL} without a device fails with what
   * to install.
   */
  public static Model load(Class<?> description, Weights weights, Backend backend) {
    switch (resolve(backend)) {
      case OPENCL:
        return invokeLoad(generatedClass(description, "_OpenClModel"), description, weights);
      default:
        return invokeLoad(generatedClass(description), description, weights);
    }
  }

  /** What a backend choice means on this machine: AUTO becomes OPENCL or JAVA. */
  public static Backend resolve(Backend backend) {
    if (backend == Backend.JAVA) return Backend.JAVA;
    boolean available = dev.netc.runtime.opencl.OpenCl.isAvailable();
    if (backend == Backend.OPENCL) {
      if (!available) {
        throw new NetcException("the OpenCL backend was requested but "
            + dev.netc.runtime.opencl.OpenCl.unavailableReason());
      }
      return Backend.OPENCL;
    }
    if (available) {
      AutoChoice.sayOnce("netc: backend auto chose OpenCL on " + dev.netc.runtime.opencl.OpenCl.select().describe());
      return Backend.OPENCL;
    }
    AutoChoice.sayOnce("netc: backend auto chose Java: no usable OpenCL device ("
        + dev.netc.runtime.opencl.OpenCl.unavailableReason() + ")");
    return Backend.JAVA;
  }

  /** Says once per JVM, on standard error, which backend AUTO chose and why. */
  private static final class AutoChoice {
    private static boolean said;

    static synchronized void sayOnce(String line) {
      if (said) return;
      said = true;
      System.err.println(line);
    }
  }

  /**
   * The generated trainer of a description ({@code <Name>_Trainer}), starting from {@code initial} (copied).
   *
   * @throws NetcException when netc generated no trainer for it (a layer without a training kernel yet)
   */
  public static JavaTrainer trainer(Class<?> description, Weights initial, int threads) {
    Class<?> generated = trainerClass(description);
    try {
      return (JavaTrainer) generated.getMethod("create", Weights.class, int.class).invoke(null, initial, threads);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new NetcException("creating the trainer of " + description.getSimpleName() + " failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new NetcException("generated trainer for " + description.getName() + " has no create(Weights, int)", e);
    }
  }

  /**
   * A trainer of a description on the given backend, starting from {@code initial} (copied): the generated
   * {@code <Name>_Trainer} on {@link Backend#JAVA} (with {@code threads} workers), an
   * {@link OpenClTrainer} on the device {@link dev.netc.runtime.opencl.OpenCl#select()} picks (as for inference:
   * {@code NETC_OPENCL_DEVICE} or {@code netc.opencl.device}) on {@link Backend#OPENCL}; {@link Backend#AUTO}
   * takes OpenCL when a device exists (see {@link #resolve}). Both run the same schedule; every network with a
   * generated trainer trains on either (the OpenCL trainer with the network's generated {@code <Name>.train.cl}).
   *
   * @throws NetcException when netc generated no trainer for it, or OpenCL was asked for and is unavailable
   */
  public static Trainer trainer(Class<?> description, Weights initial, Backend backend, int threads) {
    if (resolve(backend) == Backend.JAVA) return trainer(description, initial, threads);
    trainerClass(description); // the networks that train are those with a generated trainer
    return OpenClTrainer.create(description, initial, dev.netc.runtime.opencl.OpenCl.select());
  }

  private static Class<?> trainerClass(Class<?> description) {
    try {
      return generatedClass(description, "_Trainer");
    } catch (NetcException e) {
      throw new NetcException("netc cannot train " + description.getSimpleName() + " yet: trainers are generated"
          + " only for networks whose every layer has a training kernel (connection-table convolutions and"
          + " trainable subsampling have none)", e);
    }
  }

  private static Model invokeLoad(Class<?> generated, Class<?> description, Weights weights) {
    try {
      Method load = generated.getMethod("load", Weights.class);
      return (Model) load.invoke(null, weights);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new NetcException("loading " + description.getSimpleName() + " failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new NetcException("generated model for " + description.getName() + " has no load(Weights)", e);
    }
  }

  private static Graph staticGraph(Class<?> description, String field) {
    try {
      Field f = generatedClass(description).getField(field);
      return (Graph) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new NetcException("generated model for " + description.getName() + " has no " + field, e);
    }
  }
}
