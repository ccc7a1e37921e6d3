package dev.netc.runtime.opencl;

/**
 * How long one kernel launch of a forward pass took on the device, from its profiling event
 * ({@code CL_PROFILING_COMMAND_END - CL_PROFILING_COMMAND_START}).
 *
 * @param kernel the kernel's name in the program
 * @param label the layers it computes, as the generated code named them
 * @param nanos device time of the launch
 * @param flops floating-point operations the launch performs, as the generated code counted them
 * @param bytes bytes it reads and writes, as the generated code counted them
 */
public record KernelTiming(String kernel, String label, long nanos, long flops, long bytes) {

  /** Achieved GFLOP/s (0 when the launch took no measurable time). */
  public double gflops() {
    return nanos <= 0 ? 0 : (double) flops / nanos;
  }

  /** Achieved bandwidth in GB/s (0 when the launch took no measurable time). */
  public double gbPerSecond() {
    return nanos <= 0 ? 0 : (double) bytes / nanos;
  }
}
