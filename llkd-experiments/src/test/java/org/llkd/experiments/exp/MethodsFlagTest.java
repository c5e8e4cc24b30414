package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.report.RawTable;

/**
 * {@code llkd run <Name> --methods ...} runs only those methods of the experiment (the rest of its grid is not trained);
 * with {@code --selection-forward shared} every run records SHARED in its config. A list that is not an ordered subset
 * starting with the first method, or an experiment without a method grid, is refused before any output exists.
 */
class MethodsFlagTest {
  private static String[] args(Path out, String... extra) {
    List<String> a = new java.util.ArrayList<>(List.of("--tiny", "--seeds", "1", "--dataset", Fixtures.DATASET,
        "--data-root", Fixtures.dataRoot().toString(), "--teachers-root", Fixtures.teachersRoot().toString(),
        "--out", out.toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void runsOnlyTheGivenMethodsWithTheSharedSelectionForward(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("main");
    assertEquals(0, ExperimentMain.run(new MainResultsTable(), args(out, "--methods", "llkd,soft",
        "--selection-forward", "shared")));
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertEquals(List.of("llkd", "soft"), raw.rows().stream().map(r -> r.get("method")).toList());
    assertTrue(raw.rows().stream().allMatch(r -> "ok".equals(r.get("status"))), raw.rows().toString());
    for (String run : List.of("llkd", "soft")) {
      JsonNode p = new ObjectMapper().readTree(
          out.resolve("runs").resolve(Fixtures.DATASET + "-" + run + "-s1").resolve("provenance.json").toFile());
      assertEquals("SHARED", p.get("config").get("selectionForward").asText(), p.get("config").toString());
    }
    assertTrue(Files.isRegularFile(out.resolve("table.md")));
  }

  @Test
  void refusesAnUnorderedOrForeignMethodListAndExperimentsWithoutAGrid(@TempDir Path tmp) {
    Path out = tmp.resolve("x");
    assertEquals(2, ExperimentMain.run(new MainResultsTable(), args(out, "--methods", "soft,llkd")));
    assertEquals(2, ExperimentMain.run(new MainResultsTable(), args(out, "--methods", "llkd,nope")));
    assertEquals(2, ExperimentMain.run(new GoldFinetuneEvidence(), args(out, "--methods", "gold")));
    assertFalse(Files.exists(out), "a refused command created its output directory");
  }
}
