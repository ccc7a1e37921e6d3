package dev.netc.runtime.opencl;

import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;
import static org.jocl.CL.CL_SUCCESS;

import dev.netc.graph.Shape;
import dev.netc.runtime.FusedGroups;
import dev.netc.runtime.Model;
import dev.netc.runtime.ModelArguments;
import dev.netc.runtime.NetcException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;

/**
 * The base of every generated OpenCL model, the twin of {@code JavaModel}: argument checks, the activation
 * arena on the device, the program and its kernels, profiling and the closed state. The generated subclass
 * uploads its weights in its constructor ({@link #upload}) and supplies {@link #enqueue(int)}, one
 * {@link #launch} per fused group with every shape a constant in the kernel source.
 *
 * <p>A forward pass writes the input into the arena (one blocking write), enqueues every kernel back to back on
 * the in-order queue with no host synchronisation between them, and ends with one blocking read of the output.
 *
 * <p>Memory: weights are uploaded once into read-only buffers. Every intermediate tensor lives in one device
 * buffer, the arena, at the offset the processor's buffer planner chose; offsets are per image, so a batch of
 * {@code b} images places a tensor at {@code b * offset} floats (as in {@code JavaModel}). The arena grows
 * when a larger batch arrives and is reused afterwards.
 *
 * <p>Ownership: the model owns the {@link ClSession} it is given; {@link #close()} closes it, releasing every
 * OpenCL object (kernels, program, buffers, queue, context). If a subclass constructor fails after
 * {@code super(...)}, it should call {@link #close()} before rethrowing.
 *
 * <p>Kernel variants: a generated model carries one program per {@link KernelVariant} (register tiles for
 * CPU devices, work-group tiles for GPUs). The model runs the variant the user named with {@code
 * netc.opencl.variant} / {@code NETC_OPENCL_VARIANT} ({@code cpu}, {@code gpu}), else one tuned earlier on
 * this device (see {@code tune} below), else the one written for the device's type. With {@code tune}, loading
 * times every variant on the loaded weights (a bounded budget, {@code netc.opencl.tuneBudgetMs}, default
 * 4000 ms in all) and caches the winner next to the binary cache, so later loads with {@code auto} take it
 * without timing anything. {@link #kernelVariant()} says which one runs.
 *
 * <p>Thread safety: calls on one model are serialised ({@code synchronized}): concurrent callers wait for each
 * other and each gets correct results. For parallel inference, give each thread its own model (each has its
 * own queue).
 *
 * <p>For benchmarks, {@link FusedGroups} runs one fused group alone: a generated subclass overrides {@link
 * #fusedGroupNames()} and {@link #enqueueGroup}; a hand-written one without them has no groups.
 */
public abstract class OpenClModel implements Model, FusedGroups {
  private final String name;
  private final Shape inputShape;
  private final Shape outputShape;
  private final int arenaPerImage;
  private final int inputOffset;
  private final int outputOffset;
  private final ClSession session;
  private final KernelPrograms programs;
  private final VariantChoice choice;
  private KernelVariant variant;
  private ClProgram program;
  private String tuningKey;

  private ClBuffer arena;
  private boolean enqueueing;
  private boolean profiling;
  private boolean closed;
  private float[] staging = new float[0];
  private final List<Pending> pending = new ArrayList<>();
  private List<KernelTiming> lastProfile = List.of();
  // clSetKernelArg copies the value at once, so one scratch array per type serves every argument.
  private final int[] intArg = new int[1];
  private final float[] floatArg = new float[1];
  private final long[] longArg = new long[1];

  /** A profiled launch whose event is read after the forward pass. */
  private record Pending(String kernel, String label, long flops, long bytes, cl_event event) {}

