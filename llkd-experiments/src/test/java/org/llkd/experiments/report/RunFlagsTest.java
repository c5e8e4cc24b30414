package org.llkd.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llkd.experiments.report.RunFlags.Flag;
import org.llkd.experiments.report.RunFlags.State;

/** The degenerate-run thresholds at their edges, unknown when columns are missing, and the row marker. */
class RunFlagsTest {
  static final Path SRC = Path.of("raw.csv");

  static Map<String, String> run(String updates, String steps, String acc, String top, String majority) {
    return Map.of("run_id", "r", "updates", updates, "steps", steps, "test_accuracy", acc,
        "test_top_pred_share", top, "test_majority_acc", majority);
  }

  @Test void thresholds() {
    Map<Flag, State> edge = RunFlags.of(run("5", "100", "0.30", "0.8999", "0.30"), SRC);
    assertEquals(State.CLEAR, edge.get(Flag.FEW_UPDATES), "exactly 5% of steps updated is not degenerate");
    assertEquals(State.CLEAR, edge.get(Flag.ONE_CLASS));
    assertEquals(State.CLEAR, edge.get(Flag.BELOW_MAJORITY), "equal to the majority baseline is not below it");
    Map<Flag, State> bad = RunFlags.of(run("4", "100", "0.29", "0.90", "0.30"), SRC);
    assertEquals(State.FLAGGED, bad.get(Flag.FEW_UPDATES));
    assertEquals(State.FLAGGED, bad.get(Flag.ONE_CLASS), "90% in one class is flagged");
    assertEquals(State.FLAGGED, bad.get(Flag.BELOW_MAJORITY));
    Map<Flag, State> old = RunFlags.of(Map.of("updates", "0", "steps", "126", "test_accuracy", "0.5"), SRC);
    assertEquals(State.FLAGGED, old.get(Flag.FEW_UPDATES));
    assertEquals(State.UNKNOWN, old.get(Flag.ONE_CLASS));
    assertEquals(State.UNKNOWN, old.get(Flag.BELOW_MAJORITY));
  }

  @Test void marker() {
    Map<Flag, State> clear = Map.of(Flag.FEW_UPDATES, State.CLEAR, Flag.ONE_CLASS, State.CLEAR,
        Flag.BELOW_MAJORITY, State.CLEAR);
    Map<Flag, State> mixed = Map.of(Flag.FEW_UPDATES, State.FLAGGED, Flag.ONE_CLASS, State.UNKNOWN,
        Flag.BELOW_MAJORITY, State.FLAGGED);
    assertEquals("", RunFlags.marker(List.of(clear, clear)));
    assertEquals("U2 C? M2", RunFlags.marker(List.of(mixed, mixed, clear)));
    Map<Flag, State> oneUnknown = Map.of(Flag.FEW_UPDATES, State.FLAGGED, Flag.ONE_CLASS, State.FLAGGED,
        Flag.BELOW_MAJORITY, State.UNKNOWN);
    assertEquals("U2 C1? M1?", RunFlags.marker(List.of(mixed, oneUnknown)));
  }

  @Test void weakTeacher() {
    assertEquals(State.FLAGGED, RunFlags.weakTeacher(List.of(
        Map.of("teacher_acc_all", "0.45", "train_majority_share", "0.45")), SRC).state(), "at the share is weak");
    assertEquals(State.CLEAR, RunFlags.weakTeacher(List.of(
        Map.of("teacher_acc_all", "0.46", "train_majority_share", "0.45"),
        Map.of("teacher_acc_all", "0.50", "train_majority_share", "")), SRC).state());
    assertEquals(State.UNKNOWN, RunFlags.weakTeacher(List.of(Map.of("teacher_acc_all", "0.46")), SRC).state());
  }
}
