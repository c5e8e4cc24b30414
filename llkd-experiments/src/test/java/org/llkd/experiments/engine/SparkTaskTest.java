package org.llkd.experiments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.selection.LlkdSelector;

/**
 * What a Spark task does with one run, without a Spark context: the run description survives Java serialisation,
 * attempts before the last throw (so Spark retries), the last returns the failure, bad input is never retried; and
 * how many attempts each master gives.
 */
class SparkTaskTest {
  private static RunDescription describe(Path exp, int maxAttempts) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("teacher", "zeroshot-bge");
    tags.put("group", "pubmed/zeroshot-bge");
    return RunDescription.of(7, exp, new RunGrid.Spec(Fixtures.tiny("llkd", 5), tags), false, maxAttempts);
  }

  @Test
  void runDescriptionSurvivesJavaSerialisation(@TempDir Path tmp) {
    TrainConfig t = Fixtures.tiny("llkd-no-student", 9);
    TrainConfig c = t.withSelector(t.selector().withMomentum(0.7))
        .withStudent(t.student().withFrozenWordEmbeddings(false))
        .withLlkd(new TrainConfig.LlkdChoices(LlkdSelector.Uncertainty.MARGIN, LlkdSelector.WeightForm.CONF, false));
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("z", "1");
    tags.put("a", "2"); // not sorted: the run id keeps the tags' order
    RunGrid.Spec spec = new RunGrid.Spec(c, tags);
    RunDescription d = RunDescription.of(3, tmp, spec, true, 4);
    RunDescription back = SparkTask.read(SparkTask.write(d), RunDescription.class);
    assertNotSame(d, back);
    assertEquals(c, back.spec().config());
    assertEquals(spec.runId(), back.spec().runId());
    assertEquals(List.of("z", "a"), List.copyOf(back.spec().tags().keySet()));
    assertEquals(tmp.toAbsolutePath().normalize(), back.expPath());
    assertTrue(back.resume());
    assertEquals(4, back.maxAttempts());
  }

  @Test
  void attemptsBeforeTheLastThrowAndTheLastReturnsTheFailure(@TempDir Path tmp) throws Exception {
    RunDescription d = describe(tmp, 3);
    RunBody failing = (expDir, spec, resume) -> new RunGrid.Outcome(spec, Map.of(), "IllegalStateException: boom");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SparkTask.execute(d, failing, 0, "t"));
    assertTrue(e.getMessage().contains("attempt 1/3") && e.getMessage().contains("boom"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> SparkTask.execute(d, failing, 1, "t"));
    RunResult last = SparkTask.execute(d, failing, 2, "t");
    assertFalse(last.ok());
    assertFalse(last.badInput());
    assertEquals(3, last.attempt());
    assertEquals(7, last.index());
    assertEquals("IllegalStateException: boom (attempt 3/3)", last.error());

    RunBody throwing = (expDir, spec, resume) -> { throw new ArithmeticException("nan loss"); };
    assertThrows(ArithmeticException.class, () -> SparkTask.execute(d, throwing, 0, "t"));
    RunResult thrownLast = SparkTask.execute(d, throwing, 2, "t");
    assertEquals("ArithmeticException: nan loss (attempt 3/3)", thrownLast.error());
    assertTrue(Files.readString(d.runDir().resolve("FAILED.txt")).contains("nan loss"));
  }

  @Test
  void retriesResumeAndBadInputIsNotRetried(@TempDir Path tmp) {
    RunDescription d = describe(tmp, 3);
    boolean[] resumed = new boolean[2];
    RunBody record = (expDir, spec, resume) -> {
      resumed[resume ? 1 : 0] = true;
      return new RunGrid.Outcome(spec, Map.of("run_id", spec.runId()), null);
    };
    assertTrue(SparkTask.execute(d, record, 0, "t").ok());
    assertTrue(resumed[0] && !resumed[1], "a first attempt of a fresh grid does not resume");
    assertTrue(SparkTask.execute(d, record, 1, "t").ok());
    assertTrue(resumed[1], "a retry resumes the failed attempt's checkpoint");

    RunBody bad = (expDir, spec, resume) -> { throw new IllegalArgumentException("teacher.jsonl line 3: bad"); };
    RunResult r = SparkTask.execute(d, bad, 0, "t");
    assertTrue(r.badInput());
    assertEquals("IllegalArgumentException: teacher.jsonl line 3: bad", r.error());
  }

  @Test
  void attemptsPerMaster() {
    SparkConf conf = new SparkConf(false);
    assertEquals(3, SparkEngine.maxAttempts("local[2,3]", conf));
    assertEquals(4, SparkEngine.maxAttempts("local[*, 4]", conf));
    assertEquals(1, SparkEngine.maxAttempts("local[2]", conf));
    assertEquals(1, SparkEngine.maxAttempts("local[*]", conf));
    assertEquals(1, SparkEngine.maxAttempts("local", conf));
    assertEquals(4, SparkEngine.maxAttempts("spark://head:7077", conf));
    assertEquals(2, SparkEngine.maxAttempts("yarn", new SparkConf(false).set("spark.task.maxFailures", "2")));
  }

  @Test
  void configThatCannotBeRebuiltFailsWithBothSides() {
    TrainConfigDto dto = TrainConfigDto.of(Fixtures.tiny("llkd", 1));
    List<String> names = new java.util.ArrayList<>(dto.names());
    names.set(0, "datasetName");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new TrainConfigDto(names, dto.values()).toConfig());
    assertTrue(e.getMessage().contains("datasetName") && e.getMessage().contains("same llkd-experiments jar"),
        e.getMessage());
  }

  @Test
  void aConfigThatEvaluatesTheTrainRowsTravels() {
    TrainConfig c = Fixtures.tiny("llkd", 1);
    TrainConfig on = c.withSchedule(c.schedule().withTrainRowsEvaluated(true));
    assertEquals(on, TrainConfigDto.of(on).toConfig());
    assertEquals(c, TrainConfigDto.of(c).toConfig());
    assertTrue(on.flat().containsKey("evaluateTrainRows") && !c.flat().containsKey("evaluateTrainRows"),
        "the key is written only when on, so older runs' keys are unchanged: " + c.flat().keySet());
    assertEquals(on, TrainConfig.fromFlat(on.flat()));
  }
}
