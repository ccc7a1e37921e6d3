package dev.netc.runtime.opencl;

import dev.netc.runtime.NetcException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The OpenCL programs of one generated model, one per {@link KernelVariant}: resources next to the generated
 * class (e.g. {@code AlexNet.cpu.cl}, {@code AlexNet.gpu.cl}), read on first use and kept. A generated model
 * holds one instance in a static field, so each text is read once per class loader.
 */
public final class KernelPrograms {
  private final Class<?> owner;
  private final String name;
  private final String options;
  private final Map<KernelVariant, String> resources;
  private final Map<KernelVariant, String> sources = new EnumMap<>(KernelVariant.class);

  /**
   * @param owner the generated class the resources lie next to
   * @param name names the program in errors, logs and the binary cache, usually the network's name
   * @param options OpenCL C compiler options ({@code ""} for none)
   * @param resources each variant's resource name, relative to {@code owner}'s package
   */
  public KernelPrograms(Class<?> owner, String name, String options, Map<KernelVariant, String> resources) {
    if (resources.isEmpty()) throw new IllegalArgumentException("program " + name + " has no variant");
    this.owner = owner;
    this.name = name;
    this.options = options;
    this.resources = new EnumMap<>(resources);
  }

  /**
   * Programs given as text, for hand-written models and tests.
   *
   * @param sources each variant's OpenCL C source
   */
  public static KernelPrograms ofSources(String name, String options, Map<KernelVariant, String> sources) {
    Map<KernelVariant, String> resources = new EnumMap<>(KernelVariant.class);
    for (KernelVariant v : sources.keySet()) resources.put(v, name + " (" + v.id() + ", given as text)");
    KernelPrograms p = new KernelPrograms(KernelPrograms.class, name, options == null ? "" : options, resources);
    p.sources.putAll(sources);
    return p;
  }

  /** The program's name, e.g. {@code AlexNet}. */
  public String name() {
    return name;
  }

  /** The compiler options every variant is built with. */
  public String options() {
    return options;
  }

  /** The variants this model was generated with. */
  public Set<KernelVariant> variants() {
    return resources.keySet();
  }

  /** The resource name of one variant, e.g. {@code AlexNet.gpu.cl}. */
  public String resource(KernelVariant variant) {
    String r = resources.get(variant);
    if (r == null) {
      throw new NetcException("program " + name + " has no " + variant.id() + " variant (it has " + variants() + ")");
    }
    return r;
  }

  /**
   * The text of one variant. A missing resource is a packaging mistake, and the message says so.
   *
   * @throws NetcException when the resource is missing or unreadable
   */
  public synchronized String source(KernelVariant variant) {
    String text = sources.get(variant);
    if (text != null) return text;
    String resource = resource(variant);
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new NetcException("the OpenCL program " + resource + " is missing next to " + owner.getName()
            + " on the class path; it is generated with the class (target/classes), so package it with the class"
            + " files");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new NetcException("cannot read the OpenCL program " + resource + ": " + e.getMessage(), e);
    }
    sources.put(variant, text);
    return text;
  }
}
