package org.llkd.experiments.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.train.TrainConfig;

/**
 * Shared fixtures of the experiment, trainer and reliability tests: where the shipped data and teacher
 * files are (through {@code llkd.repo.root}, set by surefire), the smallest shipped dataset, and CSV
 * helpers for comparing run directories.
 */
public final class Fixtures {
  /** The smallest shipped dataset (300 train rows, 5 classes) with both teacher files. */
  public static final String DATASET = "pubmed_rct_sample";

  private Fixtures() {}

  /** The repository root; fails with a hint when the tests run outside the repository. */
  public static Path repoRoot() {
    Path root = Provenance.repoRoot();
    assertTrue(Files.isDirectory(root.resolve("data").resolve(DATASET)), "no data/" + DATASET + " under " + root
        + "; run the tests through Maven (surefire sets -Dllkd.repo.root) or pass -Dllkd.repo.root=<checkout>");
    return root;
  }

  public static Path dataRoot() { return repoRoot().resolve("data"); }

  public static Path teachersRoot() { return repoRoot().resolve("teachers"); }

  /** {@code teachers/<DATASET>/<name>.jsonl}. */
  public static Path teacher(String name) {
    Path t = teachersRoot().resolve(DATASET).resolve(name + ".jsonl");
    assertTrue(Files.isRegularFile(t), "missing teacher file " + t);
    return t;
  }

  /** The TINY tier on {@link #DATASET} with the zero-shot teacher: 1 layer, 64 rows, 32 tokens, batch 16, 2 epochs. */
  public static TrainConfig tiny(String method, long seed) {
    return TrainConfig.tiny(DATASET, dataRoot(), teacher("zeroshot-bge"), method, seed);
  }

  public static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The single data row of a {@code metrics.csv} as column → value. */
  public static Map<String, String> metricsRow(Path metricsCsv) {
    List<String> l = lines(metricsCsv);
    assertEquals(2, l.size(), metricsCsv + ": expected a header and one row");
    String[] h = l.get(0).split(",", -1);
    String[] v = l.get(1).split(",", -1);
    assertEquals(h.length, v.length, metricsCsv + ": header and row differ in length");
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < h.length; i++) m.put(h[i], v[i]);
    return m;
  }

  /** {@link #metricsRow} without the wall-clock column (the only value allowed to differ between runs). */
  public static Map<String, String> metricsWithoutWallTime(Path metricsCsv) {
    Map<String, String> m = metricsRow(metricsCsv);
    assertTrue(m.containsKey("wall_seconds"), metricsCsv + " has no wall_seconds column");
    m.remove("wall_seconds");
    return m;
  }

  /** Number of data rows (lines after the header) of a CSV file. */
  public static int dataRows(Path csv) {
    return lines(csv).size() - 1;
  }
}
