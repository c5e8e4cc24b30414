package org.llkd.experiments.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.train.RunCheckpoint;
import org.llkd.experiments.train.Trainer;

/**
 * The Spark engine against the local engine on a 3-run TINY grid ({@code pubmed_rct_sample}, shipped zero-shot
 * teacher; LLKD seed 1, random seed 2, soft seed 3) in {@code local[2,3]}: two task slots, three attempts per task.
 * Same final metrics (wall time excepted) and byte-identical logs; a run that fails once is retried (resuming its
 * checkpoint) and ends as the unbroken run; a run that always fails is in raw.csv with its error while the others
 * finish; a grid killed mid-run resumes, skipping its finished runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LOGS = List.of("steps.csv", "epochs.csv", "dev_predictions.csv");

  private JavaSparkContext sc;
  private Path localDir;
  private List<RunGrid.Spec> grid;
  private List<RunGrid.Outcome> local;

  @BeforeAll
  void setUp(@TempDir Path tmp) {
    grid = List.of(spec("llkd", 1), spec("random", 2), spec("soft", 3));
    localDir = tmp.resolve("local");
    try (RunEngine engine = new LocalEngine()) {
      local = engine.runAll(localDir, grid, false);
    }
    for (RunGrid.Outcome o : local) assertTrue(o.ok(), "local engine: " + o.spec().runId() + ": " + o.error());
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2,3]").setAppName("SparkEngineTest")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  @AfterAll
  void tearDown() {
    if (sc != null) sc.stop();
  }

  private static RunGrid.Spec spec(String method, long seed) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("group", "g" + seed);
    return new RunGrid.Spec(Fixtures.tiny(method, seed), tags);
  }

  @Test
  void sameResultsAsLocalEngine(@TempDir Path tmp) throws IOException {
    Path sparkDir = tmp.resolve("spark");
    SparkEngine engine = new SparkEngine(sc);
    assertEquals(3, engine.describe().get("maxAttempts"));
    List<RunGrid.Outcome> spark = engine.runAll(sparkDir, grid, false);
    assertEquals(grid.size(), spark.size());
    for (int i = 0; i < grid.size(); i++) {
      RunGrid.Outcome s = spark.get(i);
      assertTrue(s.ok(), s.spec().runId() + ": " + s.error());
      assertEquals(grid.get(i).runId(), s.spec().runId(), "outcomes in spec order");
      assertSameRun(localDir, sparkDir, s.spec().runId());
      assertEquals(withoutWall(local.get(i).metrics()), withoutWall(s.metrics()), "metrics row returned to the driver");
    }
    // the three runs really differ (else the comparison above proves little)
    assertEquals(3, spark.stream().map(o -> o.metrics().get("test_macro_f1") + o.metrics().get("data_used"))
        .distinct().count(), "three different runs: " + spark);
    RunGrid.writeRaw(localDir, local);
    RunGrid.writeRaw(sparkDir, spark);
    assertEquals(rawWithoutWall(localDir), rawWithoutWall(sparkDir), "raw.csv differs between engines");
  }

  @Test
  void failedAttemptIsRetriedAndAlwaysFailingRunIsRecorded(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("faults");
    String flaky = grid.get(0).runId();
    RunGrid.Spec broken = spec("all", 4);
    String marker = tmp.resolve("first-attempt-of-" + flaky).toString();
    String brokenId = broken.runId();
    // First attempt at the flaky run: leave a marker, then die mid-training (after the epoch-1 checkpoint).
    RunBody body = (expDir, spec, resume) -> {
      if (spec.runId().equals(brokenId)) throw new IllegalStateException("injected failure, every attempt");
      if (spec.runId().equals(flaky) && !Files.exists(Path.of(marker))) {
        try {
          Files.createFile(Path.of(marker));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        new Trainer(spec.config(), expDir.resolve("runs").resolve(spec.runId())).resuming(resume).withStopHook(step -> {
          if (step == 6) throw new IllegalStateException("injected crash at step 6");
        }).train();
      }
      return RunGrid.run(expDir, spec, resume);
    };
    List<RunGrid.Spec> specs = List.of(grid.get(0), broken);
    List<RunGrid.Outcome> out = new SparkEngine(sc, false, body).runAll(dir, specs, false);

    assertTrue(Files.exists(Path.of(marker)), "the flaky run's first attempt never ran");
    assertTrue(out.get(0).ok(), "flaky run not retried to success: " + out.get(0).error());
    assertTrue(JSON.readTree(dir.resolve("runs").resolve(flaky).resolve("provenance.json").toFile())
        .get("resumed").asBoolean(), "the retry should resume the first attempt's checkpoint");
    assertSameRun(localDir, dir, flaky);
    assertFalse(Files.exists(dir.resolve("runs").resolve(flaky).resolve("FAILED.txt")));

    assertFalse(out.get(1).ok());
    assertTrue(out.get(1).error().contains("injected failure") && out.get(1).error().contains("attempt 3/3"),
        out.get(1).error());
    assertTrue(Files.readString(dir.resolve("runs").resolve(brokenId).resolve("FAILED.txt")).contains("injected"));
    RawTable raw = RawTable.read(RunGrid.writeRaw(dir, out));
    assertEquals(2, raw.rows().size());
    Map<String, String> ok = raw.rows().get(0);
    Map<String, String> failed = raw.rows().get(1);
    // raw.csv's run_id is metrics.csv's (the config's id); the tags are their own columns
    assertEquals(List.of(grid.get(0).config().runId(), "ok", ""), List.of(ok.get("run_id"), ok.get("status"),
        ok.get("error")));
    assertEquals(List.of(broken.config().runId(), "failed", "g4"), List.of(failed.get("run_id"), failed.get("status"),
        failed.get("group")));
    assertTrue(failed.get("error").startsWith("IllegalStateException: injected failure"), failed.toString());
  }

  @Test
  void killedGridResumesAndSkipsFinishedRuns(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("killed");
    // What a grid killed mid-run leaves: two finished runs, the third interrupted after its first epoch.
    List<FileTime> finishedTimes = new ArrayList<>();
    for (RunGrid.Spec s : grid.subList(0, 2)) {
      copyTree(localDir.resolve("runs").resolve(s.runId()), dir.resolve("runs").resolve(s.runId()));
      finishedTimes.add(Files.getLastModifiedTime(dir.resolve("runs").resolve(s.runId()).resolve("metrics.csv")));
    }
    RunGrid.Spec cut = grid.get(2);
    Path cutDir = dir.resolve("runs").resolve(cut.runId());
    try {
      new Trainer(cut.config(), cutDir).withStopHook(step -> {
        if (step == 6) throw new IllegalStateException("killed");
      }).train();
    } catch (IllegalStateException expected) {
      assertEquals("killed", expected.getMessage());
    }
    assertFalse(Files.exists(cutDir.resolve("metrics.csv")));
    assertTrue(Files.exists(cutDir.resolve(RunCheckpoint.FILE)));

    List<RunGrid.Outcome> out = new SparkEngine(sc).runAll(dir, grid, true);
    for (int i = 0; i < 2; i++) {
      String id = grid.get(i).runId();
      assertTrue(out.get(i).ok(), id + ": " + out.get(i).error());
      assertEquals(finishedTimes.get(i), Files.getLastModifiedTime(dir.resolve("runs").resolve(id).resolve("metrics.csv")),
          id + " was finished and must be skipped, not run again");
      assertEquals(local.get(i).metrics(), out.get(i).metrics(), id + ": the skipped run's row comes from its metrics.csv");
    }
    assertTrue(out.get(2).ok(), out.get(2).error());
    assertTrue(JSON.readTree(cutDir.resolve("provenance.json").toFile()).get("resumed").asBoolean());
    assertSameRun(localDir, dir, cut.runId());
  }

  private static void assertSameRun(Path expectedExp, Path actualExp, String runId) {
    Path a = expectedExp.resolve("runs").resolve(runId);
    Path b = actualExp.resolve("runs").resolve(runId);
    for (String f : LOGS) {
      assertArrayEquals(Fixtures.bytes(a.resolve(f)), Fixtures.bytes(b.resolve(f)), runId + "/" + f + " differs");
    }
    assertEquals(Fixtures.metricsWithoutWallTime(a.resolve("metrics.csv")),
        Fixtures.metricsWithoutWallTime(b.resolve("metrics.csv")), runId + "/metrics.csv differs (wall time excluded)");
  }

  private static Map<String, String> withoutWall(Map<String, String> m) {
    Map<String, String> c = new LinkedHashMap<>(m);
    assertTrue(c.remove("wall_seconds") != null, "no wall_seconds in " + m);
    return c;
  }

  private static List<Map<String, String>> rawWithoutWall(Path expDir) {
    return RawTable.read(expDir.resolve("raw.csv")).rows().stream().map(SparkEngineTest::withoutWall).toList();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
