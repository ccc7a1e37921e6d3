package dev.netc.runtime.opencl;

import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.CL_SUCCESS;

import dev.netc.runtime.NetcException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Small helpers around JOCL's C-shaped API: return codes into exceptions, info queries into Java values, and
 * the count of OpenCL objects netc holds (for leak tests).
 *
 * <p>JOCL is used with its exceptions disabled (its default): every call's status is checked here, so each
 * failure can say what netc was doing ("allocating activation arena (48 MiB)") rather than only the code.
 */
final class Cl {
  private Cl() {}

  /** OpenCL objects created through netc and not yet released: contexts, queues, programs, kernels, buffers, events. */
  static final AtomicInteger LIVE = new AtomicInteger();

  /** Throws a {@link NetcException} naming {@code what} unless {@code status} is CL_SUCCESS. */
  static void check(int status, String what) {
    if (status != CL_SUCCESS) throw failure(status, what);
  }

  /** The exception for a failed call: resource exhaustion gets its own explanation. */
  static NetcException failure(int status, String what) {
    String code = CL.stringFor_errorCode(status);
    if (isOutOfMemory(status)) {
      return new NetcException(what + " failed with " + code + ": the OpenCL device ran out of memory or resources;"
          + " use a smaller batch or another device (netc.opencl.device / NETC_OPENCL_DEVICE)");
    }
    return new NetcException(what + " failed with " + code);
  }

  static boolean isOutOfMemory(int status) {
    return status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES
        || status == CL_OUT_OF_HOST_MEMORY;
  }

  /** Bytes as a person reads them: "512 B", "3.2 KiB", "48.0 MiB". */
  static String size(long bytes) {
    if (bytes < 1024) return bytes + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String platformString(cl_platform_id platform, int param) {
    long[] size = new long[1];
    check(CL.clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo");
    byte[] bytes = new byte[(int) size[0]];
    check(CL.clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null), "clGetPlatformInfo");
    return cString(bytes);
  }

  static String deviceString(cl_device_id device, int param) {
    long[] size = new long[1];
    check(CL.clGetDeviceInfo(device, param, 0, null, size), "clGetDeviceInfo");
    byte[] bytes = new byte[(int) size[0]];
    check(CL.clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null), "clGetDeviceInfo");
    return cString(bytes);
  }

  /** A cl_uint property. */
  static int deviceInt(cl_device_id device, int param) {
    int[] v = new int[1];
    check(CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null), "clGetDeviceInfo");
    return v[0];
  }

  /** A cl_ulong or cl_bitfield property. */
  static long deviceLong(cl_device_id device, int param) {
    long[] v = new long[1];
    check(CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo");
    return v[0];
  }

  /** A size_t property (read into a long: on 32-bit hosts the high half stays zero). */
  static long deviceSize(cl_device_id device, int param) {
    long[] v = new long[1];
    check(CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null), "clGetDeviceInfo");
    return v[0];
  }

  /** A NUL-terminated C string. */
  static String cString(byte[] bytes) {
    int n = 0;
    while (n < bytes.length && bytes[n] != 0) n++;
    return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
  }
}
