package org.llkd.experiments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.cli.LlkdCli;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.sweep.SweepRunner;
import org.llkd.experiments.sweep.SweepSpec;
import org.llkd.experiments.train.Trainer;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputs;
import picocli.CommandLine;

/**
 * {@code llkd sweep} and {@code llkd teacher export} with {@code --engine spark --master local[2]}, each against the
 * same job on the local engine: a TINY two-trial sweep (two Spark tasks, submitted concurrently by Arbiter's runner)
 * gives the same per-trial metrics and ranking; a few-shot export cut into three partitions (three onnxruntime
 * sessions) gives the same rows, ids and argmax, probabilities within float rounding; and the engine flags are
 * validated before anything runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSweepAndExportTest {
  private static final String[] SPARK_PROPS = {"spark.ui.enabled", "spark.driver.host", "spark.driver.bindAddress"};
  private final Map<String, String> saved = new HashMap<>();

  @BeforeAll
  void sparkOnLoopback() {
    for (String k : SPARK_PROPS) saved.put(k, System.getProperty(k));
    System.setProperty("spark.ui.enabled", "false");
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.driver.bindAddress", "127.0.0.1");
  }

  @AfterAll
  void restore() {
    for (String k : SPARK_PROPS) {
      if (saved.get(k) == null) System.clearProperty(k);
      else System.setProperty(k, saved.get(k));
    }
  }

  /** Runs {@code llkd args...}; returns the exit code and what it printed on stderr. */
  private static Map.Entry<Integer, String> cli(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = LlkdCli.commandLine();
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return Map.entry(code, err.toString());
  }

  @Test
  void sweepOnSparkEqualsTheLocalSweep(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("tiny_grid.json");
    Files.writeString(file, """
        {"name": "tiny_grid", "dataset": "pubmed_rct_sample", "teacher": "zeroshot-bge", "tier": "tiny",
         "method": "llkd", "search": "grid", "seeds": [1], "workers": 1,
         "parameters": {"classWise": {"role": "scientific", "values": [true, false]}}}
        """, StandardCharsets.UTF_8);
    Path localOut = tmp.resolve("local");
    SweepRunner.run(SweepSpec.read(file), new SweepRunner.Options(
        new SweepRunner.Options.Output(localOut, false, false), Fixtures.dataRoot(), Fixtures.teachersRoot(),
        SweepRunner.Options.Slice.ALL, null, Trainer.Launcher.LOCAL));

    Path sparkOut = tmp.resolve("spark");
    Map.Entry<Integer, String> r = cli("sweep", file.toString(), "--out", sparkOut.toString(), "--data-root",
        Fixtures.dataRoot().toString(), "--teachers-root", Fixtures.teachersRoot().toString(), "--engine", "spark",
        "--master", "local[2]");
    assertEquals(0, r.getKey(), r.getValue());

    RawTable local = RawTable.read(localOut.resolve("raw.csv"));
    RawTable spark = RawTable.read(sparkOut.resolve("raw.csv"));
    assertEquals(local.columns(), spark.columns());
    assertEquals(2, spark.rows().size());
    for (int i = 0; i < 2; i++) {
      Map<String, String> a = local.rows().get(i);
      Map<String, String> b = spark.rows().get(i);
      assertEquals("ok", b.get("status"), b.toString());
      for (String c : local.columns()) {
        if (!c.contains("wall")) assertEquals(a.get(c), b.get(c), "column " + c + " of trial " + a.get("trial_id"));
      }
      Path trial = sparkOut.resolve("trials").resolve(b.get("trial_id"));
      assertEquals(Files.readString(localOut.resolve("trials").resolve(a.get("trial_id")).resolve("steps.csv")),
          Files.readString(trial.resolve("steps.csv")), "per-step log of " + b.get("trial_id"));
      assertFalse(Files.exists(trial.resolve("checkpoint.zip")), "finished trial's checkpoint deleted");
    }
    assertEquals(Files.readString(localOut.resolve("table.md")), Files.readString(sparkOut.resolve("table.md")));
    JsonNode prov = new ObjectMapper().readTree(sparkOut.resolve("provenance.json").toFile());
    assertEquals("spark", prov.at("/engine/engine").asText(), prov.toString());
    assertEquals("local[2]", prov.at("/engine/master").asText());
    assertEquals("LocalOptimizationRunner(2)", prov.at("/arbiter/runner").asText(), "workers = Spark task slots");
    assertEquals("local", new ObjectMapper().readTree(localOut.resolve("provenance.json").toFile())
        .at("/engine/engine").asText());
  }

  @Test
  void teacherExportOnSparkPartitionsEqualsTheLocalExport(@TempDir Path tmp) throws Exception {
    Path dataRoot = Path.of(getClass().getResource("/teacher/data/emotion/labels.txt").toURI()).getParent().getParent();
    Path localOut = tmp.resolve("local.jsonl");
    Path sparkOut = tmp.resolve("spark.jsonl");
    String[] common = {"teacher", "export", "--dataset", "emotion", "--teacher", "fewshot-minilm", "--split",
        "train,dev", "--k", "2", "--threads", "1", "--data-root", dataRoot.toString(), "--no-progress"};
    Map.Entry<Integer, String> a = cli(concat(common, "--out", localOut.toString()));
    assertEquals(0, a.getKey(), a.getValue());
    Map.Entry<Integer, String> b = cli(concat(common, "--out", sparkOut.toString(), "--engine", "spark", "--master",
        "local[2]", "--partitions", "3"));
    assertEquals(0, b.getKey(), b.getValue());

    TeacherOutputs x = TeacherOutputReader.read(localOut);
    TeacherOutputs y = TeacherOutputReader.read(sparkOut);
    assertEquals(17, y.numRows());
    assertEquals(x.ids(), y.ids());
    assertEquals(x.labelNames(), y.labelNames());
    assertEquals(x.metadata().get("temperature"), y.metadata().get("temperature"), "teacher built the same way");
    double[][] p = x.probs();
    double[][] q = y.probs();
    for (int i = 0; i < p.length; i++) {
      int am = 0;
      int bm = 0;
      for (int c = 0; c < p[i].length; c++) {
        assertEquals(p[i][c], q[i][c], 1e-5, "row " + x.ids().get(i) + " class " + c);
        if (p[i][c] > p[i][am]) am = c;
        if (q[i][c] > q[i][bm]) bm = c;
      }
      assertEquals(am, bm, "argmax of " + x.ids().get(i));
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode prov = json.readTree(sparkOut.resolveSibling("spark.jsonl.provenance.json").toFile());
    assertEquals("spark", prov.at("/embedding/engine").asText(), prov.toString());
    assertEquals(3, prov.at("/embedding/partitionsPerSplit").asInt());
    assertTrue(prov.at("/embedding/executors").size() >= 1);
    JsonNode localProv = json.readTree(localOut.resolveSibling("local.jsonl.provenance.json").toFile());
    assertEquals("local", localProv.at("/embedding/engine").asText());
    assertEquals(localProv.at("/quality/bySplit/dev/accuracy").asDouble(),
        prov.at("/quality/bySplit/dev/accuracy").asDouble(), 1e-12);
  }

  @Test
  void engineFlagsAreCheckedBeforeAnythingRuns(@TempDir Path tmp) {
    Path out = tmp.resolve("t.jsonl");
    Map.Entry<Integer, String> r = cli("teacher", "export", "--dataset", "emotion", "--teacher", "zeroshot-bge",
        "--out", out.toString(), "--partitions", "2");
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(r.getValue().contains("--partitions 2 needs --engine spark"), r.getValue());
    r = cli("teacher", "export", "--dataset", "emotion", "--teacher", "zeroshot-bge", "--out", out.toString(),
        "--master", "local[2]");
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(r.getValue().contains("needs --engine spark"), r.getValue());
    r = cli("sweep", "sweeps/fig5_emotion_quick.json", "--out", tmp.resolve("s").toString(), "--engine", "flink");
    assertEquals(2, r.getKey(), r.getValue());
    assertTrue(r.getValue().contains("unknown --engine 'flink': expected local or spark"), r.getValue());
    assertFalse(Files.exists(out));
    assertFalse(Files.exists(tmp.resolve("s")));
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