  /**
   * A model with one hand-written program that serves every device (no variant is chosen). On failure the
   * session is closed.
   *
   * @param programName names the program in errors and the cache log
   * @param source the OpenCL C source of every kernel
   * @param options compiler options, or null
   * @see #OpenClModel(String, Shape, Shape, int, int, int, ClSession, KernelPrograms)
   */
  protected OpenClModel(String name, Shape inputShape, Shape outputShape, int arenaPerImage, int inputOffset,
      int outputOffset, ClSession session, String programName, String source, String options) {
    this(name, inputShape, outputShape, arenaPerImage, inputOffset, outputOffset, session,
        KernelPrograms.ofSources(programName, options, Map.of(KernelVariant.forDevice(session.device()), source)));
  }

  /**
   * Chooses a kernel variant (see the class comment) and builds its program, or loads it from the session's
   * binary cache. On failure the session is closed. A subclass uploads its weights next and then calls
   * {@link #finishLoading()}.
   *
   * @param arenaPerImage floats of arena one image needs
   * @param inputOffset per-image arena offset (floats) where the input is placed
   * @param outputOffset per-image arena offset (floats) of the output tensor
   * @param session the device to run on; the model owns it from here on
   * @param programs the program of every variant
   * @throws KernelBuildException when the source does not compile
   * @throws NetcException when {@code netc.opencl.variant} names no variant
   */
  protected OpenClModel(String name, Shape inputShape, Shape outputShape, int arenaPerImage, int inputOffset,
      int outputOffset, ClSession session, KernelPrograms programs) {
    this.name = name;
    this.inputShape = inputShape;
    this.outputShape = outputShape;
    this.arenaPerImage = arenaPerImage;
    this.inputOffset = inputOffset;
    this.outputOffset = outputOffset;
    this.session = session;
    this.programs = programs;
    try {
      if (arenaPerImage < 1) throw new IllegalArgumentException("arenaPerImage must be positive, got " + arenaPerImage);
      this.choice = programs.variants().size() > 1 ? VariantChoice.requested() : VariantChoice.AUTO;
      this.variant = firstVariant();
      this.program = build(variant);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** The variant to build first: the one asked for, else a tuned one, else the device type's. */
  private KernelVariant firstVariant() {
    if (programs.variants().size() == 1) return programs.variants().iterator().next();
    if (choice.fixed() != null) {
      if (!programs.variants().contains(choice.fixed())) {
        throw new NetcException(VariantChoice.PROPERTY + " asks for the " + choice.fixed().id() + " kernels but "
            + name + " was generated with " + programs.variants());
      }
      return choice.fixed();
    }
    TunedVariants cache = new TunedVariants(session.cacheDirectory());
    KernelVariant tuned = cache.isEmpty() ? null : cache.load(tuningKey());
    if (tuned != null && programs.variants().contains(tuned)) return tuned;
    KernelVariant byType = KernelVariant.forDevice(session.device());
    return programs.variants().contains(byType) ? byType : programs.variants().iterator().next();
  }

  /** The tuning cache's key for this model on this device, computed once (it hashes every variant's source). */
  private String tuningKey() {
    if (tuningKey == null) tuningKey = TunedVariants.key(programs, session.device(), Tuning.BATCH);
    return tuningKey;
  }

  private ClProgram build(KernelVariant v) {
    String programName = programs.variants().size() == 1 ? programs.name() : programs.name() + "." + v.id();
    return session.build(programName, programs.source(v), programs.options());
  }

  /**
   * Ends loading, after the subclass uploaded its weights: with {@code netc.opencl.variant=tune} and nothing
   * cached for this device, times every variant and keeps the fastest (see {@link Tuning}).
   */
  protected final void finishLoading() {
    checkOpen();
    if (!choice.tune()) return;
    TunedVariants cache = new TunedVariants(session.cacheDirectory());
    String key = tuningKey();
    if (cache.load(key) != null) return; // firstVariant() already took the tuned one
    Tuning.Result r = Tuning.run(this, programs.variants());
    Path file = cache.store(key, r.winner(), r.summary());
    System.getLogger("dev.netc.runtime.opencl").log(System.Logger.Level.INFO, "netc: tuned " + name + " on "
        + session.device().describe() + ": " + r.summary() + "; chose " + r.winner().id() + " kernels"
        + (file == null ? "" : " (remembered in " + file + ")"));
  }

  /** Switches this model to variant {@code v}, building its program unless it is the current one. */
  final void use(KernelVariant v) {
    if (v == variant) return;
    ClProgram next = build(v);
    program.close();
    program = next;
    variant = v;
  }

  /** The kernel variant this model runs. */
  public final synchronized KernelVariant kernelVariant() {
    return variant;
  }

  /** Enqueues every fused group for {@code batch} images, in order, through {@link #launch}. */
  protected abstract void enqueue(int batch);

  /**
   * The fused groups' names in the order {@link #enqueueGroup} numbers them; none unless a subclass says so (the
   * generated ones do).
   */
  protected List<String> fusedGroupNames() {
    return List.of();
  }

  /**
   * Enqueues the kernels of fused group {@code group} (checked: {@code 0 <= group < groups()}) for {@code batch}
   * images through {@link #launch}, as {@link #enqueue} does for that group. Only generated subclasses have
   * groups, so only they need to override it.
   */
  protected void enqueueGroup(int group, int batch) {
    throw new UnsupportedOperationException(name + " has no fused groups");
  }

  @Override
  public final int groups() {
    return fusedGroupNames().size();
  }

  @Override
  public final String groupName(int k) {
    return fusedGroupNames().get(Objects.checkIndex(k, groups()));
  }

  /**
   * See {@link FusedGroups#runGroup}: enqueues group {@code k}'s kernels on the arena as it is and waits for
   * them. A benchmarking hook; its results are not meaningful. With profiling on, its timings are dropped.
   */
  @Override
  public final synchronized void runGroup(int k, int batch) {
    checkOpen();
    Objects.checkIndex(k, groups());
    if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    prepare(batch);
    enqueueing = true;
    try {
      enqueueGroup(k, batch);
    } finally {
      enqueueing = false;
      try {
        Cl.check(CL.clFinish(queue()), "running group " + groupName(k) + " of " + name);
      } finally {
        releasePending();
      }
    }
  }

  /** The session (device, queue) this model runs on. */
  protected final ClSession session() {
    return session;
  }

  /**
   * Uploads a weight tensor into a read-only device buffer, once. Errors name the tensor and its size.
   *
   * @return the handle to pass to {@link #launch}
   */
  protected final ClBuffer upload(String tensorName, float[] data) {
    checkOpen();
    if (data.length == 0) throw new IllegalArgumentException("weight tensor " + tensorName + " of " + name + " is empty");
    return session.allocate(tensorName, "weight tensor " + tensorName + " of " + name,
        (long) data.length * Sizeof.cl_float, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, Pointer.to(data),
        "run " + name + " on a device with more memory");
  }

  /**
   * Uploads a weight tensor from a buffer ({@link dev.netc.runtime.Weights#buffer}), once: a direct buffer (a
   * mapped file's pages) is copied by the driver straight into the device buffer, with no Java array between; a
   * buffer over a whole array (the default of {@code Weights.buffer}) is uploaded from that array.
   */
  protected final ClBuffer upload(String tensorName, FloatBuffer data) {
    checkOpen();
    if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
        && data.remaining() == data.array().length) {
      return upload(tensorName, data.array());
    }
    if (!data.isDirect() || data.order() != ByteOrder.nativeOrder()) {
      float[] copy = new float[data.remaining()];
      data.duplicate().get(copy);
      return upload(tensorName, copy);
    }
    if (!data.hasRemaining()) throw new IllegalArgumentException("weight tensor " + tensorName + " of " + name + " is empty");
    return session.allocate(tensorName, "weight tensor " + tensorName + " of " + name,
        (long) data.remaining() * Sizeof.cl_float, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, Pointer.to(data.slice()),
        "run " + name + " on a device with more memory");
  }

  /** The activation arena, sized for the current batch; valid only inside {@link #enqueue(int)}. */
  protected final ClBuffer arena() {
    if (!enqueueing) throw new IllegalStateException("arena() is valid only inside enqueue()");
    return arena;
  }

  /**
   * Enqueues one kernel.
   *
   * @param kernel the kernel's name in the program (created on first use and kept)
   * @param label the layers it computes, for profiles
   * @param flops floating-point operations it performs, for profiles
   * @param bytes bytes it reads and writes, for profiles
   * @param global work items per dimension (1, 2 or 3 dimensions)
   * @param local work-group size per dimension, or null to let the driver choose
   * @param args in order: {@link ClBuffer} (as {@code __global T*}), {@link Integer} (int), {@link Float}
   *     (float), {@link Long} (long)
   */
  protected final void launch(String kernel, String label, long flops, long bytes, long[] global, long[] local,
      Object... args) {
    if (!enqueueing) throw new IllegalStateException("launch(" + kernel + ") is valid only inside enqueue()");
    if (global == null || global.length < 1 || global.length > 3) {
      throw new IllegalArgumentException("kernel " + kernel + ": global size needs 1 to 3 dimensions, got "
          + (global == null ? "null" : global.length));
    }
    for (long g : global) {
      if (g < 1) throw new IllegalArgumentException("kernel " + kernel + ": global size must be positive in every"
          + " dimension, got " + java.util.Arrays.toString(global));
    }
    if (local != null && local.length != global.length) {
      throw new IllegalArgumentException("kernel " + kernel + ": local size has " + local.length
          + " dimensions but global size has " + global.length);
    }
    ClProgram.Kernel k = program.kernel(kernel);
    if (k.numArgs >= 0 && k.numArgs != args.length) {
      throw new IllegalArgumentException("kernel " + kernel + " takes " + k.numArgs + " arguments but launch gave "
          + args.length);
    }
    for (int i = 0; i < args.length; i++) setArg(k, i, args[i]);
    local = fitWorkGroup(local, global);
    cl_event event = profiling ? new cl_event() : null;
    int status = CL.clEnqueueNDRangeKernel(queue(), k.handle, global.length, null, global, local, 0, null, event);
    if (status != CL_SUCCESS) {
      String what = "enqueueing kernel " + kernel + " (" + label + ") over " + java.util.Arrays.toString(global)
          + (local == null ? "" : " in groups of " + java.util.Arrays.toString(local));
      if (Cl.isOutOfMemory(status)) what += " with buffers " + buffersIn(args);
      throw Cl.failure(status, what);
    }
    if (event != null) {
      Cl.LIVE.incrementAndGet();
      pending.add(new Pending(kernel, label, flops, bytes, event));
    }
  }

  /**
   * The generated work-group size when this device allows it and it divides the global size, else null (the
   * driver chooses): generated code is compiled once for every device, whose limits differ.
   */
  private long[] fitWorkGroup(long[] local, long[] global) {
    if (local == null) return null;
    long items = 1;
    for (int i = 0; i < local.length; i++) {
      if (local[i] < 1 || global[i] % local[i] != 0) return null;
      items *= local[i];
    }
    return items <= session.device().maxWorkGroupSize() ? local : null;
  }

  private void setArg(ClProgram.Kernel k, int i, Object arg) {
    int status;
    String type;
    if (arg instanceof ClBuffer b) {
      type = "buffer " + b.name();
      status = CL.clSetKernelArg(k.handle, i, Sizeof.cl_mem, b.argPointer());
    } else if (arg instanceof Integer v) {
      type = "int " + v;
      intArg[0] = v;
      status = CL.clSetKernelArg(k.handle, i, Sizeof.cl_int, Pointer.to(intArg));
    } else if (arg instanceof Float v) {
      type = "float " + v;
      floatArg[0] = v;
      status = CL.clSetKernelArg(k.handle, i, Sizeof.cl_float, Pointer.to(floatArg));
    } else if (arg instanceof Long v) {
      type = "long " + v;
      longArg[0] = v;
      status = CL.clSetKernelArg(k.handle, i, Sizeof.cl_long, Pointer.to(longArg));
    } else {
      throw new IllegalArgumentException("kernel " + k.name + " argument " + i + ": expected ClBuffer, Integer, Float"
          + " or Long but got " + (arg == null ? "null" : arg.getClass().getName()));
    }
    if (status != CL_SUCCESS) {
      throw new IllegalArgumentException("kernel " + k.name + " argument " + i + " (" + type + ") was refused: "
          + CL.stringFor_errorCode(status) + " (does the kernel declare another type there?)");
    }
  }

  private static String buffersIn(Object[] args) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (Object a : args) {
      if (a instanceof ClBuffer b) j.add(b.toString());
    }
    return j.toString();
  }

