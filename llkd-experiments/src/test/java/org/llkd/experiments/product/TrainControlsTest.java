package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.cli.LlkdCli;
import org.llkd.experiments.product.ProductFixtures.Run;
import org.llkd.experiments.testsupport.ChildJvm;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.RunCheckpoint;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.selection.teacher.TeacherOutputWriter;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * What a run costs, and getting it back after a kill: --max-steps, --max-train-rows, the small-file step floor, and
 * {@code llkd train --resume} after a SIGKILL mid-epoch giving exactly the unbroken run's model and metrics.
 */
class TrainControlsTest {
  private static final List<String> LABELS = List.of("billing", "outage", "praise");
  private static final String[][] WORDS = {
      {"invoice", "refund", "charged twice", "payment", "receipt"},
      {"down", "cannot log in", "error 500", "crashed", "offline"},
      {"thank you", "wonderful", "great support", "merci", "love it"}};
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static String text(int cls, int i) {
    return "Ticket " + i + ": " + WORDS[cls][i % 5] + " and " + WORDS[cls][(i + 2) % 5];
  }

  /** train.tsv with n rows (gold on every 4th), teacher.jsonl (ids train-<row>, wrong on every 7th), dev.tsv, test.tsv. */
  private Path[] files(int n) throws IOException {
    StringBuilder sb = new StringBuilder("text\tlabel\n");
    List<String> ids = new ArrayList<>();
    double[][] p = new double[n][3];
    for (int i = 0; i < n; i++) {
      sb.append(text(i % 3, i)).append('\t').append(i % 4 == 0 ? LABELS.get(i % 3) : "").append('\n');
      ids.add("train-" + i);
      int shown = i % 7 == 0 ? (i + 1) % 3 : i % 3;
      for (int k = 0; k < 3; k++) p[i][k] = k == shown ? 0.8 : 0.1;
    }
    Path train = Files.writeString(tmp.resolve("train.tsv"), sb.toString());
    Path teacher = tmp.resolve("teacher.jsonl");
    TeacherOutputWriter.writeJsonl(TeacherOutputs.ofProbabilities(ids, LABELS, p, Map.of()), teacher);
    StringBuilder dev = new StringBuilder("text\tlabel\n"), test = new StringBuilder("text\tlabel\n");
    for (int i = 0; i < 24; i++) {
      dev.append(text(i % 3, 500 + i)).append('\t').append(LABELS.get(i % 3)).append('\n');
      test.append(text(i % 3, 700 + i)).append('\t').append(LABELS.get(i % 3)).append('\n');
    }
    return new Path[] {train, teacher, Files.writeString(tmp.resolve("dev.tsv"), dev.toString()),
        Files.writeString(tmp.resolve("test.tsv"), test.toString())};
  }

  private static UserTraining.Request request(String tier, Integer epochs, Integer maxSteps, Integer maxRows) {
    return new UserTraining.Request(
        UserTraining.Request.Inputs.of("train.tsv", Path.of("teacher.jsonl"), TextFileReader.Columns.defaults()),
        new UserTraining.Request.Recipe("llkd", tier, 1),
        UserTraining.Request.Overrides.NONE.withEpochs(epochs).withMaxSteps(maxSteps).withMaxTrainRows(maxRows),
        new UserTraining.Request.Keeping(0, 0, 10), UserTraining.Request.Output.fresh(Path.of("out")));
  }

  @Test void stepFloorCapAndStepAndRowLimits() {
    // standard: 375 steps at batch 32; 100 rows = 4 steps per epoch -> 94 epochs wanted, capped at 50 (the help says so)
    TrainConfig c = UserTraining.config(request("standard", null, null, null), 100);
    assertEquals(UserTraining.MAX_FLOOR_EPOCHS, c.schedule().epochs());
    // 1,000 rows = 32 steps per epoch -> 12 epochs (384 >= 375 steps)
    assertEquals(12, UserTraining.config(request("standard", null, null, null), 1000).schedule().epochs());
    // --max-steps 100 on 1,000 rows: 4 epochs, the last one cut short by the trainer
    assertEquals(4, UserTraining.config(request("standard", null, 100, null), 1000).schedule().epochs());
    // --max-train-rows: a sample of 64 rows, and the step floor counts those
    TrainConfig sampled = UserTraining.config(request("standard", null, null, 64), 1000);
    assertEquals(64, sampled.data().trainRows());
    assertEquals(50, sampled.schedule().epochs());
    assertEquals(0, UserTraining.config(request("standard", null, null, 5000), 1000).data().trainRows(), "more than the file: all");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> request("tiny", 3, 10, null));
    assertTrue(e.getMessage().contains("--max-steps and --epochs exclude each other"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> request("tiny", null, 0, null));
    assertThrows(IllegalArgumentException.class, () -> request("tiny", null, null, 0));
  }

