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
