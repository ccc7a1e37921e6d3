package dev.netc.runtime.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * A device buffer: a weight tensor or the activation arena. Opaque to generated code, which only passes it
 * to {@code OpenClModel.launch}. Owned by the {@link ClSession} that allocated it and released with it.
 */
public final class ClBuffer {
  private final String name;
  private final long bytes;
  private final ClSession.State owner;
  private cl_mem mem;
  private Pointer arg;

  ClBuffer(String name, long bytes, cl_mem mem, ClSession.State owner) {
    this.name = name;
    this.bytes = bytes;
    this.mem = mem;
    this.arg = Pointer.to(mem);
    this.owner = owner;
  }

  /** Size in bytes. */
  public long bytes() {
    return bytes;
  }

  /** What it holds, for messages: a tensor name or "activation arena". */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name + " (" + Cl.size(bytes) + ")";
  }

  /** The handle, for clEnqueue* calls. */
  cl_mem mem() {
    synchronized (owner) {
      if (mem == null) throw new IllegalStateException("OpenCL buffer " + this + " was released");
      return mem;
    }
  }

  /** A pointer to the handle, for clSetKernelArg. */
  Pointer argPointer() {
    synchronized (owner) {
      if (arg == null) throw new IllegalStateException("OpenCL buffer " + this + " was released");
      return arg;
    }
  }

  /** Releases the buffer now (commands already enqueued that use it still complete). Idempotent. */
  void release() {
    synchronized (owner) {
      owner.buffers.remove(this);
      releaseNative();
    }
  }

  /** Called with the owner's lock held. */
  void releaseNative() {
    if (mem == null) return;
    CL.clReleaseMemObject(mem);
    Cl.LIVE.decrementAndGet();
    mem = null;
    arg = null;
  }
}