  @Test void aRunOfUnderFiveStepsTrains() throws IOException {
    // λ = 1 − 5/steps would be negative: such a run uses λ = 0 (it used to fail in momentumForSteps)
    Path[] f = files(40);
    Path out = tmp.resolve("three");
    Run r = ProductFixtures.cli("train", "--train", f[0].toString(), "--teacher", f[1].toString(), "--tier", "tiny",
        "--max-steps", "3", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(3, JSON.readTree(out.resolve("metrics.json").toFile()).get("steps").asInt());
  }

  @Test void maxStepsAndMaxTrainRowsBoundTheRunAndMetricsJsonIsTheOneTestFigure() throws IOException {
    Path[] f = files(90);
    Path out = tmp.resolve("out");
    Run r = ProductFixtures.cli("train", "--train", f[0].toString(), "--teacher", f[1].toString(), "--dev", f[2].toString(),
        "--test", f[3].toString(), "--tier", "tiny", "--max-steps", "5", "--max-train-rows", "40", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("40 train rows, 5 steps"), r.out());
    JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
    assertEquals(5, m.get("steps").asInt());
    assertEquals(40, m.get("trainRows").asInt());
    // tiny batch 16: 40 rows = 3 steps per epoch, so step 5 is mid-epoch 2 and is evaluated on dev there
    List<String> log = Files.readAllLines(out.resolve("train_log.csv"));
    assertEquals(5, log.stream().filter(l -> l.contains(",step,")).count(), String.join("\n", log));
    assertTrue(log.stream().anyMatch(l -> l.startsWith("5,2,dev,")), "the last step's model is evaluated: " + log);
    assertEquals(5, Fixtures.dataRows(out.resolve("run").resolve("steps.csv")));
    assertFalse(Files.exists(out.resolve("run").resolve("metrics.csv")), "the last model's test figure is not kept");
    assertTrue(Files.isRegularFile(out.resolve("model-last").resolve("model.json")), "--dev: model-last is written");
    assertFalse(Files.exists(UserTraining.partialDir(out)), "no partial directory after success");
  }

  /** Log events of this JVM while {@code body} runs (the console and run.log see the same events). */
  private static List<String> logged(Runnable body) {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
        new ch.qos.logback.core.read.ListAppender<>();
    events.start();
    root.addAppender(events);
    try {
      body.run();
    } finally {
      root.detachAppender(events);
    }
    return events.list.stream().map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
  }

  /**
   * With --dev the kept model is the best on dev, not the last: its test figure (metrics.json) is the only one the
   * user sees. The summary line carries it; neither stdout nor the log (console, run.log) carries the last model's, or
   * any other test figure.
   */
  @Test void theKeptModelsTestFigureIsTheOnlyOneWhenBestIsNotLast() throws IOException {
    Path[] f = files(90);
    // dev labels one class off the texts' (and the teacher's): the better the student learns, the worse it does on dev,
    // so the best dev evaluation comes early and the last model is another one
    StringBuilder dev = new StringBuilder("text\tlabel\n");
    for (int i = 0; i < 24; i++) dev.append(text(i % 3, 500 + i)).append('\t').append(LABELS.get((i + 1) % 3)).append('\n');
    Path shiftedDev = Files.writeString(tmp.resolve("dev-shifted.tsv"), dev.toString());
    Path out = tmp.resolve("best-not-last");
    Run[] run = new Run[1];
    List<String> events = logged(() -> run[0] = ProductFixtures.cli("train", "--train", f[0].toString(), "--teacher",
        f[1].toString(), "--dev", shiftedDev.toString(), "--test", f[3].toString(), "--tier", "tiny", "--max-steps", "12",
        "--eval-every", "1", "--out", out.toString()));
    Run r = run[0];
    assertEquals(0, r.exit(), r.err());
    JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
    assertTrue(m.get("bestStep").asInt() < m.get("steps").asInt(), "the best model is not the last: " + m);
    Run last = ProductFixtures.cli("evaluate", "--model", out.resolve("model-last").toString(), "--test", f[3].toString(),
        "--out", tmp.resolve("last-eval").toString());
    assertEquals(0, last.exit(), last.err());
    JsonNode lastTest = JSON.readTree(tmp.resolve("last-eval").resolve("metrics.json").toFile());
    String kept = String.format(java.util.Locale.ROOT, "%.4f", m.get("test").get("macroF1").asDouble());
    String lastF1 = String.format(java.util.Locale.ROOT, "%.4f", lastTest.get("macroF1").asDouble());
    String lastAcc = String.format(java.util.Locale.ROOT, "%.4f", lastTest.get("accuracy").asDouble());
    assertTrue(!kept.equals(lastF1), "the kept and the last model score differently on test: " + kept);

    assertTrue(r.out().contains("test macro-F1 " + kept), "the summary line is metrics.json's figure: " + r.out());
    assertFalse(r.out().contains(lastF1), "stdout has no figure of the last model: " + r.out());
    String runLog = Files.readString(out.resolve("run").resolve("run.log"));
    for (String text : List.of(runLog, String.join("\n", events))) {
      assertFalse(text.contains("test accuracy") || text.contains("test macro-F1") || text.contains("test_"),
          "no test figure logged beside metrics.json's:\n" + text);
      assertFalse(text.contains(lastF1) || text.contains(lastAcc), "the last model's test figure is not logged:\n" + text);
    }
    try (var s = Files.list(out.resolve("run"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("test_")), "no test file of the last model");
    }
  }

  /** --max-train-rows N: a sample drawn from --seed: the same seed, the same rows; another seed, other rows. */
  @Test void maxTrainRowsSampleFollowsTheSeed() throws IOException {
    Path[] f = files(200);
    java.util.function.LongFunction<int[]> rows = seed -> {
      UserTraining.Request r = new UserTraining.Request(
          new UserTraining.Request.Inputs(f[0].toString(), f[1], null, null, null, null, TextFileReader.Columns.defaults()),
          new UserTraining.Request.Recipe("llkd", "tiny", seed), UserTraining.Request.Overrides.NONE.withMaxTrainRows(40),
          UserTraining.Request.Keeping.DEFAULT, UserTraining.Request.Output.fresh(tmp.resolve("never")));
      TrainConfig cfg = UserTraining.config(r, 200);
      // exactly what the trainer samples (TrainingRun: the data seed stream of the run's seed)
      return new org.llkd.experiments.train.TrainingData(cfg, UserTraining.sources(r),
          org.llkd.experiments.train.StudentFactory.tokenizer(cfg.student().maxLength()),
          new org.llkd.experiments.train.SeedStreams(cfg.seed()).data()).rows;
    };
    int[] a = rows.apply(1), b = rows.apply(1), c = rows.apply(2);
    assertEquals(40, a.length);
    assertEquals(40, java.util.Arrays.stream(a).distinct().count(), "40 distinct rows");
    assertArrayEquals(a, b, "same --seed, same rows");
    assertFalse(java.util.Arrays.equals(a, c), "another --seed, other rows");
    assertFalse(java.util.Arrays.equals(a, java.util.stream.IntStream.range(0, 40).toArray()), "a sample, not the head");
  }

  /**
   * Killed before its first checkpoint (the default --checkpoint-minutes 10 writes none in a short run), then --resume:
   * it starts again from step 0 and says so; the summary is not labelled "(resumed)".
   */
  @Test void resumeWithoutACheckpointStartsAgainAndSaysSo() throws Exception {
    Path[] f = files(160); // tiny: batch 16, 10 steps per epoch
    Path out = tmp.resolve("early-kill");
    Path partial = UserTraining.partialDir(out);
    List<String> args = new ArrayList<>(List.of("train", "--train", f[0].toString(), "--teacher", f[1].toString(),
        "--tier", "tiny", "--epochs", "8", "--out", out.toString()));
    Path log = tmp.resolve("early-child.log");
    Process child = ChildJvm.start(Child.class, List.of("-Xmx1g"), args, log);
    int rowsAtKill = -1;
    Path steps = partial.resolve("run").resolve("steps.csv");
    try {
      long deadline = System.currentTimeMillis() + 240_000;
      while (System.currentTimeMillis() < deadline) {
        if (!child.isAlive()) fail("child exited (" + child.exitValue() + ") before the kill:\n" + Files.readString(log));
        if (Files.isRegularFile(steps) && Fixtures.dataRows(steps) > 12) {
          child.destroyForcibly();
          rowsAtKill = Fixtures.dataRows(steps);
          break;
        }
        Thread.sleep(20);
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die");
    } finally {
      if (child.isAlive()) child.destroyForcibly();
    }
    assertTrue(rowsAtKill > 10 && rowsAtKill < 80, "killed after the first epoch end, at step rows " + rowsAtKill + ":\n"
        + Files.readString(log));
    assertFalse(Files.exists(partial.resolve("run").resolve(RunCheckpoint.FILE)),
        "the default --checkpoint-minutes 10 wrote no checkpoint at the first epoch end of a short run");

    args.add("--resume");
    Run[] run = new Run[1];
    List<String> events = logged(() -> run[0] = ProductFixtures.cli(args.toArray(String[]::new)));
    Run resumed = run[0];
    assertEquals(0, resumed.exit(), resumed.err());
    assertFalse(resumed.out().contains("(resumed)"), "nothing was resumed: " + resumed.out());
    assertTrue(events.stream().anyMatch(e -> e.contains("--resume: no checkpoint yet in " + partial.resolve("run")
        + " (checkpoints every 10 min, at the first epoch end after that (--checkpoint-minutes)); starting again from "
        + "step 0")), String.join("\n", events));
    assertTrue(events.stream().noneMatch(e -> e.contains("resumed after epoch")), String.join("\n", events));
    assertEquals(80, Fixtures.dataRows(out.resolve("run").resolve("steps.csv")), "all 80 steps, once each");
    JsonNode prov = JSON.readTree(out.resolve("provenance.json").toFile());
    assertFalse(prov.get("trainOptions").get("resumed").asBoolean(), prov.get("trainOptions").toString());
  }

  /** Runs {@code llkd train ARGS} in a child JVM (killed by the test). */
  public static final class Child {
    public static void main(String[] args) {
      System.exit(LlkdCli.commandLine().execute(args));
    }
  }

  @Test void killedMidEpochThenResumedGivesTheUnbrokenRunsModelAndMetrics() throws Exception {
    Path[] f = files(320); // tiny: batch 16, 20 steps per epoch
    List<String> common = List.of("train", "--train", f[0].toString(), "--teacher", f[1].toString(), "--dev",
        f[2].toString(), "--test", f[3].toString(), "--tier", "tiny", "--epochs", "3", "--eval-every", "7",
        "--checkpoint-minutes", "0");
    Path out = tmp.resolve("killed");
    Path partial = UserTraining.partialDir(out);
    List<String> args = new ArrayList<>(common);
    args.addAll(List.of("--out", out.toString()));
    Path log = tmp.resolve("child.log");
    Process child = ChildJvm.start(Child.class, List.of("-Xmx1g"), args, log);
    int rowsAtKill = -1;
    try {
      long deadline = System.currentTimeMillis() + 240_000;
      Path steps = partial.resolve("run").resolve("steps.csv");
      while (System.currentTimeMillis() < deadline) {
        if (!child.isAlive()) fail("child exited (" + child.exitValue() + ") before the kill:\n" + Files.readString(log));
        if (Files.isRegularFile(partial.resolve("run").resolve(RunCheckpoint.FILE)) && Files.isRegularFile(steps)
            && Fixtures.dataRows(steps) > 22) {
          child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook
          rowsAtKill = Fixtures.dataRows(steps);
          break;
        }
        Thread.sleep(20);
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not die");
    } finally {
      if (child.isAlive()) child.destroyForcibly();
    }
    assertTrue(rowsAtKill > 20 && rowsAtKill < 40, "killed in epoch 2 (after its checkpoint), at step rows " + rowsAtKill
        + ":\n" + Files.readString(log));
    assertFalse(Files.exists(out), "nothing under --out after a kill");
    assertTrue(Files.isDirectory(partial));

    List<String> again = new ArrayList<>(common);
    again.addAll(List.of("--out", out.toString()));
    Run plain = ProductFixtures.cli(again.toArray(String[]::new));
    assertEquals(2, plain.exit(), "without --resume the interrupted run is not silently discarded");
    assertTrue(plain.err().contains("pass --resume to continue it"), plain.err());

    again.add("--resume");
    Run resumed = ProductFixtures.cli(again.toArray(String[]::new));
    assertEquals(0, resumed.exit(), resumed.err());
    assertTrue(resumed.out().contains("(resumed)"), resumed.out());
    assertFalse(Files.exists(partial));

    Path unbroken = tmp.resolve("unbroken");
    List<String> whole = new ArrayList<>(common);
    whole.addAll(List.of("--out", unbroken.toString()));
    Run u = ProductFixtures.cli(whole.toArray(String[]::new));
    assertEquals(0, u.exit(), u.err());

    for (String file : List.of("model/weights.bin", "model-last/weights.bin", "train_log.csv", "run/steps.csv",
        "run/epochs.csv")) {
      assertArrayEquals(Files.readAllBytes(unbroken.resolve(file)), Files.readAllBytes(out.resolve(file)),
          file + " of the killed-and-resumed run differs from the unbroken run (killed at " + rowsAtKill + " steps)");
    }
    JsonNode a = JSON.readTree(unbroken.resolve("metrics.json").toFile()), b = JSON.readTree(out.resolve("metrics.json").toFile());
    assertEquals(a.get("test"), b.get("test"));
    assertEquals(a.get("dev"), b.get("dev"));
    assertEquals(a.get("bestStep"), b.get("bestStep"));
    try (var s = Files.list(out)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("keeper-")), "resume state removed");
    }
  }
}
