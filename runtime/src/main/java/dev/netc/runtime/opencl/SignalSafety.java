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
 * zero inside kernels), and the LLVM inside it installs SIGSEGV handlers while it compiles kernels. The JVM
 * uses both signals itself, for exceptions and safepoints; once a native handler replaces the JVM's, the
 * process dies at a random later moment (seen here: 3 crashes in 5 runs with PoCL's SIGFPE handler; with
 * {@code POCL_SIGFPE_HANDLER=0}, still about 1 in 3 runs that compiled kernels from cold caches). The JVM's
 * documented remedy is signal chaining: preloading {@code $JAVA_HOME/lib/libjsig.so} keeps the JVM's handlers
 * in place and chains the others (no crash in any run since). Merely listing the OpenCL platforms initialises
 * PoCL, so this check runs before any OpenCL call: with PoCL registered, OpenCL is used only when libjsig is
 * preloaded.
 */
final class SignalSafety {
  private SignalSafety() {}

  /** Why OpenCL must not be loaded in this process, or "" when it may. */
  static String problem() {
    if (!poclRegistered()) return "";
    String preload = System.getenv("LD_PRELOAD");
    if (preload != null && preload.contains("libjsig")) return "";
    return "the PoCL OpenCL driver is installed, and it replaces the JVM's signal handlers (SIGFPE, and SIGSEGV"
        + " while compiling kernels), which crashes Java later; start Java with"
        + " LD_PRELOAD=$JAVA_HOME/lib/libjsig.so (the JVM's signal chaining; the netc launcher and the Maven build"
        + " do this)";
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
