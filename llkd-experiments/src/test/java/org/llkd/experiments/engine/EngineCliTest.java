package org.llkd.experiments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.exp.Experiment;
import org.llkd.experiments.exp.ExperimentMain;
import org.llkd.experiments.exp.Fig5ParameterAnalysis;
import org.llkd.experiments.exp.GoldFinetuneEvidence;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.report.RawTable;

/**
 * {@code --engine spark --master local[2]} through the shared experiment command line (as {@code llkd run} and
 * {@code spark-submit} use it): the TINY gold run of GoldFinetuneEvidence, one seed, is trained in a Spark task,
 * and raw.csv, the run's files and the experiment's provenance (which records the engine) are where they belong.
 */
class EngineCliTest {
  /** Runs {@code e} with {@code args} and Spark bound to the loopback interface, without its web UI. */
  static int runOnLoopback(Experiment e, String... args) {
    String[] keys = {"spark.ui.enabled", "spark.driver.host", "spark.driver.bindAddress"};
    Map<String, String> saved = new java.util.HashMap<>();
    for (String k : keys) saved.put(k, System.getProperty(k));
    System.setProperty("spark.ui.enabled", "false");
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    try {
      return ExperimentMain.run(e, args);
    } finally {
      for (String k : keys) {
        if (saved.get(k) == null) System.clearProperty(k);
        else System.setProperty(k, saved.get(k));
      }
    }
  }

  @Test
  void sparkEngineFromTheCommandLine(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("GoldFinetuneEvidence");
    int code = runOnLoopback(new GoldFinetuneEvidence(), "--tiny", "--seeds", "1", "--dataset",
        Fixtures.DATASET, "--data-root", Fixtures.dataRoot().toString(), "--teachers-root",
        Fixtures.teachersRoot().toString(), "--out", out.toString(), "--engine", "spark", "--master", "local[2]");
    assertEquals(0, code);
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertEquals(1, raw.rows().size());
    Map<String, String> r = raw.rows().get(0);
    assertEquals("ok", r.get("status"), r.toString());
    assertEquals(Fixtures.DATASET + "-gold-s1", r.get("run_id"));
    assertEquals(r.get("test_macro_f1"),
        Fixtures.metricsRow(out.resolve("runs").resolve(r.get("run_id")).resolve("metrics.csv")).get("test_macro_f1"));
    JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
    JsonNode flags = prov.get("config").get("engine");
    assertEquals("SPARK", flags.get("kind").asText(), flags.toString());
    assertEquals("local[2]", flags.get("master").asText(), flags.toString());
    JsonNode used = prov.get("engine"); // what actually ran the grid
    assertEquals("spark", used.get("engine").asText(), used.toString());
    // the Spark on the test class path (pom: spark.version), from spark-core's jar manifest
    String sparkOnClassPath = SparkContext.class.getPackage().getImplementationVersion();
    assertTrue(sparkOnClassPath != null && sparkOnClassPath.startsWith("3.5."), "spark-core " + sparkOnClassPath);
    assertEquals(sparkOnClassPath, used.get("sparkVersion").asText(), used.toString());
    assertEquals("local[2]", used.get("master").asText(), used.toString());
    assertEquals(1, used.get("maxAttempts").asInt(), used.toString());
    assertTrue(out.resolve("table.md").toFile().isFile());
  }

  @Test
  void sweepExperimentRunsItsTrialsAsSparkTasks(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("fig5");
    int code = runOnLoopback(new Fig5ParameterAnalysis(), "--tiny", "--seeds", "1", "--dataset", Fixtures.DATASET,
        "--data-root", Fixtures.dataRoot().toString(), "--teachers-root", Fixtures.teachersRoot().toString(), "--out",
        out.toString(), "--engine", "spark", "--master", "local[2]");
    assertEquals(0, code);
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertEquals(List.of("ok", "ok", "ok"), raw.rows().stream().map(r -> r.get("status")).toList());
    JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
    assertEquals("spark", prov.at("/engine/engine").asText(), prov.toString());
    assertEquals("local[2]", prov.at("/engine/master").asText(), prov.toString());
    assertEquals("LocalOptimizationRunner(2)", prov.at("/arbiter/runner").asText(), prov.toString());
    assertTrue(Files.isRegularFile(out.resolve("fig5_momentum.png")));
  }
}
