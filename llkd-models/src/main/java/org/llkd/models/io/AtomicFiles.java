package org.llkd.models.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file output: content goes to a temporary sibling, is forced to disk, then renamed over the
 * target, so readers (and a crash) see either the old file or the complete new one, never a half.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes whatever {@code body} writes to {@code target} atomically. */
  public static void write(Path target, IoConsumer<OutputStream> body) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
      makeReadable(tmp); // temp files are created 0600; results are meant to be shared (0644)
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
           OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        body.accept(out);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // No silent fallback to a non-atomic move: a reader could then see a half-written result.
        throw new IOException("the file system of " + dir + " cannot rename atomically; write results to a local disk", e);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + abs + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort cleanup of our own temp file */ }
      }
    }
  }

  /** Gives a POSIX file the usual rw-r--r-- mode; a no-op on file systems without POSIX permissions. */
  static void makeReadable(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /** Writes a UTF-8 string to {@code target} atomically. */
  public static void writeString(Path target, String content) {
    write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  /** An output action that may throw {@link IOException}. */
  @FunctionalInterface
  public interface IoConsumer<T> {
    void accept(T t) throws IOException;
  }
}
