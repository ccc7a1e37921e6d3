package dev.netc.runtime.opencl;

/**
 * Facts about one OpenCL device, as {@link OpenCl#devices()} found it. Plain data: it holds no OpenCL handle,
 * so it can be kept, compared and printed freely; {@link ClSession#open(ClDevice)} looks the device up again
 * by its indices.
 *
 * @param platformIndex index of the platform in {@code clGetPlatformIDs} order
 * @param deviceIndex index of the device within its platform
 * @param type "GPU", "CPU", "ACCELERATOR" or "OTHER"
 * @param driverVersion {@code CL_DRIVER_VERSION}
 * @param version {@code CL_DEVICE_VERSION}, e.g. "OpenCL 3.0 PoCL ..."
 * @param maxWorkGroupSize {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 */
public record ClDevice(int platformIndex, int deviceIndex, String platformName, String name, String type,
    String vendor, String driverVersion, String version, int computeUnits, long globalMemoryBytes,
    long maxWorkGroupSize) {

  /** One line for people, e.g. "Portable Computing Language / pthread-skylake-avx512-AMD EPYC (CPU, 2 compute units)". */
  public String describe() {
    return platformName + " / " + name + " (" + type + ", " + computeUnits
        + (computeUnits == 1 ? " compute unit)" : " compute units)");
  }

  /** The spec that selects exactly this device: "P:D". */
  public String spec() {
    return platformIndex + ":" + deviceIndex;
  }
}
