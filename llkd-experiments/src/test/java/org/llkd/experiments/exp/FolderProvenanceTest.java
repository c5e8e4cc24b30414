package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every results folder carries its provenance.json (issue 26, item 5). results/MainResultsTable/ had none because its
 * tables were built with {@code --collect} after a grid stopped part-way, and only a grid that runs to its end wrote
 * one. Now {@code --collect} writes it (raw.csv was just rebuilt), and {@code --build-only} writes one where the folder
 * has none, counting the runs per code commit; a grid's own record is not replaced by {@code --build-only}.
 */
class FolderProvenanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The hand-made experiment of MethodTablesTest, with each run's metrics.csv holding its raw.csv row. */
  static Path experiment(Path tmp) throws IOException {
    Path exp = MethodTablesTest.writeExperiment(tmp);
    List<String> raw = Files.readAllLines(exp.resolve("raw.csv"));
    String header = raw.get(0).substring(0, raw.get(0).lastIndexOf(",status"));
    for (String line : raw.subList(1, raw.size())) {
      String id = line.substring(0, line.indexOf(','));
      Files.writeString(exp.resolve("runs").resolve(id).resolve("metrics.csv"),
          header + "\n" + line.substring(0, line.lastIndexOf(",ok")) + "\n");
    }
    return exp;
  }

  @Test void collectWritesTheFoldersProvenance(@TempDir Path tmp) throws IOException {
    Path exp = experiment(tmp);
    assertFalse(Files.exists(exp.resolve("provenance.json")));
    assertEquals(0, ExperimentMain.run(new MainResultsTable(), new String[] {"--out", exp.toString(), "--collect"}));
    JsonNode p = JSON.readTree(exp.resolve("provenance.json").toFile());
    assertEquals("MainResultsTable (collect)", p.path("what").asText());
    assertEquals(52, p.path("runs").path("total").asInt());
    assertEquals(50, p.path("runs").path("byCommit").path("a".repeat(40)).asInt(), p.toString());
    assertEquals(1, p.path("runs").path("byCommit").path("c".repeat(40)).asInt(), p.toString());
    assertTrue(p.path("inputs").path("raw.csv").asText().contains("sha256:"), p.toString());
    assertTrue(p.path("git").has("build"), "the build that collected is recorded: " + p);
  }

  @Test void buildOnlyAddsOneWhereNoneIsAndKeepsAGridsOwn(@TempDir Path tmp) throws IOException {
    Path exp = experiment(tmp);
    assertEquals(0, ExperimentMain.run(new MainResultsTable(), new String[] {"--out", exp.toString(), "--build-only"}));
    assertEquals("MainResultsTable (build-only)",
        JSON.readTree(exp.resolve("provenance.json").toFile()).path("what").asText());
    Files.writeString(exp.resolve("provenance.json"), "{\"what\":\"MainResultsTable\"}\n"); // a grid's record
    assertEquals(0, ExperimentMain.run(new MainResultsTable(), new String[] {"--out", exp.toString(), "--build-only"}));
    assertEquals("{\"what\":\"MainResultsTable\"}\n", Files.readString(exp.resolve("provenance.json")));
  }
}
