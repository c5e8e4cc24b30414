package org.llkd.experiments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.Fixtures;

/** The sweep-trial task body without a Spark context: bad input is returned, not retried; a retry trains. */
class SparkTrialTaskTest {
  @Test
  void anUnusableTrialDirectoryIsBadInputAndNotRetried(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    SparkTrialTask.Trial t = new SparkTrialTask.Trial(TrainConfigDto.of(Fixtures.tiny("llkd", 1)),
        file.resolve("trial").toString(), false, 3);
    RunResult r = SparkTrialTask.execute(t, 0, "test"); // first of three attempts: returned, not thrown
    assertFalse(r.ok());
    assertTrue(r.badInput(), r.toString());
    assertEquals(1, r.attempt());
    assertTrue(r.error().contains("not-a-dir"), r.error());
  }

  @Test
  void aRetriedAttemptTrainsTheTrialIntoItsDirectory(@TempDir Path tmp) {
    Path dir = tmp.resolve("trial-1");
    SparkTrialTask.Trial t = new SparkTrialTask.Trial(TrainConfigDto.of(Fixtures.tiny("llkd", 1)), dir.toString(),
        false, 2);
    RunResult r = SparkTrialTask.execute(t, 1, "test"); // attempt 2 resumes (nothing to resume: trains from scratch)
    assertTrue(r.ok(), r.toString());
    assertEquals("trial-1", r.runId());
    assertEquals(2, r.attempt());
    assertTrue(Files.isRegularFile(dir.resolve("metrics.csv")));
  }
}
