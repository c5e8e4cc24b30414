package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.engine.EngineOptions;
import org.llkd.experiments.engine.RunGrid;
import org.llkd.experiments.testsupport.ChildJvm;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.RunCheckpoint;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.models.classifier.TextClassifier;

/**
 * --keep-models: a finished run leaves {@code <run>/model}, and the loaded TextClassifier reproduces the run's own dev
 * predictions (dev_predictions.csv); without the flag nothing but the metrics stays (checkpoint deleted, no model).
 */
class KeepModelsTest {
  @TempDir Path tmp;

  @Test void keptModelReproducesTheRunsDevPredictions() throws Exception {
    TrainConfig cfg = Fixtures.tiny("llkd", 7);
    RunGrid.Spec spec = new RunGrid.Spec(cfg, new LinkedHashMap<>());
    RunGrid.Outcome o = RunGrid.run(tmp, spec, false, true);
    assertTrue(o.ok(), o.error());
    Path runDir = tmp.resolve("runs").resolve(spec.runId());
    assertFalse(Files.exists(runDir.resolve(RunCheckpoint.FILE)), "the checkpoint is still deleted");
    assertReproducesDevPredictions(cfg, runDir);
  }

  /** {@code llkd run ... --resume --keep-models} after a run without the flag: the finished run gets its model too. */
  @Test void cliResumeWithKeepModelsKeepsModelsOfRunsThatHadFinished() throws Exception {
    Path out = tmp.resolve("main");
    List<String> args = new ArrayList<>(List.of("run", "MainResultsTable", "--tiny", "--seeds", "1", "--dataset",
        Fixtures.DATASET, "--data-root", Fixtures.dataRoot().toString(), "--teachers-root",
        Fixtures.teachersRoot().toString(), "--out", out.toString(), "--methods", "llkd"));
    ProductFixtures.Run first = ProductFixtures.cli(args.toArray(String[]::new));
    assertEquals(0, first.exit(), first.err());
    Path runDir = out.resolve("runs").resolve(Fixtures.DATASET + "-llkd-s1");
    assertTrue(Files.isRegularFile(runDir.resolve("metrics.csv")), "the run finished");
    assertFalse(Files.exists(runDir.resolve("model")), "no --keep-models, no model");
    byte[] metricsBefore = Files.readAllBytes(runDir.resolve("metrics.csv"));

    args.addAll(List.of("--resume", "--keep-models"));
    ProductFixtures.Run again = ProductFixtures.cli(args.toArray(String[]::new));
    assertEquals(0, again.exit(), again.err());
    assertReproducesDevPredictions(Fixtures.tiny("llkd", 1), runDir);
    assertTrue(java.util.Arrays.equals(metricsBefore, Files.readAllBytes(runDir.resolve("metrics.csv"))),
        "the finished run's metrics are untouched");
    assertFalse(Files.exists(runDir.resolve(".retrain")), "the retraining directory is gone");
  }

