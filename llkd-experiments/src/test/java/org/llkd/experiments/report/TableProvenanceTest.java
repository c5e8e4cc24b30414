package org.llkd.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table built from runs of two builds lists both commits, with which run came from which (issue 26, item 5). */
class TableProvenanceTest {
  static void run(Path exp, String id, String buildCommit) throws IOException {
    Path d = Files.createDirectories(exp.resolve("runs").resolve(id));
    Files.writeString(d.resolve("metrics.csv"), "run_id\n" + id + "\n");
    Files.writeString(d.resolve("provenance.json"), "{\"git\":{\"commit\":\"" + buildCommit + "\",\"dirty\":false,"
        + "\"build\":{\"commit\":\"" + buildCommit + "\",\"dirty\":false}}}\n");
  }

  @Test void runsOfTwoBuildsListBoth(@TempDir Path tmp) throws IOException {
    Path exp = tmp.resolve("MainResultsTable");
    String a = "3e9d73b" + "1".repeat(33);
    String b = "64f3ac1" + "2".repeat(33);
    run(exp, "emotion-llkd-s1", a);
    run(exp, "emotion-all-s1", a);
    run(exp, "emotion-llkd-s2", b);
    List<Map<String, String>> rows = List.of(Map.of("run_id", "emotion-llkd-s1"), Map.of("run_id", "emotion-all-s1"),
        Map.of("run_id", "emotion-llkd-s2"));
    TableProvenance p = TableProvenance.of(exp, rows);
    assertEquals(List.of(a, a, b), p.runs().stream().map(TableProvenance.Run::commit).toList());
    String md = p.markdown("built by test.");
    assertTrue(md.startsWith("## Provenance\n\n3 runs from 2 commits; 0 from a dirty tree;"), md);
    assertTrue(md.contains("| 3e9d73b | build stamp | 2 | 0 |\n| 64f3ac1 | build stamp | 1 | 0 |"), md);
    assertTrue(md.contains("**Runs of 2 different code commits** (one table, several builds):\n"
        + "- `3e9d73b` (build stamp, 2): emotion-llkd-s1, emotion-all-s1\n"
        + "- `64f3ac1` (build stamp, 1): emotion-llkd-s2\n"), md);
  }

  @Test void oneBuildHasNoPerCommitList(@TempDir Path tmp) throws IOException {
    Path exp = tmp.resolve("X");
    run(exp, "r1", "a".repeat(40));
    run(exp, "r2", "a".repeat(40));
    String md = TableProvenance.of(exp, List.of(Map.of("run_id", "r1"), Map.of("run_id", "r2"))).markdown("b.");
    assertTrue(md.contains("2 runs from 1 commit;"), md);
    assertFalse(md.contains("different code commits"), md);
  }
}