  @Override
  public final String name() {
    return name;
  }

  /**
   * "opencl (device)", e.g. "opencl (Portable Computing Language / pthread-... (CPU, 2 compute units))", with
   * the kernel variant when the model has several: "opencl (..., cpu kernels)".
   */
  @Override
  public String backend() {
    String kernels = programs.variants().size() > 1 ? ", " + variant.id() + " kernels" : "";
    return "opencl (" + session.device().describe() + kernels + ")";
  }

  @Override
  public final Shape inputShape() {
    return inputShape;
  }

  @Override
  public final Shape outputShape() {
    return outputShape;
  }

  /** Whether the program came from the binary cache (for start-up reporting). */
  public final boolean programFromCache() {
    return program.fromCache();
  }

  /** Turns per-kernel timing on or off for the following forward calls. */
  public final synchronized void setProfiling(boolean on) {
    profiling = on;
    if (!on) lastProfile = List.of();
  }

  /** Kernel timings of the last forward call, in launch order; empty unless profiling is on. */
  public final synchronized List<KernelTiming> lastProfile() {
    return lastProfile;
  }

  @Override
  public final synchronized void forward(float[] input, float[] output, int batch) {
    int in = ModelArguments.check(name, closed, inputShape, outputShape, batch, input, output);
    int out = batch * outputShape.size();
    prepare(batch);
    try {
      write(Pointer.to(input), in, batch);
      run(batch);
      read(Pointer.to(output), out, batch);
      collectProfile();
    } finally {
      releasePending();
    }
  }

