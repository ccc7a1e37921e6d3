package dev.netc.runtime.opencl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether loading the registered OpenCL drivers is safe for this JVM.
 *
 * <p>PoCL, the CPU driver, installs its own SIGFPE handler when it initialises (to survive integer division by
 * zero inside kernels). The JVM uses SIGFPE and SIGSEGV itself, for exceptions and safepoints; once PoCL's
 * handler replaces the JVM's, the process dies at a random later moment (seen here: 3 crashes in 5 runs of the
 * example networks). Merely listing the OpenCL platforms initialises PoCL, so this check runs before any
 * OpenCL call: with PoCL registered, OpenCL is used only when {@code POCL_SIGFPE_HANDLER=0} is set (PoCL then
 * leaves the handler alone) or the JVM's signal-chaining library {@code libjsig.so} is preloaded.
 */
final class SignalSafety {
  private SignalSafety() {}

  /** Why OpenCL must not be loaded in this process, or "" when it may. */
  static String problem() {
    if (!poclRegistered()) return "";
    if ("0".equals(System.getenv("POCL_SIGFPE_HANDLER"))) return "";
    String preload = System.getenv("LD_PRELOAD");
    if (preload != null && preload.contains("libjsig")) return "";
    return "the PoCL OpenCL driver is installed, and without POCL_SIGFPE_HANDLER=0 it replaces the JVM's SIGFPE"
        + " handler, which crashes Java later; run with the environment variable POCL_SIGFPE_HANDLER=0 (the netc"
        + " launcher and the Maven build set it) or preload $JAVA_HOME/lib/libjsig.so";
  }

  /** Whether an ICD file in the vendor directory names PoCL. */
  private static boolean poclRegistered() {
    String dir = System.getenv("OCL_ICD_VENDORS");
    Path vendors = Path.of(dir == null || dir.isBlank() ? "/etc/OpenCL/vendors" : dir);
    if (Files.isRegularFile(vendors)) return mentionsPocl(vendors);
    if (!Files.isDirectory(vendors)) return false;
    try (DirectoryStream<Path> icds = Files.newDirectoryStream(vendors, "*.icd")) {
      for (Path icd : icds) {
        if (mentionsPocl(icd)) return true;
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  private static boolean mentionsPocl(Path icd) {
    try {
      return icd.getFileName().toString().toLowerCase(Locale.ROOT).contains("pocl")
          || Files.readString(icd).toLowerCase(Locale.ROOT).contains("pocl");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
