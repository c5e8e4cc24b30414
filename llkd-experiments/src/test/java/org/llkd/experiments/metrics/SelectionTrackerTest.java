package org.llkd.experiments.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class SelectionTrackerTest {
  /*
   * N = 6 training rows, 3 steps of 3 rows (T = teacher label == gold):
   *   step 1: rows 0 1 2, selected y n y, teacher 0 1 2 vs gold 0 0 2 -> T F T; 2 selected, both T
   *   step 2: rows 3 4 5, selected n n n, teacher 1 1 0 vs gold 1 0 0 -> T F T; empty step
   *   step 3: rows 0 4 5, selected y y n, teacher 0 1 0 vs gold 0 0 0 -> T F T; 2 selected, 1 T
   * data used = |{0, 2, 4}| / 6 = 1/2; mean ratio = (2/3 + 0 + 2/3) / 3 = 4/9; empty steps = 1
   * teacher accuracy: all occurrences 6/9, selected occurrences 3/4, distinct ever selected {0,2,4} -> 2/3
   */
  static void step1(SelectionTracker t) {
    t.record(new int[] {0, 1, 2}, new boolean[] {true, false, true}, new int[] {0, 1, 2}, new int[] {0, 0, 2});
  }

  static SelectionTracker.StepStats step2(SelectionTracker t) {
    return t.record(new int[] {3, 4, 5}, Nd4j.createFromArray(0.0, 0.0, 0.0), new int[] {1, 1, 0}, new int[] {1, 0, 0});
  }

  static SelectionTracker.StepStats step3(SelectionTracker t) {
    return t.record(new int[] {0, 4, 5}, new boolean[] {true, true, false}, new int[] {0, 1, 0}, new int[] {0, 0, 0});
  }

  @Test
  void handWorkedThreeSteps() {
    SelectionTracker t = new SelectionTracker(6);
    step1(t);
    SelectionTracker.StepStats s2 = step2(t);
    assertEquals(0, s2.selected());
    assertEquals(0.0, s2.ratio());
    assertEquals(Double.NaN, s2.teacherAccuracySelected());
    SelectionTracker.StepStats s3 = step3(t);
    assertEquals(new SelectionTracker.StepStats(3, 2, 2.0 / 3.0, 2.0 / 3.0, 0.5), s3);

    assertEquals(3, t.steps());
    assertEquals(1, t.emptySteps());
    assertEquals(3, t.distinctSelected());
    assertEquals(0.5, t.dataUsed(), 1e-15);
    assertEquals(4.0 / 9.0, t.meanSelectionRatio(), 1e-15);
    assertEquals(6.0 / 9.0, t.teacherAccuracyAll(), 1e-15);
    assertEquals(3.0 / 4.0, t.teacherAccuracySelected(), 1e-15);
    assertEquals(2.0 / 3.0, t.teacherAccuracyEverSelected(), 1e-15);
  }

  @Test
  void resumedFromJsonSnapshotEqualsUnbrokenRun() throws Exception {
    SelectionTracker unbroken = new SelectionTracker(6);
    step1(unbroken);
    step2(unbroken);
    step3(unbroken);

    SelectionTracker first = new SelectionTracker(6);
    step1(first);
    step2(first);
    ObjectMapper json = new ObjectMapper();
    String saved = json.writeValueAsString(first.snapshot());
    SelectionTracker resumed = new SelectionTracker(6);
    resumed.restore(json.readValue(saved, SelectionTracker.State.class));
    step3(resumed);

    assertEquals(unbroken.snapshot(), resumed.snapshot());
    assertEquals(unbroken.meanSelectionRatio(), resumed.meanSelectionRatio(), 0.0);
    assertEquals(0.5, resumed.dataUsed(), 1e-15);
  }

  @Test
  void restoreRejectsForeignOrInconsistentStates() {
    SelectionTracker t = new SelectionTracker(6);
    step1(t);
    SelectionTracker.State s = t.snapshot();
    assertThrows(IllegalArgumentException.class, () -> new SelectionTracker(7).restore(s));
    SelectionTracker.State foreign = new SelectionTracker.State("other/1", 6, s.steps(), s.emptySteps(),
        s.sumStepRatio(), s.rowsSeen(), s.rowsSeenTeacherCorrect(), s.rowsSelected(), s.rowsSelectedTeacherCorrect(),
        s.everSelected(), s.seen(), s.teacherCorrect());
    assertThrows(IllegalArgumentException.class, () -> new SelectionTracker(6).restore(foreign));
    SelectionTracker.State selectedButUnseen = new SelectionTracker.State(SelectionTracker.STATE_FORMAT, 6, s.steps(),
        s.emptySteps(), s.sumStepRatio(), s.rowsSeen(), s.rowsSeenTeacherCorrect(), s.rowsSelected(),
        s.rowsSelectedTeacherCorrect(), new long[] {0b100000}, s.seen(), s.teacherCorrect());
    assertThrows(IllegalArgumentException.class, () -> new SelectionTracker(6).restore(selectedButUnseen));
  }

  @Test
  void misalignedLabelsAreCaught() {
    SelectionTracker t = new SelectionTracker(6);
    step1(t); // row 1: teacher wrong
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.record(new int[] {1}, new boolean[] {true}, new int[] {0}, new int[] {0}));
    assertEquals(1, t.steps()); // the failed step changed nothing
    assertEquals(true, e.getMessage().contains("training row 1"));
    assertThrows(IllegalArgumentException.class,
        () -> t.record(new int[] {6}, new boolean[] {true}, new int[] {0}, new int[] {0}));
    assertThrows(IllegalArgumentException.class,
        () -> t.record(new int[] {0}, Nd4j.createFromArray(0.5), new int[] {0}, new int[] {0}));
  }
}