  /**
   * {@code llkd run ... --keep-models} killed (SIGKILL) mid-run after a checkpoint, then the same command with
   * {@code --resume}: the run continues from its checkpoint and its model is kept, the resumed run's own (it reproduces
   * the dev predictions the resumed run wrote).
   */
  @Test void killedRunResumedWithKeepModelsKeepsTheResumedRunsModel() throws Exception {
    Path out = tmp.resolve("killed");
    List<String> args = new ArrayList<>(List.of("run", "MainResultsTable", "--tiny", "--seeds", "1", "--dataset",
        Fixtures.DATASET, "--data-root", Fixtures.dataRoot().toString(), "--teachers-root",
        Fixtures.teachersRoot().toString(), "--out", out.toString(), "--methods", "llkd", "--epochs", "8",
        "--keep-models")); // tiny: 64 rows, batch 16: 4 steps an epoch, a checkpoint after each
    Path log = tmp.resolve("child.log");
    Process child = ChildJvm.start(TrainControlsTest.Child.class, List.of("-Xmx1g"), args, log);
    Path runDir = null;
    int rowsAtKill = -1;
    try {
      long deadline = System.currentTimeMillis() + 240_000;
      while (System.currentTimeMillis() < deadline && rowsAtKill < 0) {
        if (!child.isAlive()) fail("child exited (" + child.exitValue() + ") before the kill:\n" + Files.readString(log));
        if (Files.isDirectory(out.resolve("runs"))) {
          try (var s = Files.list(out.resolve("runs"))) {
            runDir = s.filter(Files::isDirectory).findFirst().orElse(null);
          }
        }
        if (runDir != null && Files.isRegularFile(runDir.resolve(RunCheckpoint.FILE))
            && Files.isRegularFile(runDir.resolve("steps.csv")) && Fixtures.dataRows(runDir.resolve("steps.csv")) > 5) {
          child.destroyForcibly(); // SIGKILL
          rowsAtKill = Fixtures.dataRows(runDir.resolve("steps.csv"));
        }
        Thread.sleep(20);
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die");
    } finally {
      if (child.isAlive()) child.destroyForcibly();
    }
    assertTrue(rowsAtKill > 4 && rowsAtKill < 32, "killed mid-run after a checkpoint, at step rows " + rowsAtKill + ":\n"
        + Files.readString(log));
    assertFalse(Files.exists(runDir.resolve("metrics.csv")), "the run had not finished");
    assertFalse(Files.exists(runDir.resolve("model")), "no model before the run finishes");

    args.add("--resume");
    ProductFixtures.Run again = ProductFixtures.cli(args.toArray(String[]::new));
    assertEquals(0, again.exit(), again.err());
    assertTrue(Files.readString(runDir.resolve("run.log")).contains("resumed after epoch"), "continued from the checkpoint");
    assertEquals(32, Fixtures.dataRows(runDir.resolve("steps.csv")), "8 epochs of 4 steps, once each");
    assertFalse(Files.exists(runDir.resolve(RunCheckpoint.FILE)), "the checkpoint is deleted once the model is kept");
    assertReproducesDevPredictions(Fixtures.tiny("llkd", 1), runDir);
  }

  /** {@code llkd sweep FILE --resume --keep-models}: a reused (finished) trial gets its model too. */
  @Test void sweepResumeWithKeepModelsKeepsModelsOfReusedTrials() throws Exception {
    Path file = Files.writeString(tmp.resolve("sweep.json"), """
        {"name": "keep_tiny", "dataset": "pubmed_rct_sample", "teacher": "zeroshot-bge", "tier": "tiny",
         "method": "llkd", "search": "random", "candidates": 1, "seed": 7, "seeds": [1], "workers": 1,
         "parameters": {"learningRate": {"role": "scientific", "min": 1e-4, "max": 1e-3, "scale": "log"}}}
        """);
    Path out = tmp.resolve("sweep");
    List<String> args = new ArrayList<>(List.of("sweep", file.toString(), "--out", out.toString(), "--data-root",
        Fixtures.dataRoot().toString(), "--teachers-root", Fixtures.teachersRoot().toString()));
    ProductFixtures.Run first = ProductFixtures.cli(args.toArray(String[]::new));
    assertEquals(0, first.exit(), first.err());
    List<Path> trials;
    try (var s = Files.list(out.resolve("trials"))) {
      trials = s.filter(Files::isDirectory).toList();
    }
    assertEquals(1, trials.size(), trials.toString());
    Path trial = trials.get(0);
    assertFalse(Files.exists(trial.resolve("model")));

    args.addAll(List.of("--resume", "--keep-models"));
    ProductFixtures.Run again = ProductFixtures.cli(args.toArray(String[]::new));
    assertEquals(0, again.exit(), again.err());
    assertTrue(Files.isRegularFile(trial.resolve("model").resolve("model.json")), "the reused trial's model is kept");
    assertReproducesDevPredictions(Fixtures.tiny("llkd", 1), trial); // the trial's own model, not just any model
  }

  private static void assertReproducesDevPredictions(TrainConfig cfg, Path runDir) throws Exception {
    Path model = runDir.resolve("model");
    assertTrue(Files.isRegularFile(model.resolve("model.json")), "model directory kept");

    List<String> csv = Files.readAllLines(runDir.resolve("dev_predictions.csv"));
    TextDataset dev = DatasetCatalog.load(cfg.data().dataRoot(), cfg.dataset(), Split.DEV);
    List<String> texts = new ArrayList<>();
    for (int i = 1; i < csv.size(); i++) texts.add(dev.get(dev.indexOf(csv.get(i).split(",")[0])).text());
    try (TextClassifier clf = TextClassifier.load(model)) {
      assertEquals(dev.labels().names(), clf.labels());
      assertEquals(cfg.student().maxLength(), clf.maxLength());
      double[][] p = clf.probabilities(texts);
      for (int i = 0; i < texts.size(); i++) {
        String[] f = csv.get(i + 1).split(",");
        int pred = Integer.parseInt(f[2]);
        int best = 0;
        for (int k = 1; k < p[i].length; k++) if (p[i][k] > p[i][best]) best = k;
        assertEquals(pred, best, "row " + i);
        assertEquals(Double.parseDouble(f[3]), p[i][pred], 2e-6, "row " + i); // the csv keeps 6 decimals
      }
      assertTrue(clf.bundle().provenance().containsKey("config"), "the run's provenance travels with the model");
    }
  }

  @Test void defaultKeepsNoModel() {
    RunGrid.Spec spec = new RunGrid.Spec(Fixtures.tiny("random", 8), new LinkedHashMap<>());
    RunGrid.Outcome o = RunGrid.run(tmp, spec, false);
    assertTrue(o.ok(), o.error());
    assertFalse(Files.exists(tmp.resolve("runs").resolve(spec.runId()).resolve("model")));
  }

  @Test void sparkEngineRefusesKeepModels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EngineOptions(EngineOptions.Kind.SPARK, null).withKeepModels(true));
    assertTrue(e.getMessage().contains("--keep-models works with --engine local only"), e.getMessage());
  }
}