  @Override
  public final synchronized void forward(FloatBuffer input, FloatBuffer output, int batch) {
    int in = ModelArguments.check(name, closed, inputShape, outputShape, batch, input, output);
    int out = batch * outputShape.size();
    prepare(batch);
    try {
      forwardBuffers(input, output, in, out, batch);
      collectProfile();
    } finally {
      releasePending();
    }
  }

  private void forwardBuffers(FloatBuffer input, FloatBuffer output, int in, int out, int batch) {
    if (direct(input)) {
      write(at(input), in, batch);
    } else {
      float[] s = staging(in);
      input.get(input.position(), s, 0, in);
      write(Pointer.to(s), in, batch);
    }
    run(batch);
    if (direct(output)) {
      read(at(output), out, batch);
    } else {
      float[] s = staging(out);
      read(Pointer.to(s), out, batch);
      output.put(output.position(), s, 0, out);
    }
  }

  /** Direct and in native byte order: the device can copy straight from or into it. */
  private static boolean direct(FloatBuffer b) {
    return b.isDirect() && b.order() == ByteOrder.nativeOrder();
  }

  /**
   * A pointer to a direct buffer's position. JOCL 2.0.5 does the opposite of its Javadoc here (measured:
   * Pointer.to(buffer) starts at element 0, Pointer.toBuffer(buffer) at the position), so the buffer is sliced:
   * a slice starts at the position and has position 0, where both agree.
   */
  private static Pointer at(FloatBuffer b) {
    return Pointer.to(b.slice());
  }

