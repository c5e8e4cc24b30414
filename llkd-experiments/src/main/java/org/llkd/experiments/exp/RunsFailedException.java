package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.List;

/**
 * Thrown after an experiment wrote everything that finished (raw.csv with a {@code failed} row per failed run,
 * provenance.json, table and figures) when at least one of its runs failed; {@code llkd run} exits 1 on it.
 *
 * @param failedRunDirs the failed runs' directories, each holding its {@code FAILED.txt}
 */
public final class RunsFailedException extends RuntimeException {
  private final transient List<Path> failedRunDirs;
  private final int total;

  RunsFailedException(List<Path> failedRunDirs, int total) {
    super(failedRunDirs.size() + " of " + total + " runs failed");
    this.failedRunDirs = List.copyOf(failedRunDirs);
    this.total = total;
  }

  public List<Path> failedRunDirs() {
    return failedRunDirs;
  }

  public int total() {
    return total;
  }

  /** The first line of a failed run's {@code FAILED.txt} (the error), or a note that it is missing. */
  public static String reason(Path runDir) {
    try (var lines = java.nio.file.Files.lines(runDir.resolve("FAILED.txt"))) {
      return lines.findFirst().orElse("(empty FAILED.txt)");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "(no readable FAILED.txt: " + e.getMessage() + ")";
    }
  }

  /** The console's last line: how many failed and where the first {@code FAILED.txt} is. */
  public String summaryLine() {
    Path first = failedRunDirs.get(0).resolve("FAILED.txt");
    return "FAILED: " + failedRunDirs.size() + " of " + total + " runs failed; see " + first
        + (failedRunDirs.size() > 1 ? " and the other runs' FAILED.txt (listed above)" : "")
        + "; rerun with --resume to retry only them";
  }
}
