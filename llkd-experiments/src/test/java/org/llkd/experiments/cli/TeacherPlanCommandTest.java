package org.llkd.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.Fixtures;

/** {@code llkd teacher plan} on the command line, simulated with a shipped teacher file and the tiny student. */
class TeacherPlanCommandTest {
  @TempDir Path dir;

  @Test
  void helpAndATinySimulatedPlan() throws Exception {
    String[] h = LlkdCliTest.run("teacher", "plan", "--help");
    assertEquals("0", h[0], h[2]);
    for (String o : new String[] {"--budget", "--input", "--labels", "--teacher-file", "--endpoint", "--rounds", "--out"}) {
      assertTrue(h[1].contains(o), o + " missing:\n" + h[1]);
    }
    Path data = Fixtures.dataRoot().resolve(Fixtures.DATASET);
    Path out = dir.resolve("plan.txt");
    String[] r = LlkdCliTest.run("teacher", "plan", "--input", data.resolve("train.tsv").toString(), "--labels",
        data.resolve("labels.txt").toString(), "--budget", "12", "--rounds", "2", "--student-tier", "tiny",
        "--teacher-file", Fixtures.teacher("zeroshot-bge").toString(), "--out", out.toString());
    assertEquals("0", r[0], r[2]);
    List<String> ids = Files.readAllLines(out);
    assertEquals(12, ids.size());
    assertEquals(12, new HashSet<>(ids).size());
    for (String id : ids) assertTrue(id.matches("train-(0|[1-9][0-9]*)") && Integer.parseInt(id.substring(6)) < 300, id);
    assertEquals(13, Files.readAllLines(dir.resolve("plan.txt.rows.csv")).size());

    String[] neither = LlkdCliTest.run("teacher", "plan", "--input", data.resolve("train.tsv").toString(), "--labels",
        data.resolve("labels.txt").toString(), "--budget", "12", "--out", dir.resolve("p2.txt").toString());
    assertEquals("2", neither[0], "a teacher (file or endpoint) is required");
  }
}
