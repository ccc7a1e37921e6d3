package dev.netc.runtime.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_SUCCESS;

import dev.netc.runtime.NetcException;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;

/**
 * A network's training program (generated {@code <Name>.train.cl}: the kernel library and the network's
 * shape-specialised kernels, see {@link TrainingPrograms}) built on one session, and the few operations {@link
 * OpenClTrainer} needs on top of it: device buffers, blocking copies to and from the host, and launches. The
 * session's binary cache keys on the program's text, so each network's program is compiled once per device.
 */
final class TrainingKernels {
  private final ClSession session;
  private final ClProgram program;
  // clSetKernelArg copies the value at once, so one scratch array per type serves every argument.
  private final int[] intArg = new int[1];
  private final float[] floatArg = new float[1];

  /**
   * @param name names the program in the binary cache and in errors, e.g. {@code LeNet5 training}
   * @param source the program's OpenCL C text
   */
  TrainingKernels(ClSession session, String name, String source) {
    this.session = session;
    this.program = session.build(name, source, null);
  }

  /** Whether the program came from the binary cache. */
  boolean fromCache() {
    return program.fromCache();
  }

  /** A read-write device buffer of {@code floats} values (at least one), uninitialised. */
  ClBuffer allocate(String name, long floats) {
    long bytes = Math.max(1, floats) * Sizeof.cl_float;
    if (floats > Integer.MAX_VALUE - 8) {
      throw new NetcException(name + " needs " + floats + " floats, more than 32-bit kernel indices address; use a"
          + " smaller batch");
    }
    return session.allocate(name, "training tensor " + name, bytes, CL_MEM_READ_WRITE, null,
        "train with a smaller batch");
  }

  /** Copies {@code count} values of {@code from} into the start of {@code to}, waiting for the copy. */
  void write(float[] from, ClBuffer to, int count) {
    int status = CL.clEnqueueWriteBuffer(session.queue(), to.mem(), true, 0, (long) count * Sizeof.cl_float,
        Pointer.to(from), 0, null, null);
    if (status != CL_SUCCESS) throw Cl.failure(status, "copying " + count + " floats into " + to);
  }

  /** Copies the first {@code count} values of {@code from} into {@code to}, after the work queued before. */
  void read(ClBuffer from, float[] to, int count) {
    int status = CL.clEnqueueReadBuffer(session.queue(), from.mem(), true, 0, (long) count * Sizeof.cl_float,
        Pointer.to(to), 0, null, null);
    // a kernel that failed asynchronously surfaces here
    if (status != CL_SUCCESS) throw Cl.failure(status, "training, then reading " + count + " floats of " + from);
  }

  /** Sets the first {@code count} values of {@code buffer} to zero. */
  void zero(ClBuffer buffer, int count) {
    if (count > 0) launch("fill_zero", new long[] {count}, buffer);
  }

  /**
   * Enqueues kernel {@code name} over {@code global} work items (the driver chooses the work-group size).
   *
   * @param args in order: {@link ClBuffer} ({@code __global float*}), {@link Integer} (int), {@link Float} (float)
   */
  void launch(String name, long[] global, Object... args) {
    ClProgram.Kernel k = program.kernel(name);
    if (k.numArgs >= 0 && k.numArgs != args.length) {
      throw new IllegalArgumentException("kernel " + name + " takes " + k.numArgs + " arguments but got "
          + args.length);
    }
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      int status;
      if (a instanceof ClBuffer b) {
        status = CL.clSetKernelArg(k.handle, i, Sizeof.cl_mem, b.argPointer());
      } else if (a instanceof Integer v) {
        intArg[0] = v;
        status = CL.clSetKernelArg(k.handle, i, Sizeof.cl_int, Pointer.to(intArg));
      } else if (a instanceof Float v) {
        floatArg[0] = v;
        status = CL.clSetKernelArg(k.handle, i, Sizeof.cl_float, Pointer.to(floatArg));
      } else {
        throw new IllegalArgumentException("kernel " + name + " argument " + i + ": expected ClBuffer, Integer or"
            + " Float but got " + (a == null ? "null" : a.getClass().getName()));
      }
      if (status != CL_SUCCESS) {
        throw new IllegalArgumentException("kernel " + name + " argument " + i + " (" + a + ") was refused: "
            + CL.stringFor_errorCode(status));
      }
    }
    for (long g : global) {
      if (g < 1) throw new IllegalArgumentException("kernel " + name + ": empty global size " + java.util.Arrays.toString(global));
    }
    int status = CL.clEnqueueNDRangeKernel(session.queue(), k.handle, global.length, null, global, null, 0, null,
        null);
    if (status != CL_SUCCESS) {
      throw Cl.failure(status, "enqueueing training kernel " + name + " over " + java.util.Arrays.toString(global));
    }
  }
}
