package org.llkd.experiments.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.ChildJvm;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.reliability.TrainChild;

/**
 * Same {@link TrainConfig} and seed twice, on CPU: byte-identical {@code steps.csv}, {@code epochs.csv} and
 * {@code dev_predictions.csv}, and the same final metrics except wall time; in one JVM at surefire's one thread, and
 * in two child JVMs at the launcher's thread count with the QUICK tier's configuration (lazy word-embedding rows).
 */
class TrainerDeterminismTest {
  /**
   * What {@code ./llkd run} does on the 2-core machines: each run in its own JVM at {@link ChildJvm#LAUNCHER_THREADS}
   * OpenMP/OpenBLAS threads, the QUICK tier's configuration (trained word embeddings with the lazy row update, SHARED
   * selection forward) on 128 rows for 3 epochs. Before the embedding backward's scatter-add ran in index order
   * ({@code org.llkd.models.encoder.Embeddings}), this test failed: the two steps.csv differed (8636 vs 8579 bytes).
   */
  @Test
  void quickTierAtTheLaunchersThreadCountIsByteIdenticalAcrossProcesses(@TempDir Path dir) throws Exception {
    TrainConfig cfg = TrainChild.config("quick-small", Fixtures.dataRoot(), Fixtures.teacher("zeroshot-bge"),
        Fixtures.DATASET, 5);
    assertTrue(cfg.student().lazyWordEmbeddings() && !cfg.student().freezeWordEmbeddings(), "not the tiers' embedding update: " + cfg);
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    TrainChild.runToEnd("quick-small", 5, a, false, ChildJvm.LAUNCHER_THREADS, 240);
    TrainChild.runToEnd("quick-small", 5, b, false, ChildJvm.LAUNCHER_THREADS, 240);

    List<String> stepRows = Fixtures.lines(a.resolve("steps.csv"));
    assertEquals(12 + 1, stepRows.size(), "128 rows / batch 32 x 3 epochs, plus the header");
    long trained = stepRows.stream().skip(1)
        .filter(r -> !r.split(",", -1)[Trainer.STEP_COLUMNS.indexOf("grad_norm")].isEmpty()).count();
    assertTrue(trained >= 6, "only " + trained + " of 12 steps updated the model: nothing to compare");
    for (String f : List.of("steps.csv", "epochs.csv", "dev_predictions.csv")) {
      assertArrayEquals(Fixtures.bytes(a.resolve(f)), Fixtures.bytes(b.resolve(f)),
          f + " differs between two processes with the same config and seed at " + ChildJvm.LAUNCHER_THREADS
              + " threads");
    }
    assertEquals(Fixtures.metricsWithoutWallTime(a.resolve("metrics.csv")),
        Fixtures.metricsWithoutWallTime(b.resolve("metrics.csv")), "metrics.csv differs (wall_seconds excluded)");
  }

  @Test
  void sameConfigAndSeedGiveIdenticalLogsAndMetrics(@TempDir Path dir) {
    TrainConfig cfg = Fixtures.tiny("llkd", 7);
    Trainer.Result a = new Trainer(cfg, dir.resolve("a")).train();
    Trainer.Result b = new Trainer(cfg, dir.resolve("b")).train();

    int steps = a.metrics().run().steps();
    assertEquals(8, steps, "tiny: 64 rows / batch 16 x 2 epochs");
    List<String> stepRows = Fixtures.lines(a.runDir().resolve("steps.csv"));
    assertEquals(String.join(",", Trainer.STEP_COLUMNS), stepRows.get(0));
    assertEquals(steps, stepRows.size() - 1, "one steps.csv row per step");
    // The comparison below is only worth something if the logs hold real numbers.
    for (String row : stepRows.subList(1, stepRows.size())) {
      String[] v = row.split(",", -1);
      assertFalse(v[Trainer.STEP_COLUMNS.indexOf("tau_t")].isEmpty(), "LLKD logs tau_t every step: " + row);
      if (v[Trainer.STEP_COLUMNS.indexOf("empty")].equals("0")) {
        assertFalse(v[Trainer.STEP_COLUMNS.indexOf("loss")].isEmpty(), "a non-empty step has a loss: " + row);
      }
    }
    assertEquals(cfg.schedule().epochs(), Fixtures.dataRows(a.runDir().resolve("epochs.csv")));

    for (String f : List.of("steps.csv", "epochs.csv", "dev_predictions.csv")) {
      assertArrayEquals(Fixtures.bytes(a.runDir().resolve(f)), Fixtures.bytes(b.runDir().resolve(f)),
          f + " differs between two runs with the same config and seed");
    }
    Map<String, String> ma = Fixtures.metricsWithoutWallTime(a.runDir().resolve("metrics.csv"));
    Map<String, String> mb = Fixtures.metricsWithoutWallTime(b.runDir().resolve("metrics.csv"));
    assertEquals(ma, mb, "metrics.csv differs (wall_seconds excluded)");
    assertEquals(a.test().accuracy(), b.test().accuracy());
    assertEquals(a.dev().macroF1(), b.dev().macroF1());
    assertTrue(Double.parseDouble(ma.get("data_used")) > 0, "LLKD used no data at all: " + ma);
    // run.log: the run's own INFO and DEBUG lines (docs/logging.md)
    String log = String.join("\n", Fixtures.lines(a.runDir().resolve(org.llkd.experiments.log.RunLog.FILE)));
    assertTrue(log.contains("INFO ") && log.contains(cfg.runId() + ": training llkd"), log);
    assertTrue(log.contains("DEBUG") && log.contains(cfg.runId() + ": epoch 2 dev accuracy"), log);
  }

  /**
   * SHARED selection forward: deterministic too, trains (loss logged, parameters move, data used), and selects from
   * other (dropout) predictions than SEPARATE, so its step log differs from SEPARATE's with the same seed.
   */
  @Test
  void sharedSelectionForwardIsDeterministicAndDiffersFromSeparate(@TempDir Path dir) {
    TrainConfig sep = Fixtures.tiny("llkd", 7);
    TrainConfig shared = sep.withSelector(sep.selector().withSelectionForward(org.llkd.models.train.SelectionForward.SHARED));
    Trainer.Result a = new Trainer(shared, dir.resolve("a")).train();
    Trainer.Result b = new Trainer(shared, dir.resolve("b")).train();
    Trainer.Result s = new Trainer(sep, dir.resolve("s")).train();
    for (String f : List.of("steps.csv", "epochs.csv", "dev_predictions.csv")) {
      assertArrayEquals(Fixtures.bytes(a.runDir().resolve(f)), Fixtures.bytes(b.runDir().resolve(f)), f);
    }
    assertFalse(java.util.Arrays.equals(Fixtures.bytes(a.runDir().resolve("steps.csv")),
        Fixtures.bytes(s.runDir().resolve("steps.csv"))), "SHARED and SEPARATE logged identical steps");
    Map<String, String> m = Fixtures.metricsWithoutWallTime(a.runDir().resolve("metrics.csv"));
    assertTrue(Double.parseDouble(m.get("data_used")) > 0, "SHARED LLKD used no data: " + m);
    long trained = Fixtures.lines(a.runDir().resolve("steps.csv")).stream().skip(1)
        .filter(r -> !r.split(",", -1)[Trainer.STEP_COLUMNS.indexOf("loss")].isEmpty()).count();
    assertTrue(trained > 0, "no SHARED step trained");
  }
}
