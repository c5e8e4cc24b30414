package org.llkd.experiments.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Rules for result directories: an existing, non-empty result directory is never overwritten unless
 * the caller passes {@code force}; the directory must be writable before any work starts.
 */
public final class ResultDirs {
  private ResultDirs() {}

  /**
   * Prepares {@code dir} for new results. Fails (before any training) if it holds results and
   * {@code force} is false, or if it cannot be created or written.
   */
  public static Path prepare(Path dir, boolean force) {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new IllegalArgumentException("output " + abs + " exists and is not a directory; choose another --out");
    }
    if (!force && Files.isDirectory(abs) && !isEmpty(abs)) {
      throw new IllegalArgumentException("output directory " + abs + " already holds results; pass --force to overwrite, "
          + "--resume to continue an interrupted run, or choose another --out");
    }
    try {
      Files.createDirectories(abs);
      Path probe = Files.createTempFile(abs, ".write-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new IllegalArgumentException("output directory " + abs + " is not writable (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + "); choose a writable --out", e);
    }
    return abs;
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
  }
}
