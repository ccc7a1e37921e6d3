package dev.netc.runtime.opencl;

import static org.jocl.CL.CL_INVALID_KERNEL_NAME;
import static org.jocl.CL.CL_KERNEL_NUM_ARGS;
import static org.jocl.CL.CL_PROGRAM_KERNEL_NAMES;
import static org.jocl.CL.CL_SUCCESS;

import dev.netc.runtime.NetcException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * A built OpenCL program and the kernels created from it (each created once, on first use, and kept).
 * Owned by the {@link ClSession} that built it; closing either releases the kernels and the program.
 */
public final class ClProgram implements AutoCloseable {
  private final String name;
  private final boolean fromCache;
  private final ClSession.State owner;
  private final Map<String, Kernel> kernels = new LinkedHashMap<>();
  private cl_program program;

  /** A kernel and how many arguments it takes. */
  static final class Kernel {
    final String name;
    final cl_kernel handle;
    final int numArgs;

    Kernel(String name, cl_kernel handle, int numArgs) {
      this.name = name;
      this.handle = handle;
      this.numArgs = numArgs;
    }
  }

  ClProgram(String name, cl_program program, boolean fromCache, ClSession.State owner) {
    this.name = name;
    this.program = program;
    this.fromCache = fromCache;
    this.owner = owner;
  }

  /** The name given to {@link ClSession#build}. */
  public String name() {
    return name;
  }

  /** Whether it was loaded from the binary cache rather than compiled from source. */
  public boolean fromCache() {
    return fromCache;
  }

  /** The kernel of that name, created on first call. */
  Kernel kernel(String kernelName) {
    synchronized (owner) {
      Kernel k = kernels.get(kernelName);
      if (k != null) return k;
      if (program == null) throw new IllegalStateException("OpenCL program " + name + " was released");
      int[] status = new int[1];
      cl_kernel handle = CL.clCreateKernel(program, kernelName, status);
      if (status[0] == CL_INVALID_KERNEL_NAME) {
        throw new NetcException("OpenCL program " + name + " has no kernel '" + kernelName + "'; it has: "
            + kernelNames());
      }
      Cl.check(status[0], "creating kernel " + kernelName + " of program " + name);
      Cl.LIVE.incrementAndGet();
      int[] numArgs = new int[1];
      int s = CL.clGetKernelInfo(handle, CL_KERNEL_NUM_ARGS, Sizeof.cl_uint, Pointer.to(numArgs), null);
      k = new Kernel(kernelName, handle, s == CL_SUCCESS ? numArgs[0] : -1);
      kernels.put(kernelName, k);
      return k;
    }
  }

  private String kernelNames() {
    long[] size = new long[1];
    if (CL.clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, 0, null, size) != CL_SUCCESS) return "(unknown)";
    byte[] bytes = new byte[(int) size[0]];
    if (CL.clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, bytes.length, Pointer.to(bytes), null) != CL_SUCCESS) {
      return "(unknown)";
    }
    return Cl.cString(bytes).replace(";", ", ");
  }

  /** Releases the kernels and the program; idempotent. */
  @Override
  public void close() {
    synchronized (owner) {
      owner.programs.remove(this);
      releaseNative();
    }
  }

  /** Called with the owner's lock held. */
  void releaseNative() {
    for (Kernel k : kernels.values()) {
      CL.clReleaseKernel(k.handle);
      Cl.LIVE.decrementAndGet();
    }
    kernels.clear();
    if (program != null) {
      CL.clReleaseProgram(program);
      Cl.LIVE.decrementAndGet();
      program = null;
    }
  }

  @Override
  public String toString() {
    return "ClProgram[" + name + (fromCache ? ", from cache]" : "]");
  }
}
