package dev.netc.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that readers, and a crash mid-write, only ever see the old file or the complete new one:
 * write a temporary file in the same directory (same file system, so the rename is atomic), force it to disk,
 * then rename it over the target.
 *
 * <p>Public so that every file netc writes (weights, checkpoints, training history, charts) goes through this
 * one implementation.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** What writes the content; it gets a channel positioned at 0. */
  public interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  /** Writes {@code bytes} as the whole content of {@code target}, atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, ch -> {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) ch.write(buf);
    });
  }

  /**
   * Writes {@code target} atomically with what {@code content} writes; if it throws, the target is left as it
   * was and the temporary file is removed.
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    // Not Files.createTempFile: that makes the file owner-only (0600), and the rename would keep that mode.
    Path tmp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.writeTo(ch);
        ch.force(true);
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot rename atomically, so " + absolute
            + " cannot be written safely", e);
      }
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Makes the rename itself durable on POSIX systems; elsewhere directories cannot be opened, which is fine. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Best effort: the data itself is already on disk, only the directory entry may lag after a crash.
    }
  }
}
