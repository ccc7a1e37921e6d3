package dev.netc.runtime.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_NOT_FOUND_KHR;
import static org.jocl.CL.CL_SUCCESS;

import dev.netc.runtime.NetcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Which OpenCL devices exist here and which one to use.
 *
 * <p>Nothing here throws a linkage error: when JOCL, its native library, {@code libOpenCL.so} or an OpenCL
 * driver is missing, {@link #isAvailable()} is false and {@link #unavailableReason()} says what to install.
 * Platforms and devices are enumerated once per JVM.
 *
 * <p>A device is chosen by a spec (see {@link #select(String)}), by default from the system property
 * {@value #DEVICE_PROPERTY} or else the environment variable {@value #DEVICE_ENV}.
 */
public final class OpenCl {
  /** System property naming the device spec for {@link #select()}. */
  public static final String DEVICE_PROPERTY = "netc.opencl.device";
  /** Environment variable naming the device spec when the property is unset. */
  public static final String DEVICE_ENV = "NETC_OPENCL_DEVICE";

  private OpenCl() {}

  /** A device with the handles a session needs. */
  record Found(ClDevice info, cl_platform_id platform, cl_device_id device) {}

  /** Enumerated once, on first use; the holder idiom keeps failures inside {@link #probe()}. */
  private static final class Probe {
    static final String REASON;
    static final List<Found> FOUND;

    static {
      List<Found> found = new ArrayList<>();
      REASON = probe(found);
      FOUND = REASON.isEmpty() ? List.copyOf(found) : List.of();
    }
  }

  /** Whether an OpenCL platform with at least one device can be used here. Never throws. */
  public static boolean isAvailable() {
    return Probe.REASON.isEmpty();
  }

  /** Why OpenCL cannot be used, in words a user can act on; empty when it can. */
  public static String unavailableReason() {
    return Probe.REASON;
  }

  /** Every device of every platform, in platform then device order. */
  public static List<ClDevice> devices() {
    List<ClDevice> out = new ArrayList<>();
    for (Found f : found()) out.add(f.info());
    return List.copyOf(out);
  }

  /** {@link #select(String)} with the spec from {@value #DEVICE_PROPERTY} or {@value #DEVICE_ENV}. */
  public static ClDevice select() {
    return select(defaultSpec());
  }

  /** The default device spec: the system property, else the environment variable, else null ("auto"). */
  public static String defaultSpec() {
    String spec = System.getProperty(DEVICE_PROPERTY);
    if (spec == null || spec.isBlank()) spec = System.getenv(DEVICE_ENV);
    return spec == null || spec.isBlank() ? null : spec.trim();
  }

  /**
   * The device a spec names.
   *
   * <ul>
   *   <li>null, empty or "auto": the first GPU, else the first device;
   *   <li>"P:D": device D of platform P, by index;
   *   <li>"D": device D of platform 0;
   *   <li>anything else: the first device whose platform name or device name contains it, ignoring case.
   * </ul>
   *
   * @throws NetcException when OpenCL is unavailable or no device matches (the message lists the devices)
   */
  public static ClDevice select(String spec) {
    List<Found> all = found();
    String s = spec == null ? "" : spec.trim();
    if (s.isEmpty() || s.equalsIgnoreCase("auto")) {
      for (Found f : all) {
        if (f.info().type().equals("GPU")) return f.info();
      }
      return all.get(0).info();
    }
    if (s.matches("\\d+(:\\d+)?")) {
      int colon = s.indexOf(':');
      int p = colon < 0 ? 0 : parseIndex(s.substring(0, colon));
      int d = parseIndex(colon < 0 ? s : s.substring(colon + 1));
      for (Found f : all) {
        if (f.info().platformIndex() == p && f.info().deviceIndex() == d) return f.info();
      }
      throw new NetcException("no OpenCL device " + p + ":" + d + " (platform " + p + ", device " + d + ") for spec '"
          + spec + "'; " + listing(all));
    }
    String needle = s.toLowerCase(Locale.ROOT);
    for (Found f : all) {
      if (f.info().platformName().toLowerCase(Locale.ROOT).contains(needle)
          || f.info().name().toLowerCase(Locale.ROOT).contains(needle)) {
        return f.info();
      }
    }
    throw new NetcException("no OpenCL device matches '" + spec + "' (neither a platform nor a device name contains"
        + " it); " + listing(all));
  }

  /** OpenCL objects created through netc and not yet released (contexts, queues, programs, kernels, buffers, events); for leak checks. */
  public static int liveObjects() {
    return Cl.LIVE.get();
  }

  /** The handles of a device found earlier. */
  static Found lookup(ClDevice device) {
    for (Found f : found()) {
      if (f.info().equals(device)) return f;
    }
    throw new NetcException("OpenCL device " + device.describe() + " (" + device.spec() + ") is not among this"
        + " machine's devices; " + listing(found()));
  }

  private static List<Found> found() {
    if (!isAvailable()) throw new NetcException("OpenCL is not available: " + unavailableReason());
    return Probe.FOUND;
  }

  private static int parseIndex(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static String listing(List<Found> all) {
    StringBuilder b = new StringBuilder("devices here (select with -D" + DEVICE_PROPERTY + "=SPEC or "
        + DEVICE_ENV + "=SPEC, SPEC being P:D, D, or part of a name):");
    for (Found f : all) b.append("\n  ").append(f.info().spec()).append("  ").append(f.info().describe());
    return b.toString();
  }

  /** Enumerates into {@code out}; returns why OpenCL is unusable, or "" when at least one device exists. */
  private static String probe(List<Found> out) {
    String unsafe = SignalSafety.problem();
    if (!unsafe.isEmpty()) return unsafe;
    try {
      int[] count = new int[1];
      int status = CL.clGetPlatformIDs(0, null, count);
      if (status == CL_PLATFORM_NOT_FOUND_KHR || (status == CL_SUCCESS && count[0] == 0)) {
        return "no OpenCL platform found: libOpenCL.so is present but no OpenCL driver (ICD) is registered in"
            + " /etc/OpenCL/vendors; install one, e.g. pocl-opencl-icd (CPU) or your GPU vendor's OpenCL driver";
      }
      if (status != CL_SUCCESS) {
        return "OpenCL platforms could not be listed: clGetPlatformIDs failed with " + CL.stringFor_errorCode(status);
      }
      cl_platform_id[] platforms = new cl_platform_id[count[0]];
      Cl.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
      List<String> empty = new ArrayList<>();
      for (int p = 0; p < platforms.length; p++) {
        String platformName = Cl.platformString(platforms[p], CL_PLATFORM_NAME);
        int[] n = new int[1];
        status = CL.clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, n);
        if (status == CL_DEVICE_NOT_FOUND || (status == CL_SUCCESS && n[0] == 0)) {
          empty.add(platformName);
          continue;
        }
        Cl.check(status, "clGetDeviceIDs on " + platformName);
        cl_device_id[] devices = new cl_device_id[n[0]];
        Cl.check(CL.clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, devices.length, devices, null),
            "clGetDeviceIDs on " + platformName);
        for (int d = 0; d < devices.length; d++) {
          out.add(new Found(describe(p, d, platformName, devices[d]), platforms[p], devices[d]));
        }
      }
      if (out.isEmpty()) {
        return "OpenCL platform(s) " + String.join(", ", empty) + " found but none has a device: check the"
            + " driver's installation (for a GPU, that the GPU is visible here)";
      }
      return "";
    } catch (NoClassDefFoundError e) {
      return e.getMessage() != null && e.getMessage().contains("org/jocl")
          ? "JOCL (org.jocl:jocl) is not on the class path"
          : "OpenCL could not be initialised: " + e;
    } catch (UnsatisfiedLinkError e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Implementation library could not be loaded") || m.contains("initialize native OpenCL")) {
        return "no OpenCL library (libOpenCL.so) found: install ocl-icd-opencl-dev and a driver such as"
            + " pocl-opencl-icd";
      }
      return "JOCL's native library could not be loaded on " + System.getProperty("os.name") + "/"
          + System.getProperty("os.arch") + ": " + m;
    } catch (Throwable e) {
      return "OpenCL could not be initialised: " + e;
    }
  }

  private static ClDevice describe(int p, int d, String platformName, cl_device_id device) {
    long typeBits = Cl.deviceLong(device, CL_DEVICE_TYPE);
    String type = (typeBits & CL_DEVICE_TYPE_GPU) != 0 ? "GPU"
        : (typeBits & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
        : (typeBits & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR"
        : "OTHER";
    return new ClDevice(p, d, platformName, Cl.deviceString(device, CL_DEVICE_NAME), type,
        Cl.deviceString(device, CL_DEVICE_VENDOR), Cl.deviceString(device, CL_DRIVER_VERSION),
        Cl.deviceString(device, CL_DEVICE_VERSION), Cl.deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS),
        Cl.deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE), Cl.deviceSize(device, CL_DEVICE_MAX_WORK_GROUP_SIZE));
  }
}
