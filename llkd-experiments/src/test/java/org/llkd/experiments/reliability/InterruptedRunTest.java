package org.llkd.experiments.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.ChildJvm;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.RunCheckpoint;
import org.llkd.experiments.train.TrainConfig;

/**
 * The resume guarantee end to end, as users run it: a run of the QUICK tier's configuration (lazy word-embedding
 * rows, trained embeddings, SHARED selection forward; {@code quick-small}: 128 rows, 3 epochs of 4 steps) in a
 * child JVM at the launcher's thread count ({@link ChildJvm#LAUNCHER_THREADS}) is killed with SIGKILL in its second
 * epoch (once the first epoch's checkpoint, written in the background, has landed), resumed in another child at that thread count, and must then have
 * written exactly what an unbroken run (a third child, same threads) writes: byte-identical {@code steps.csv},
 * {@code epochs.csv} and {@code dev_predictions.csv}, and the same metrics except wall time.
 */
class InterruptedRunTest {
  private static final long SEED = 3;
  private static final String CONFIG = "quick-small";
  private static final long TIMEOUT_MS = 240_000;

  @Test
  void killedMidEpochThenResumedEqualsUnbrokenRun(@TempDir Path dir) throws Exception {
    Path teacher = Fixtures.teacher("zeroshot-bge");
    TrainConfig cfg = TrainChild.config(CONFIG, Fixtures.dataRoot(), teacher, Fixtures.DATASET, SEED);
    assertTrue(cfg.student().lazyWordEmbeddings() && !cfg.student().freezeWordEmbeddings(), "not the tiers' embedding update: " + cfg);
    int stepsPerEpoch = (cfg.data().trainRows() + cfg.schedule().batchSize() - 1) / cfg.schedule().batchSize();
    int totalSteps = stepsPerEpoch * cfg.schedule().epochs();

    Path cut = dir.resolve("interrupted");
    Path log = dir.resolve("child.log");
    Process child = ChildJvm.start(TrainChild.class, List.of("-Xmx1g"), List.of(CONFIG, Fixtures.DATASET,
        "zeroshot-bge", Long.toString(SEED), cut.toString(), "false"), log, ChildJvm.LAUNCHER_THREADS);
    int rowsAtKill = -1;
    try {
      long deadline = System.currentTimeMillis() + TIMEOUT_MS;
      Path steps = cut.resolve("steps.csv");
      while (System.currentTimeMillis() < deadline) {
        if (!child.isAlive()) {
          fail("child exited (" + child.exitValue() + ") before it could be killed:\n" + Files.readString(log));
        }
        // the checkpoint is written in the background (CheckpointWriter): kill once it has landed (atomic rename)
        if (Files.isRegularFile(steps) && Fixtures.dataRows(steps) > stepsPerEpoch
            && Files.isRegularFile(cut.resolve(RunCheckpoint.FILE))) {
          child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
          rowsAtKill = Fixtures.dataRows(steps);
          break;
        }
        Thread.sleep(20);
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die after SIGKILL");
    } finally {
      if (child.isAlive()) child.destroyForcibly();
    }
    assertTrue(rowsAtKill > stepsPerEpoch, "never saw the second epoch start with a checkpoint within " + TIMEOUT_MS + " ms:\n"
        + Files.readString(log));
    assertEquals(137, child.exitValue(), "child should have died of SIGKILL (exit 137)");
    // The kill really interrupted the run: mid-run, after the first checkpoint, before the end.
    assertFalse(Files.exists(cut.resolve("metrics.csv")), "run finished before the kill; make it longer");
    assertTrue(Files.isRegularFile(cut.resolve(RunCheckpoint.FILE)), "no checkpoint after the first epoch");
    assertTrue(Fixtures.dataRows(cut.resolve("steps.csv")) < totalSteps, "all steps logged before the kill");

    Path unbroken = dir.resolve("unbroken");
    TrainChild.runToEnd(CONFIG, SEED, cut, true, ChildJvm.LAUNCHER_THREADS, TIMEOUT_MS / 1000);
    TrainChild.runToEnd(CONFIG, SEED, unbroken, false, ChildJvm.LAUNCHER_THREADS, TIMEOUT_MS / 1000);

    assertEquals(totalSteps, Fixtures.dataRows(unbroken.resolve("steps.csv")));
    for (String f : List.of("steps.csv", "epochs.csv", "dev_predictions.csv")) {
      assertArrayEquals(Fixtures.bytes(unbroken.resolve(f)), Fixtures.bytes(cut.resolve(f)),
          f + " of the killed-and-resumed run differs from the unbroken run (killed after " + rowsAtKill + " of "
              + totalSteps + " steps, " + ChildJvm.LAUNCHER_THREADS + " threads)");
    }
    assertEquals(Fixtures.metricsWithoutWallTime(unbroken.resolve("metrics.csv")),
        Fixtures.metricsWithoutWallTime(cut.resolve("metrics.csv")), "final metrics differ (wall time excluded)");
  }
}
