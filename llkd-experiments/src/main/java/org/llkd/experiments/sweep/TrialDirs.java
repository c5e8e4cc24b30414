package org.llkd.experiments.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.csv.Csv;

/**
 * The state of a trial is its directory ({@code <sweep-out>/trials/<trial-id>/}): {@code metrics.csv} = finished;
 * {@code FAILED.txt} = failed; any other content = interrupted (resumed from {@code checkpoint.zip} if there is
 * one); no directory = pending. Nothing else is remembered between runs, so any machine that sees the directory
 * sees the same state.
 */
final class TrialDirs {
  static final String METRICS = "metrics.csv";
  static final String FAILED = "FAILED.txt";
  static final String TRIAL_JSON = "trial.json";

  /** What a trial directory says. */
  enum Status {
    OK("ok"), FAILED("failed"), INTERRUPTED("interrupted"), PENDING("pending");

    final String csv;

    Status(String csv) {
      this.csv = csv;
    }
  }

  private TrialDirs() {}

  static Path dir(Path sweepOut, SweepPlan.Trial t) {
    return sweepOut.resolve("trials").resolve(t.id());
  }

  static Status status(Path dir) {
    if (Files.isRegularFile(dir.resolve(METRICS))) return Status.OK;
    if (Files.isRegularFile(dir.resolve(FAILED))) return Status.FAILED;
    if (Files.isDirectory(dir)) return Status.INTERRUPTED;
    return Status.PENDING;
  }

  /** metrics.csv (header + one row) as column → value. */
  static Map<String, String> readMetrics(Path metricsCsv) {
    return Csv.readSingleRow(metricsCsv);
  }

  /** The first line of FAILED.txt ("" if unreadable). */
  static String failure(Path dir) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(FAILED), StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(0);
    } catch (IOException e) {
      return "(FAILED.txt unreadable: " + e.getMessage() + ")";
    }
  }

  /** Deletes {@code dir} and everything below it (used by --force on this trial's own directory only). */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) return;
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          Files.delete(f);
          return FileVisitResult.CONTINUE;
        }

        @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          if (e != null) throw e;
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir + " for --force", e);
    }
  }
}
