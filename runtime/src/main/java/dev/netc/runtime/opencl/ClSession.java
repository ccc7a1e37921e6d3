package dev.netc.runtime.opencl;

import static org.jocl.CL.CL_BUILD_PROGRAM_FAILURE;
import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_PROGRAM_NUM_KERNELS;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_QUEUE_PROPERTIES;
import static org.jocl.CL.CL_SUCCESS;

import dev.netc.runtime.NetcException;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * An OpenCL context and one in-order command queue (profiling enabled) on one device, and everything created
 * through them: programs (with their kernels) and buffers. {@link #close()} releases all of it.
 *
 * <p>Programs are built through an on-disk binary cache (see {@link #build}), so a process that loads a model
 * a second time skips the OpenCL C compiler.
 *
 * <p>Thread safety: methods are safe to call from several threads (they serialise on the session), but the
 * queue is one stream of commands, so a model that enqueues on it must serialise its own forward passes (as
 * {@link OpenClModel} does). A session that becomes unreachable without being closed is released by a
 * {@link Cleaner}, as a safety net; close it explicitly.
 */
public final class ClSession implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();
  private static final Pattern CL_VERSION = Pattern.compile("OpenCL (\\d+)\\.(\\d+)");

  private final ClDevice device;
  private final State state;
  private final Cleaner.Cleanable cleanable;
  private final BinaryCache cache;
  private final long maxAllocBytes;
  private boolean lastBuildWasCached;

  /**
   * The native objects of a session. Kept apart from the session so the {@link Cleaner} action does not
   * reference the session (which would keep it reachable forever). Its monitor guards every field and every
   * release of a program or buffer it owns.
   */
  static final class State implements Runnable {
    final cl_device_id deviceId;
    cl_context context;
    cl_command_queue queue;
    final Set<ClProgram> programs = new LinkedHashSet<>();
    final Set<ClBuffer> buffers = new LinkedHashSet<>();
    boolean closed;

    State(cl_device_id deviceId) {
      this.deviceId = deviceId;
    }

    @Override
    public synchronized void run() {
      if (closed) return;
      closed = true;
      if (queue != null) CL.clFinish(queue); // let enqueued work end before its objects go away
      for (ClProgram p : new ArrayList<>(programs)) p.releaseNative();
      programs.clear();
      for (ClBuffer b : new ArrayList<>(buffers)) b.releaseNative();
      buffers.clear();
      if (queue != null) {
        CL.clReleaseCommandQueue(queue);
        Cl.LIVE.decrementAndGet();
        queue = null;
      }
      if (context != null) {
        CL.clReleaseContext(context);
        Cl.LIVE.decrementAndGet();
        context = null;
      }
    }
  }

  private ClSession(ClDevice device, State state, BinaryCache cache, long maxAllocBytes) {
    this.device = device;
    this.state = state;
    this.cache = cache;
    this.maxAllocBytes = maxAllocBytes;
    this.cleanable = CLEANER.register(this, state);
  }

  /** Opens a session with the default binary cache directory (see {@link #build}). */
  public static ClSession open(ClDevice device) {
    return open(device, BinaryCache.defaultDirectory());
  }

  /** Opens a session whose binary cache lives in {@code cacheDir}; null disables the cache. */
  public static ClSession open(ClDevice device, Path cacheDir) {
    OpenCl.Found found = OpenCl.lookup(device);
    State state = new State(found.device());
    try {
      int[] status = new int[1];
      cl_context_properties props = new cl_context_properties();
      props.addProperty(CL_CONTEXT_PLATFORM, found.platform());
      state.context = CL.clCreateContext(props, 1, new cl_device_id[] {found.device()}, null, null, status);
      Cl.check(status[0], "creating an OpenCL context on " + device.describe());
      Cl.LIVE.incrementAndGet();
      if (majorVersion(device.version()) >= 2) {
        cl_queue_properties qp = new cl_queue_properties();
        qp.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
        state.queue = CL.clCreateCommandQueueWithProperties(state.context, found.device(), qp, status);
      } else {
        state.queue = createQueue12(state.context, found.device(), status);
      }
      Cl.check(status[0], "creating an OpenCL command queue on " + device.describe());
      Cl.LIVE.incrementAndGet();
      long maxAlloc = Cl.deviceLong(found.device(), CL_DEVICE_MAX_MEM_ALLOC_SIZE);
      return new ClSession(device, state, cacheDir == null ? null : new BinaryCache(cacheDir), maxAlloc);
    } catch (RuntimeException e) {
      state.run();
      throw e;
    }
  }

  @SuppressWarnings("deprecation") // the only queue constructor OpenCL 1.x devices have
  private static cl_command_queue createQueue12(cl_context context, cl_device_id device, int[] status) {
    return CL.clCreateCommandQueue(context, device, CL_QUEUE_PROFILING_ENABLE, status);
  }

  private static int majorVersion(String version) {
    Matcher m = CL_VERSION.matcher(version);
    return m.find() ? Integer.parseInt(m.group(1)) : 1;
  }

  /** The device this session runs on. */
  public ClDevice device() {
    return device;
  }

  /** Where built binaries are cached, or null when caching is off. */
  public Path cacheDirectory() {
    return cache == null ? null : cache.directory();
  }

  /** The largest single buffer the device allows ({@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}). */
  public long maxAllocBytes() {
    return maxAllocBytes;
  }

  /**
   * Builds a program, or loads it from the binary cache.
   *
   * <p>Cache key: SHA-256 of the source, the device's name, vendor, driver version and OpenCL version, and the
   * options. Directory: the one given to {@link #open(ClDevice, Path)}, by default the system property
   * {@code netc.cache.dir}, else {@code $XDG_CACHE_HOME/netc/opencl}, else {@code ~/.cache/netc/opencl}. A
   * damaged cache file, or a binary the driver refuses, is rebuilt from source and replaced (written to a
   * temporary file and renamed, so concurrent processes never see half a file).
   *
   * @param options OpenCL C compiler options, e.g. "-cl-fast-relaxed-math"; null means none
   * @throws KernelBuildException when the source does not compile; it carries the driver's build log
   */
  public synchronized ClProgram build(String programName, String source, String options) {
    String opts = options == null ? "" : options;
    cl_context context = context();
    String key = cache == null ? null : BinaryCache.key(source, device, opts);
    byte[] binary = cache == null ? null : cache.load(key);
    if (binary != null) {
      cl_program p = fromBinary(context, binary, opts);
      if (p != null) return register(programName, p, true);
      System.getLogger("dev.netc.runtime.opencl").log(System.Logger.Level.WARNING, "the OpenCL driver refused"
          + " cached binary " + cache.file(key) + " for " + programName + "; rebuilding it from source");
      cache.discard(key);
    }
    cl_program p = fromSource(context, programName, source, opts);
    try {
      if (cache != null) cache.store(key, binaryOf(p));
    } catch (RuntimeException e) {
      // A driver that cannot hand out binaries still runs the program: only the cache is lost.
      System.getLogger("dev.netc.runtime.opencl").log(System.Logger.Level.WARNING,
          "cannot read the binary of " + programName + " for the cache: " + e.getMessage());
    }
    return register(programName, p, false);
  }

  /** Whether the last {@link #build} loaded its program from the binary cache. */
  public synchronized boolean lastBuildWasCached() {
    return lastBuildWasCached;
  }

  /** Whether {@link #close()} was called (or the device objects were otherwise released). */
  public boolean isClosed() {
    synchronized (state) {
      return state.closed;
    }
  }

  /** Releases the queue and the context, and every program, kernel and buffer still open; idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }

  @Override
  public String toString() {
    return "ClSession[" + device.describe() + (isClosed() ? ", closed]" : "]");
  }

  // ---- package-private: used by OpenClModel

  cl_command_queue queue() {
    synchronized (state) {
      if (state.closed) throw new IllegalStateException("OpenCL session on " + device.describe() + " is closed");
      return state.queue;
    }
  }

  /**
   * A device buffer of {@code bytes}, copied from {@code host} when not null. {@code what} names it in errors
   * ("weight tensor conv1.weight"), {@code fix} tells the user what to do when it does not fit.
   */
  ClBuffer allocate(String name, String what, long bytes, long flags, Pointer host, String fix) {
    if (bytes <= 0) throw new IllegalArgumentException(what + " is empty: OpenCL buffers need at least one byte");
    if (bytes > maxAllocBytes) {
      throw new NetcException(what + " needs " + bytes + " bytes (" + Cl.size(bytes) + ") but " + device.describe()
          + " allocates at most " + maxAllocBytes + " bytes (" + Cl.size(maxAllocBytes) + ") per buffer"
          + " (CL_DEVICE_MAX_MEM_ALLOC_SIZE)" + (fix == null ? "" : "; " + fix));
    }
    synchronized (state) {
      cl_context context = context();
      int[] status = new int[1];
      cl_mem mem = CL.clCreateBuffer(context, flags, bytes, host, status);
      if (status[0] != CL_SUCCESS) {
        if (Cl.isOutOfMemory(status[0])) {
          throw new NetcException("cannot allocate " + what + " (" + bytes + " bytes, " + Cl.size(bytes) + ") on "
              + device.describe() + ": " + CL.stringFor_errorCode(status[0]) + " (device memory "
              + Cl.size(device.globalMemoryBytes()) + ")" + (fix == null ? "" : "; " + fix));
        }
        throw Cl.failure(status[0], "allocating " + what + " (" + Cl.size(bytes) + ")");
      }
      Cl.LIVE.incrementAndGet();
      ClBuffer buffer = new ClBuffer(name, bytes, mem, state);
      state.buffers.add(buffer);
      return buffer;
    }
  }

  // ---- building

  private cl_context context() {
    synchronized (state) {
      if (state.closed) throw new IllegalStateException("OpenCL session on " + device.describe() + " is closed");
      return state.context;
    }
  }

  private ClProgram register(String name, cl_program p, boolean cached) {
    synchronized (state) {
      if (state.closed) {
        CL.clReleaseProgram(p);
        Cl.LIVE.decrementAndGet();
        throw new IllegalStateException("OpenCL session on " + device.describe() + " is closed");
      }
      ClProgram program = new ClProgram(name, p, cached, state);
      state.programs.add(program);
      lastBuildWasCached = cached;
      return program;
    }
  }

  /** A program from a cached binary, or null when the driver refuses it. */
  private cl_program fromBinary(cl_context context, byte[] binary, String options) {
    int[] status = new int[1];
    int[] binaryStatus = new int[1];
    cl_program p = CL.clCreateProgramWithBinary(context, 1, new cl_device_id[] {state.deviceId},
        new long[] {binary.length}, new byte[][] {binary}, binaryStatus, status);
    if (status[0] != CL_SUCCESS || binaryStatus[0] != CL_SUCCESS) {
      if (p != null && status[0] == CL_SUCCESS) CL.clReleaseProgram(p);
      return null;
    }
    Cl.LIVE.incrementAndGet();
    int built = CL.clBuildProgram(p, 1, new cl_device_id[] {state.deviceId}, options, null, null);
    int[] kernels = new int[1];
    long[] numKernels = new long[1];
    if (built == CL_SUCCESS) {
      kernels[0] = CL.clGetProgramInfo(p, CL_PROGRAM_NUM_KERNELS, Sizeof.size_t, Pointer.to(numKernels), null);
    }
    if (built != CL_SUCCESS || kernels[0] != CL_SUCCESS) {
      CL.clReleaseProgram(p);
      Cl.LIVE.decrementAndGet();
      return null;
    }
    return p;
  }

  private cl_program fromSource(cl_context context, String name, String source, String options) {
    int[] status = new int[1];
    cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
    Cl.check(status[0], "creating OpenCL program " + name);
    Cl.LIVE.incrementAndGet();
    int built = CL.clBuildProgram(p, 1, new cl_device_id[] {state.deviceId}, options, null, null);
    if (built != CL_SUCCESS) {
      String log = buildLog(p);
      CL.clReleaseProgram(p);
      Cl.LIVE.decrementAndGet();
      String detail = "on " + device.describe() + (options.isEmpty() ? "" : " with options '" + options + "'")
          + (built == CL_BUILD_PROGRAM_FAILURE ? "" : " (" + CL.stringFor_errorCode(built) + ")");
      throw new KernelBuildException(name, null, log, detail);
    }
    return p;
  }

  private String buildLog(cl_program p) {
    long[] size = new long[1];
    if (CL.clGetProgramBuildInfo(p, state.deviceId, CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS) return "";
    byte[] bytes = new byte[(int) size[0]];
    if (bytes.length == 0) return "";
    if (CL.clGetProgramBuildInfo(p, state.deviceId, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null)
        != CL_SUCCESS) {
      return "";
    }
    return Cl.cString(bytes);
  }

  private static byte[] binaryOf(cl_program p) {
    long[] sizes = new long[1];
    Cl.check(CL.clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(sizes), null),
        "clGetProgramInfo(CL_PROGRAM_BINARY_SIZES)");
    if (sizes[0] <= 0 || sizes[0] > Integer.MAX_VALUE - 64) return null;
    byte[] binary = new byte[(int) sizes[0]];
    Cl.check(CL.clGetProgramInfo(p, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null),
        "clGetProgramInfo(CL_PROGRAM_BINARIES)");
    return binary;
  }
}
