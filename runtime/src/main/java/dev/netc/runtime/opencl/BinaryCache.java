package dev.netc.runtime.opencl;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The on-disk cache of compiled OpenCL program binaries, one file per key.
 *
 * <p>Key: SHA-256 over the source, the device's name, vendor, driver version and OpenCL version, and the build
 * options (each length-prefixed, so no two different inputs hash the same bytes). A driver update therefore
 * misses the cache instead of loading a stale binary.
 *
 * <p>File {@code <key>.clbin}: the magic {@code NETCCLB1}, the payload length (8 bytes), the payload's SHA-256
 * (32 bytes), then the driver's binary. The checksum catches truncated or damaged files before they reach the
 * driver (drivers are not all robust against garbage). Files are written to a temporary file in the same
 * directory, forced to disk and renamed over the target, so a reader (another process included) sees a whole
 * file or none. The cache never fails a build: I/O errors are logged and the program is built from source.
 */
final class BinaryCache {
  private static final System.Logger LOG = System.getLogger("dev.netc.runtime.opencl");
  private static final byte[] MAGIC = "NETCCLB1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + 8 + 32;
  /** Part of every key: bump when the file format or what goes into a key changes. */
  private static final String FORMAT = "netc-opencl-binary-1";

  private final Path dir;

  BinaryCache(Path dir) {
    this.dir = dir;
  }

  Path directory() {
    return dir;
  }

  /** System property {@code netc.cache.dir}, else {@code $XDG_CACHE_HOME/netc/opencl}, else {@code ~/.cache/netc/opencl}. */
  static Path defaultDirectory() {
    String prop = System.getProperty("netc.cache.dir");
    if (prop != null && !prop.isBlank()) return Path.of(prop);
    String xdg = System.getenv("XDG_CACHE_HOME");
    // The XDG spec says relative values are invalid and must be ignored.
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "netc", "opencl");
    return Path.of(System.getProperty("user.home"), ".cache", "netc", "opencl");
  }

  static String key(String source, ClDevice device, String options) {
    MessageDigest sha = sha256();
    for (String part : new String[] {FORMAT, source, device.name(), device.vendor(), device.driverVersion(),
        device.version(), options}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
      sha.update(bytes);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  Path file(String key) {
    return dir.resolve(key + ".clbin");
  }

  /** The cached binary, or null when there is none or it is damaged (logged). */
  byte[] load(String key) {
    Path file = file(key);
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | OutOfMemoryError e) {
      LOG.log(Level.WARNING, "cannot read OpenCL binary cache file " + file + ", building from source: " + e);
      return null;
    }
    if (all.length < HEADER || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      LOG.log(Level.WARNING, "OpenCL binary cache file " + file + " is not a netc cache file; rebuilding it");
      return null;
    }
    ByteBuffer header = ByteBuffer.wrap(all);
    long length = header.getLong(MAGIC.length);
    if (length != all.length - HEADER) {
      LOG.log(Level.WARNING, "OpenCL binary cache file " + file + " is truncated (" + (all.length - HEADER)
          + " of " + length + " bytes); rebuilding it");
      return null;
    }
    byte[] payload = Arrays.copyOfRange(all, HEADER, all.length);
    byte[] expected = Arrays.copyOfRange(all, MAGIC.length + 8, HEADER);
    if (!MessageDigest.isEqual(expected, sha256().digest(payload))) {
      LOG.log(Level.WARNING, "OpenCL binary cache file " + file + " is corrupt (checksum mismatch); rebuilding it");
      return null;
    }
    return payload;
  }

  /** Writes the binary atomically; failures are logged, never thrown. */
  void store(String key, byte[] binary) {
    if (binary == null || binary.length == 0) return;
    Path target = file(key);
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, key.substring(0, 16) + "-", ".tmp");
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      header.put(MAGIC).putLong(binary.length).put(sha256().digest(binary)).flip();
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(ch, header);
        writeFully(ch, ByteBuffer.wrap(binary));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot write OpenCL binary cache file " + target + " (programs will be built from"
          + " source each time): " + e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: a stray .tmp file is harmless
        }
      }
    }
  }

  /** Removes a file the driver refused, so it is not offered again before being replaced. */
  void discard(String key) {
    try {
      Files.deleteIfExists(file(key));
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "cannot delete " + file(key) + ": " + e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) ch.write(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