  private float[] staging(int n) {
    if (staging.length < n) staging = new float[n];
    return staging;
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("model " + name + " is closed");
  }

  private cl_command_queue queue() {
    return session.queue();
  }

  /** Grows the arena for {@code b} images if needed. */
  private void prepare(int b) {
    long floats = (long) arenaPerImage * b;
    if (floats > Integer.MAX_VALUE - 8) {
      throw new NetcException("batch " + b + " needs " + floats + " floats of activations (" + Cl.size(floats * 4)
          + "), more than 32-bit kernel indices address; use a smaller batch");
    }
    long bytes = floats * Sizeof.cl_float;
    if (arena != null && arena.bytes() >= bytes) return;
    if (arena != null) {
      arena.release(); // commands still queued on it keep it alive until they finish
      arena = null;
    }
    arena = session.allocate("activation arena", "the activation arena of " + name + " for batch " + b, bytes,
        CL_MEM_READ_WRITE, null, "use a smaller batch (" + arenaPerImage + " floats per image)");
  }

  private void write(Pointer from, int floats, int b) {
    int status = CL.clEnqueueWriteBuffer(queue(), arena.mem(), true, (long) inputOffset * b * Sizeof.cl_float,
        (long) floats * Sizeof.cl_float, from, 0, null, null);
    if (status != CL_SUCCESS) {
      throw Cl.failure(status, "copying " + floats + " input floats into " + arena);
    }
  }

