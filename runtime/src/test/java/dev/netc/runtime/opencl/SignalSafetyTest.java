package dev.netc.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without libjsig preloaded, netc refuses to load PoCL (which would crash the JVM) and says why. */
class SignalSafetyTest {
  @TempDir Path dir;

  /** Prints what OpenCl says, in a fresh JVM whose environment the test controls. */
  public static final class Probe {
    public static void main(String[] args) {
      System.out.println(OpenCl.isAvailable() + "|" + OpenCl.unavailableReason());
    }
  }

  private String probe(Path vendors, boolean jsig) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Probe.class.getName());
    pb.environment().remove("POCL_SIGFPE_HANDLER");
    pb.environment().remove("LD_PRELOAD");
    if (jsig) pb.environment().put("LD_PRELOAD", Path.of(System.getProperty("java.home"), "lib", "libjsig.so").toString());
    pb.environment().put("OCL_ICD_VENDORS", vendors.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void poclWithoutTheHandlerSwitchIsRefusedWithTheFix() throws Exception {
    Path vendors = Files.createDirectories(dir.resolve("vendors"));
    Files.writeString(vendors.resolve("pocl.icd"), "libpocl.so.2\n");
    String out = probe(vendors, false);
    assertTrue(out.startsWith("false|"), out);
    assertTrue(out.contains("libjsig.so"), out);
  }

  @Test
  void poclWithSignalChainingIsAllowed() throws Exception {
    Path vendors = Files.createDirectories(dir.resolve("chained"));
    Files.writeString(vendors.resolve("pocl.icd"), "libpocl.so.2\n");
    assertTrue(!probe(vendors, true).contains("libjsig"));
  }

  @Test
  void otherDriversAreNotAffected() throws Exception {
    Path vendors = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(vendors.resolve("other.icd"), "libOtherVendor.so\n");
    String out = probe(vendors, false);
    assertTrue(!out.contains("libjsig"), out);
  }
}
