package org.llkd.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.train.RunCheckpoint;
import org.llkd.experiments.train.Trainer;

/**
 * Sweeps that really train (tiny tier, pubmed_rct_sample, a few seconds per trial) through Arbiter's runner:
 * outputs, and resume (finished trials untouched, an interrupted one resumed from its checkpoint).
 */
class SweepRunTest {
  @TempDir Path tmp;

  private static final Path ROOT = Provenance.repoRoot();

  private static SweepRunner.Options options(Path out, boolean resume) {
    return new SweepRunner.Options(new SweepRunner.Options.Output(out, false, resume), ROOT.resolve("data"),
        ROOT.resolve("teachers"), SweepRunner.Options.Slice.ALL, null, Trainer.Launcher.LOCAL);
  }

  private Path file(String json) throws IOException {
    Path f = tmp.resolve("sweep.json");
    Files.writeString(f, json, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void randomSearchOfThreeTrialsWithTwoWorkersWritesAllOutputs() throws IOException {
    SweepSpec spec = SweepSpec.read(file("""
        {"name": "tiny_random", "dataset": "pubmed_rct_sample", "teacher": "zeroshot-bge", "tier": "tiny",
         "method": "llkd", "search": "random", "candidates": 3, "seed": 7, "seeds": [1], "workers": 2,
         "parameters": {"learningRate": {"role": "scientific", "min": 1e-5, "max": 1e-3, "scale": "log"}}}
        """));
    Path out = tmp.resolve("out");
    SweepRunner.Summary s = SweepRunner.run(spec, options(out, false));

    assertEquals(3, s.count("trained"), s.actions().toString());
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    assertEquals(3, raw.rows().size());
    assertEquals(List.of("trial_id", "trial_index", "status", "varied", "seed", "p_learningRate"),
        raw.columns().subList(0, 6));
    assertTrue(raw.columns().containsAll(List.of("dev_macro_f1", "test_macro_f1", "data_used", "error")));
    double best = Double.NEGATIVE_INFINITY;
    for (Map<String, String> r : raw.rows()) {
      assertEquals("ok", r.get("status"), r.toString());
      Path dir = out.resolve("trials").resolve(r.get("trial_id"));
      assertTrue(Files.isRegularFile(dir.resolve("provenance.json")), "trial provenance in " + dir);
      assertTrue(Files.isRegularFile(dir.resolve("trial.json")));
      assertFalse(Files.exists(dir.resolve(RunCheckpoint.FILE)), "checkpoint of a finished trial is deleted");
      double lr = Double.parseDouble(r.get("p_learningRate"));
      assertTrue(lr >= 1e-5 && lr <= 1e-3, "lr " + lr);
      best = Math.max(best, Double.parseDouble(r.get("dev_macro_f1")));
    }
    // Arbiter's best (from the scores our tasks returned) = the best row of raw.csv = best_config.json.
    assertEquals(best, s.bestScore(), 1e-12);
    JsonNode bc = new ObjectMapper().readTree(out.resolve("best_config.json").toFile());
    assertEquals(best, bc.at("/best/devMacroF1Mean").asDouble(), 1e-12);
    assertEquals(raw.rows().get(s.bestIndex()).get("trial_id"), bc.at("/best/trialIds/0").asText());
    assertEquals("pubmed_rct_sample", bc.at("/best/config/dataset").asText());
    String md = Files.readString(out.resolve("table.md"));
    assertTrue(md.contains("| 1 | " + raw.rows().get(s.bestIndex()).get("p_learningRate") + " | 1 |"), md);
    assertTrue(md.contains("- scientific: learningRate"), md);
    JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
    assertEquals(spec.origin().sha256(), prov.at("/sweepFile/sha256").asText());
    assertTrue(prov.at("/inputs/sweep").asText().endsWith("sha256:" + spec.origin().sha256()));
    assertEquals("LocalOptimizationRunner(2)", prov.at("/arbiter/runner").asText());
  }

  @Test
  void resumeTrainsOnlyUnfinishedTrialsAndResumesTheInterruptedOne() throws IOException {
    // Grid over the uncertainty measure (also exercises TrainConfig's LLKD choices end to end).
    SweepSpec spec = SweepSpec.read(file("""
        {"name": "tiny_grid", "dataset": "pubmed_rct_sample", "teacher": "zeroshot-bge", "tier": "tiny",
         "method": "llkd", "search": "grid", "seeds": [1], "workers": 1,
         "parameters": {"uncertainty": {"role": "scientific", "values": ["ENTROPY", "MARGIN", "ONE_MINUS_MAXPROB"]}}}
        """));
    Path out = tmp.resolve("out");
    // Run 1: only the first two trials; trial 1 is interrupted at step 5 (after its epoch-1 checkpoint; tiny: 4 steps/epoch).
    Trainer.Launcher interrupting = (cfg, dir, resume) -> {
      new Trainer(cfg, dir).resuming(resume).withStopHook(step -> {
        if (cfg.llkd().uncertainty().name().equals("MARGIN") && step == 5) throw new IllegalStateException("simulated kill");
      }).train();
    };
    SweepRunner.Summary first = SweepRunner.run(spec, options(out, false).withLimit(2).withTrainer(interrupting));
    assertEquals(Map.of(0, "trained", 1, "failed"), first.actions());
    RawTable raw1 = RawTable.read(out.resolve("raw.csv"));
    assertEquals(List.of("ok", "failed", "pending"), raw1.rows().stream().map(r -> r.get("status")).toList());
    assertTrue(raw1.rows().get(1).get("error").contains("simulated kill"));
    Path trial0 = out.resolve("trials").resolve(raw1.rows().get(0).get("trial_id"));
    Path trial1 = out.resolve("trials").resolve(raw1.rows().get(1).get("trial_id"));
    assertTrue(Files.exists(trial1.resolve(RunCheckpoint.FILE)), "the interrupted trial kept its checkpoint");
    FileTime metrics0 = Files.getLastModifiedTime(trial0.resolve("metrics.csv"));
    String metrics0Text = Files.readString(trial0.resolve("metrics.csv"));

    // Run 2 (--resume, all trials): count what is trained and how.
    Map<String, Boolean> calls = new ConcurrentHashMap<>();
    Trainer.Launcher counting = (cfg, dir, resume) -> {
      calls.put(cfg.llkd().uncertainty().name(), resume);
      new Trainer(cfg, dir).resuming(resume).train();
    };
    SweepRunner.Summary second = SweepRunner.run(spec, options(out, true).withTrainer(counting));
    assertEquals(Map.of("MARGIN", true, "ONE_MINUS_MAXPROB", false), calls, "trial 0 is not retrained");
    assertEquals(Map.of(0, "reused", 1, "resumed", 2, "trained"), second.actions());
    assertEquals(metrics0, Files.getLastModifiedTime(trial0.resolve("metrics.csv")));
    assertEquals(metrics0Text, Files.readString(trial0.resolve("metrics.csv")));
    RawTable raw2 = RawTable.read(out.resolve("raw.csv"));
    assertEquals(List.of("ok", "ok", "ok"), raw2.rows().stream().map(r -> r.get("status")).toList());
    assertEquals(raw1.rows().get(0).get("dev_macro_f1"), raw2.rows().get(0).get("dev_macro_f1"));
    assertFalse(Files.exists(trial1.resolve("FAILED.txt")));
    assertFalse(Files.exists(trial1.resolve(RunCheckpoint.FILE)));
    JsonNode p1 = new ObjectMapper().readTree(trial1.resolve("provenance.json").toFile());
    assertTrue(p1.get("resumed").asBoolean(), "trial 1 resumed from its checkpoint");
    List<String> u = new ArrayList<>();
    for (Map<String, String> r : raw2.rows()) u.add(r.get("p_uncertainty"));
    assertEquals(List.of("ENTROPY", "MARGIN", "ONE_MINUS_MAXPROB"), u);

    // Without --resume (or --force) a non-empty sweep directory is refused before anything trains.
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SweepRunner.run(spec, options(out, false).withTrainer(counting)));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
  }

  @Test
  void anErrorInATrialIsRecordedNotLostInArbitersLog() throws IOException {
    // Arbiter logs a task that throws through slf4j, which has no binding here: the trial must record it itself.
    SweepSpec spec = SweepSpec.read(file("""
        {"name": "tiny_error", "dataset": "pubmed_rct_sample", "teacher": "zeroshot-bge", "tier": "tiny",
         "method": "llkd", "search": "grid", "seeds": [1], "workers": 1,
         "parameters": {"classWise": {"role": "scientific", "values": [true, false]}}}
        """));
    Path out = tmp.resolve("out");
    Trainer.Launcher failing = (cfg, dir, resume) -> {
      throw new NoClassDefFoundError("org/example/Missing (simulated)");
    };
    SweepRunner.Summary s = SweepRunner.run(spec, options(out, false).withTrainer(failing));
    assertEquals(Map.of(0, "failed", 1, "failed"), s.actions());
    RawTable raw = RawTable.read(out.resolve("raw.csv"));
    for (Map<String, String> r : raw.rows()) {
      assertEquals("failed", r.get("status"));
      assertTrue(r.get("error").startsWith("NoClassDefFoundError: org/example/Missing"), r.get("error"));
      assertTrue(Files.readString(out.resolve("trials").resolve(r.get("trial_id")).resolve("FAILED.txt"))
          .contains("at org.llkd.experiments.sweep.TrialTaskCreator"), "stack trace kept");
    }
    JsonNode bc = new ObjectMapper().readTree(out.resolve("best_config.json").toFile());
    assertTrue(bc.get("best").isNull(), bc.toString());
  }
}
