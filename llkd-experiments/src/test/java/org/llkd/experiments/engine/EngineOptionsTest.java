package org.llkd.experiments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.exp.ExperimentMain;
import org.llkd.experiments.exp.Fig3Ablation;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.report.RawTable;

/** {@code --engine}/{@code --master} validation, and raw.csv's error column for failed runs. */
class EngineOptionsTest {
  @Test
  void engineFlagsAreValidated() {
    assertEquals(EngineOptions.Kind.SPARK, EngineOptions.kind("Spark"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineOptions.kind("hadoop"));
    assertTrue(e.getMessage().contains("'hadoop'") && e.getMessage().contains("local or spark"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new EngineOptions(EngineOptions.Kind.LOCAL, "local[2]"));
    assertTrue(e.getMessage().contains("needs --engine spark"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new EngineOptions(EngineOptions.Kind.SPARK, " "));
    assertNull(new EngineOptions(EngineOptions.Kind.SPARK, null).master());
  }

  @Test
  void masterWithoutSparkEngineIsRejectedBeforeAnyRun(@TempDir Path tmp) {
    Path out = tmp.resolve("out");
    StringWriter err = new StringWriter();
    var cl = ExperimentMain.commandLine(new Fig3Ablation());
    cl.setErr(new PrintWriter(err));
    cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
      cmd.getErr().println(ex.getMessage());
      return ex instanceof IllegalArgumentException ? 2 : 1;
    });
    int code = cl.execute("--tiny", "--seeds", "1", "--dataset", Fixtures.DATASET, "--data-root",
        Fixtures.dataRoot().toString(), "--teachers-root", Fixtures.teachersRoot().toString(), "--out", out.toString(),
        "--master", "local[2]");
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("needs --engine spark"), err.toString());
    assertTrue(!Files.exists(out), "nothing may be written before the flags are valid");
  }

  @Test
  void rawCsvRecordsTheErrorOfAFailedRun(@TempDir Path tmp) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("group", "g1");
    RunGrid.Spec a = new RunGrid.Spec(Fixtures.tiny("llkd", 1), tags);
    RunGrid.Spec b = new RunGrid.Spec(Fixtures.tiny("random", 2), tags);
    Map<String, String> row = new LinkedHashMap<>(tags);
    row.put("run_id", a.config().runId()); // as metrics.csv has it: without the tag suffix
    row.put("test_macro_f1", "0.5");
    List<RunGrid.Outcome> outcomes = List.of(new RunGrid.Outcome(a, row, null),
        new RunGrid.Outcome(b, Map.of(), "IllegalStateException: x, y\nz (attempt 3/3)"));
    Path rawCsv = RunGrid.writeRaw(tmp, outcomes);
    RawTable raw = RawTable.read(rawCsv);
    assertEquals(List.of("group", "run_id", "test_macro_f1", "status", "error"), raw.columns());
    assertEquals(Map.of("group", "g1", "run_id", a.config().runId(), "test_macro_f1", "0.5", "status", "ok", "error", ""),
        raw.rows().get(0));
    assertEquals(Map.of("group", "g1", "run_id", b.config().runId(), "test_macro_f1", "", "status", "failed",
        "error", "IllegalStateException: x, y;z (attempt 3/3)"), raw.rows().get(1));
    // the comma stays (a quoted cell, Commons CSV); the line break becomes ';' so each run is one line
    assertTrue(Fixtures.lines(rawCsv).get(2).endsWith(",failed,\"IllegalStateException: x, y;z (attempt 3/3)\""),
        Fixtures.lines(rawCsv).toString());

    // a grid whose runs all failed still names them
    RawTable allFailed = RawTable.read(RunGrid.writeRaw(tmp.resolve("f"), List.of(outcomes.get(1))));
    assertEquals(List.of("group", "run_id", "status", "error"), allFailed.columns());
    assertEquals(b.config().runId(), allFailed.rows().get(0).get("run_id"));
  }

  @Test
  void sparkIsRefusedWithoutTheJava17Opens() {
    // surefire passes the opens (pom argLine.spark), so the check must pass here ...
    SparkEngine.checkJavaFlags();
    // ... and every required package is named in the flag list it would print
    for (String p : SparkEngine.REQUIRED_OPENS) {
      assertTrue(Object.class.getModule().isOpen(p, SparkEngine.class.getModule()), p);
    }
  }
}
