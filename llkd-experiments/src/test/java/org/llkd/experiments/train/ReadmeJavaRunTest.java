package org.llkd.experiments.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.Fixtures;

/**
 * The README's "One run from Java" snippet, as written there but at the TINY tier: one group changed with its
 * wither, the rest as the tier has it; {@code train()} returns the metrics it also wrote.
 */
class ReadmeJavaRunTest {
  @TempDir Path dir;

  @Test
  void theReadmeSnippetRunsAndReportsWhatItWrote() {
    TrainConfig cfg = TrainConfig.tiny(Fixtures.DATASET, Fixtures.dataRoot(), Fixtures.teacher("zeroshot-bge"), "llkd", 1L);
    cfg = cfg.withSchedule(cfg.schedule().withLearningRate(5e-5)); // one group changed, the rest as the tier has it
    assertEquals(5e-5, cfg.schedule().learningRate());
    assertEquals(TrainConfig.Schedule.TINY.batchSize(), cfg.schedule().batchSize(), "the other schedule values kept");
    assertEquals(TrainConfig.Student.TINY, cfg.student(), "the other groups kept");
    Trainer.Result r = new Trainer(cfg, dir.resolve("run")).resuming(true).train();
    assertEquals(r.test().macroF1(), r.metrics().scores().testMacroF1(), 0.0);
    assertTrue(Files.isRegularFile(dir.resolve("run").resolve("metrics.csv")));
    assertEquals(Double.parseDouble(Fixtures.metricsRow(dir.resolve("run").resolve("metrics.csv")).get("test_macro_f1")),
        r.metrics().scores().testMacroF1(), 1e-9, "train() returns what metrics.csv says");
  }
}
