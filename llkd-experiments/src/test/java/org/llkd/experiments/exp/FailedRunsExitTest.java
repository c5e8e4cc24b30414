package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.train.NativeMemoryGuard;

/**
 * A run that fails fails the command: {@code llkd run} exits 1 after writing raw.csv (a {@code failed} row per
 * failed run with its error), provenance.json, the table and each failed run's FAILED.txt.
 */
class FailedRunsExitTest {
  @Test
  @ResourceLock("llkd.maxResidentBytes")
  void failedRunsExitOneAfterWritingEverything(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("main");
    String before = System.getProperty(NativeMemoryGuard.PROPERTY);
    System.setProperty(NativeMemoryGuard.PROPERTY, "1K"); // every run stops before its first step
    int exit;
    try {
      exit = ExperimentMain.run(new MainResultsTable(), new String[] {"--tiny", "--seeds", "1", "--dataset",
          Fixtures.DATASET, "--data-root", Fixtures.dataRoot().toString(), "--teachers-root",
          Fixtures.teachersRoot().toString(), "--out", out.toString(), "--methods", "llkd,all"});
    } finally {
      if (before == null) System.clearProperty(NativeMemoryGuard.PROPERTY);
      else System.setProperty(NativeMemoryGuard.PROPERTY, before);
    }
    assertEquals(1, exit, "a grid whose runs failed must exit 1");
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertEquals(List.of("failed", "failed"), raw.rows().stream().map(r -> r.get("status")).toList());
    assertTrue(raw.rows().get(0).get("error").contains("resident memory"), raw.rows().toString());
    assertTrue(Files.isRegularFile(out.resolve("provenance.json")));
    assertTrue(Files.isRegularFile(out.resolve("table.md")));
    for (String m : List.of("llkd", "all")) {
      Path failed = out.resolve("runs").resolve(Fixtures.DATASET + "-" + m + "-s1").resolve("FAILED.txt");
      assertTrue(Files.readString(failed).contains("resident memory"), failed.toString());
    }
  }
}
