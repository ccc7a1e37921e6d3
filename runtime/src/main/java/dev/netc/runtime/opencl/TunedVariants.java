package dev.netc.runtime.opencl;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The tuning step's memory: which {@link KernelVariant} won on a device, one small text file per (program
 * texts, device, driver, options, batch) in the binary cache's directory under {@code tuned/}. The key covers
 * every variant's source, so a regenerated model or a driver update tunes again. The file's first line is the
 * winner's id; the rest records the timings for people. Written to a temporary file and renamed; a missing,
 * unreadable or unknown entry just means "not tuned", never an error.
 */
final class TunedVariants {
  private static final System.Logger LOG = System.getLogger("dev.netc.runtime.opencl");

  private final Path dir;

  /** @param cacheDir the session's binary cache directory, or null when caching is off (nothing is kept) */
  TunedVariants(Path cacheDir) {
    this.dir = cacheDir == null ? null : cacheDir.resolve("tuned");
  }

  /** The key of one tuning question: every variant's text, the device and driver, the options and the batch. */
  static String key(KernelPrograms programs, ClDevice device, int batch) {
    StringBuilder all = new StringBuilder("netc-tuned-1 batch ").append(batch);
    for (KernelVariant v : programs.variants()) {
      String text = programs.source(v);
      all.append('\n').append(v.id()).append(' ').append(text.length()).append('\n').append(text);
    }
    return BinaryCache.key(all.toString(), device, programs.options());
  }

  /**
   * Whether nothing was ever tuned here (no {@code tuned/} directory): callers skip computing a key, which hashes
   * every variant's source, on the common path of a load.
   */
  boolean isEmpty() {
    return dir == null || !Files.isDirectory(dir);
  }

  /** The variant tuned earlier under this key, or null. */
  KernelVariant load(String key) {
    if (dir == null) return null;
    Path file = dir.resolve(key + ".variant");
    try {
      String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      KernelVariant v = KernelVariant.byId(first);
      if (v == null) LOG.log(Level.WARNING, "ignoring tuning cache file " + file + ": unknown variant '" + first + "'");
      return v;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot read tuning cache file " + file + ": " + e);
      return null;
    }
  }

  /** Records the winner; failures are logged, never thrown. Returns the file written, or null. */
  Path store(String key, KernelVariant winner, String timings) {
    if (dir == null) return null;
    Path target = dir.resolve(key + ".variant");
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, key.substring(0, 16) + "-", ".tmp");
      Files.writeString(tmp, winner.id() + "\n" + timings + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      return target;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot write tuning cache file " + target + " (tuning will run again): " + e);
      return null;
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }
}