  private void read(Pointer into, int floats, int b) {
    int status = CL.clEnqueueReadBuffer(queue(), arena.mem(), true, (long) outputOffset * b * Sizeof.cl_float,
        (long) floats * Sizeof.cl_float, into, 0, null, null);
    if (status != CL_SUCCESS) {
      // A kernel that failed asynchronously surfaces here.
      throw Cl.failure(status, "running " + name + " and reading its " + floats + " output floats from " + arena);
    }
  }

  private void run(int b) {
    enqueueing = true;
    boolean ok = false;
    try {
      enqueue(b);
      ok = true;
    } finally {
      enqueueing = false;
      if (!ok) {
        CL.clFinish(queue());
        releasePending();
      }
    }
  }

  /** Reads the timings of the launches just completed; the caller releases their events. */
  private void collectProfile() {
    lastProfile = List.of();
    if (pending.isEmpty()) return;
    List<KernelTiming> timings = new ArrayList<>(pending.size());
    long[] start = new long[1];
    long[] end = new long[1];
    for (Pending p : pending) {
      Cl.check(CL.clGetEventProfilingInfo(p.event(), CL_PROFILING_COMMAND_START, Sizeof.cl_ulong,
          Pointer.to(start), null), "reading the profile of kernel " + p.kernel());
      Cl.check(CL.clGetEventProfilingInfo(p.event(), CL_PROFILING_COMMAND_END, Sizeof.cl_ulong,
          Pointer.to(end), null), "reading the profile of kernel " + p.kernel());
      timings.add(new KernelTiming(p.kernel(), p.label(), end[0] - start[0], p.flops(), p.bytes()));
    }
    lastProfile = List.copyOf(timings);
  }

  private void releasePending() {
    for (Pending p : pending) {
      CL.clReleaseEvent(p.event());
      Cl.LIVE.decrementAndGet();
    }
    pending.clear();
  }

  /** Releases every OpenCL object of this model (kernels, program, buffers, queue, context); idempotent. */
  @Override
  public final synchronized void close() {
    if (closed) return;
    closed = true;
    releasePending();
    arena = null;
    staging = new float[0];
    session.close();
  }

  /** Whether {@link #close()} was called. */
  public final synchronized boolean isClosed() {
    return closed;
  }
}
