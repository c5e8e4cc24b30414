package org.llkd.experiments.reliability;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.testsupport.ChildJvm;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.models.encoder.Pooling;

/**
 * Memory of training (docs/memory.md). The default suite checks the up-front limit: {@link TrainConfig}
 * refuses more than {@link TrainConfig#MAX_TOKENS_PER_BATCH} tokens per training batch (twice that per
 * evaluation batch) and every shipped tier stays within it. The {@code slow} test runs the largest step
 * the tiers take (FULL: 6 layers, 128 tokens, batch 32, eval batch 64) in a child JVM under
 * {@code -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=3G}: it must pass, keep its heap under 2 GiB and its peak
 * RSS under {@link #MAX_RSS_KB} (about 10 minutes on a loaded 2-core machine).
 */
class TrainingMemoryTest {
  /**
   * Peak RSS (VmHWM) allowed for the FULL-tier step under -Xmx2g: measured 8.7 GiB (docs/memory.md), most of it
   * ND4J native buffers awaiting collection, which {@code javacpp.maxbytes} does not cap; 12 GiB leaves a margin
   * and still fails a leak that grows with steps. Lower it when native memory gets bounded.
   */
  static final long MAX_RSS_KB = 12L * 1024 * 1024;

  private static TrainConfig withBatch(int batch, int maxLength, int evalBatch) {
    TrainConfig.Schedule s = TrainConfig.Schedule.FULL.withBatchSize(batch);
    return new TrainConfig(new TrainConfig.Data(Fixtures.DATASET, Path.of("data"), Path.of("t.jsonl"), 0, 0),
        new TrainConfig.Student(6, maxLength, Pooling.MEAN, 0.1, false, false),
        new TrainConfig.Schedule(s.epochs(), s.batchSize(), evalBatch, s.learningRate(), s.warmupFraction(),
            s.weightDecay(), s.maxGradNorm()),
        TrainConfig.Selector.defaults("llkd"), TrainConfig.LlkdChoices.DEFAULT, 1);
  }

  @Test
  void trainConfigRejectsTokensPerBatchBeyondItsLimit() {
    long max = TrainConfig.MAX_TOKENS_PER_BATCH;
    assertEquals(64L * 512, max, "docs/memory.md and the README state this limit; update them with it");
    assertDoesNotThrow(() -> withBatch(64, 512, 64));   // exactly the limit
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withBatch(65, 512, 64));
    assertTrue(e.getMessage().contains("batchSize x maxLength = 33280") && e.getMessage().contains("<= " + max),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> withBatch(512, 128, 64));
    assertDoesNotThrow(() -> withBatch(32, 512, 128));  // eval batch 128 x 512 = 2 x limit
    e = assertThrows(IllegalArgumentException.class, () -> withBatch(32, 512, 129));
    assertTrue(e.getMessage().contains("evalBatchSize x maxLength = 66048"), e.getMessage());
    for (TrainConfig tier : List.of(TrainConfig.tiny("d", Path.of("data"), Path.of("t"), "llkd", 1),
        TrainConfig.quick("d", Path.of("data"), Path.of("t"), "llkd", 1),
        TrainConfig.full("d", Path.of("data"), Path.of("t"), "llkd", 1))) {
      assertTrue((long) tier.schedule().batchSize() * tier.student().maxLength() <= max, "tier over the limit: " + tier);
    }
  }

  /**
   * The child's {@code full-step} config is the FULL tier's student, selector and per-step schedule (lazy word
   * embeddings included: an older positional constructor reset them to dense AdamW), on fewer rows for one epoch.
   */
  @Test
  void fullStepChildRunsTheFullTiersStep() {
    Path data = Path.of("data");
    Path teacher = Path.of("t.jsonl");
    TrainConfig full = TrainConfig.full("d", data, teacher, "llkd", 1);
    TrainConfig step = TrainChild.config("full-step", data, teacher, "d", 1);
    assertTrue(step.student().lazyWordEmbeddings(), "FULL trains its word embeddings lazily");
    assertEquals(full.student(), step.student());
    assertEquals(full.selector(), step.selector());
    assertEquals(full.llkd(), step.llkd());
    assertEquals(full.schedule().withEpochs(1), step.schedule());
    assertEquals(full.data().withTrainRows(256).withEvalRows(128), step.data());
  }

  @Test
  @Tag("slow")
  void fullTierStepRunsWithinTheReadmeLimits(@TempDir Path dir) throws Exception {
    String dataset = "ag_news"; // the largest shipped dataset with a teacher file that the FULL tier would read
    Path stats = dir.resolve("stats.txt");
    Path log = dir.resolve("child.log");
    Process p = ChildJvm.start(TrainChild.class, List.of("-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=3G"),
        List.of("full-step", dataset, "zeroshot-bge", "1", dir.resolve("run").toString(), "false", stats.toString()),
        log);
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), "full-tier step did not finish in 20 minutes");
    assertEquals(0, p.exitValue(), "run failed under -Xmx2g / maxbytes=3G:\n" + Files.readString(log));
    Map<String, String> s = new HashMap<>();
    for (String line : Files.readAllLines(stats, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      s.put(line.substring(0, eq), line.substring(eq + 1));
    }
    System.out.println("full-tier step memory: " + s);
    assertEquals(8, Integer.parseInt(s.get("steps")), "256 rows / batch 32, one epoch");
    long hwm = Long.parseLong(s.get("vm_hwm_kb"));
    assertTrue(hwm > 0 && hwm < MAX_RSS_KB, "peak RSS " + hwm + " kB, bound " + MAX_RSS_KB + " kB");
    assertTrue(Long.parseLong(s.get("peak_heap_used_bytes")) < 2L << 30, "heap over -Xmx: " + s);
    assertTrue(Files.isRegularFile(dir.resolve("run").resolve("metrics.csv")), "no metrics.csv");
  }

  /**
   * A run over its resident-memory limit ({@code -Dllkd.maxResidentBytes}, far below what a JVM with ND4J needs)
   * stops before its first step with the guard's message and a non-zero exit, instead of growing until the
   * kernel's OOM killer ends it; it writes no results.
   */
  @Test
  void aRunOverItsResidentLimitStopsCleanly(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("child.log");
    Process p = ChildJvm.start(TrainChild.class, List.of("-Xmx1g", "-Dllkd.maxResidentBytes=100M"),
        List.of("interrupt", Fixtures.DATASET, "zeroshot-bge", "1", dir.resolve("run").toString(), "false"), log);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child did not stop");
    String out = Files.readString(log);
    assertTrue(p.exitValue() != 0, "exit 0 over the limit:\n" + out);
    assertTrue(out.contains("step 0: resident memory") && out.contains("exceeds the limit 0.10 GiB")
        && out.contains("LLKD_MAX_RSS"), out);
    assertFalse(out.contains("hs_err") || out.contains("SIGSEGV"), out);
    assertFalse(Files.exists(dir.resolve("run").resolve("metrics.csv")));
  }
}
