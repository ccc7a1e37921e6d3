package dev.netc.runtime.opencl;

import dev.netc.runtime.NetcException;

/**
 * An OpenCL program (or one kernel of it) that the driver failed to compile. The message names the program,
 * the kernel when known, and starts with the build log; {@link #buildLog()} has the log in full.
 *
 * <p>For generated kernels this is a bug in netc (the processor emitted OpenCL C the driver rejects) or in the
 * driver: please report it with the log.
 */
public class KernelBuildException extends NetcException {
  private static final int MESSAGE_LOG_LINES = 40;

  private final String programName;
  private final String kernel;
  private final String buildLog;

  /** A program that failed to build; {@code buildLog} as the driver wrote it. */
  public KernelBuildException(String programName, String buildLog) {
    this(programName, null, buildLog, null);
  }

  /**
   * @param kernel the kernel at fault, or null when the whole program failed
   * @param detail what failed, e.g. "on <device>: CL_BUILD_PROGRAM_FAILURE", or null
   */
  public KernelBuildException(String programName, String kernel, String buildLog, String detail) {
    super(message(programName, kernel, buildLog, detail));
    this.programName = programName;
    this.kernel = kernel;
    this.buildLog = buildLog == null ? "" : buildLog;
  }

  /** The program's name, as given to {@link ClSession#build}. */
  public String programName() {
    return programName;
  }

  /** The kernel at fault, or null when not known. */
  public String kernel() {
    return kernel;
  }

  /** The driver's complete build log (may be empty when the driver wrote none). */
  public String buildLog() {
    return buildLog;
  }

  private static String message(String program, String kernel, String log, String detail) {
    StringBuilder b = new StringBuilder("OpenCL program '").append(program).append('\'');
    if (kernel != null) b.append(" (kernel ").append(kernel).append(')');
    b.append(" failed to build");
    if (detail != null && !detail.isEmpty()) b.append(' ').append(detail);
    String text = log == null ? "" : log.strip();
    if (text.isEmpty()) return b.append(" (the driver wrote no build log)").toString();
    String[] lines = text.split("\r?\n");
    b.append(":");
    for (int i = 0; i < Math.min(lines.length, MESSAGE_LOG_LINES); i++) b.append("\n  ").append(lines[i]);
    if (lines.length > MESSAGE_LOG_LINES) {
      b.append("\n  ... (").append(lines.length - MESSAGE_LOG_LINES).append(" more lines in buildLog())");
    }
    return b.toString();
  }
}
