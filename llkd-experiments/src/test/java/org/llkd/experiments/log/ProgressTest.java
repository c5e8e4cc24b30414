package org.llkd.experiments.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The plain-line progress used when stderr is not a terminal: one line per 10%, nothing under --quiet. */
class ProgressTest {
  @Test
  void linesModeWritesOneLinePerTenPercentNotOnePerStep() {
    List<String> lines = new ArrayList<>();
    try (Progress p = Progress.start(Progress.Mode.LINES, "run-a", 1000, 0, " steps", lines::add)) {
      for (int i = 0; i < 1000; i++) {
        p.step();
        p.setExtraMessage(" loss 0.5");
      }
    }
    assertEquals(11, lines.size(), "start line + one per 10%: " + lines);
    assertTrue(lines.get(0).startsWith("run-a   0% (0/1000 steps) "), lines.get(0));
    assertTrue(lines.get(3).startsWith("run-a  30% (300/1000 steps) "), lines.get(3));
    assertTrue(lines.get(10).startsWith("run-a 100% (1000/1000 steps) "), lines.get(10));
    assertTrue(lines.get(10).endsWith(" loss 0.5"), lines.get(10));
  }

  @Test
  void smallTotalsAndBigStepsGiveOneLinePerDecileCrossed() {
    List<String> lines = new ArrayList<>();
    try (Progress p = Progress.start(Progress.Mode.LINES, "t", 7, 0, "", lines::add)) {
      for (int i = 0; i < 7; i++) p.step();
    }
    // deciles crossed by 1..7 of 7: 1,2,4,5,7,8,10 -> 7 lines after the start line
    assertEquals(8, lines.size(), lines.toString());
    lines.clear();
    try (Progress p = Progress.start(Progress.Mode.LINES, "t", 100, 0, "", lines::add)) {
      p.stepBy(55); // jumps five deciles at once: one line, not five
      p.stepBy(45);
    }
    assertEquals(List.of("t   0% (0/100) ", "t  55% (55/100) ", "t 100% (100/100) "),
        lines.stream().map(l -> l.substring(0, l.lastIndexOf(')') + 2)).toList());
  }

  @Test
  void resumedRunStartsAtItsPositionAndAnEarlyStopSaysWhere() {
    List<String> lines = new ArrayList<>();
    try (Progress p = Progress.start(Progress.Mode.LINES, "r", 10, 4, "", lines::add)) {
      p.step();
    }
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("r  40% (4/10)"), lines.get(0));
    assertTrue(lines.get(1).startsWith("r  50% (5/10)"), lines.get(1));
    assertTrue(lines.get(2).startsWith("r  50% (5/10)"), "close before the end repeats where it stopped: " + lines);
  }

  @Test
  void quietShowsNoProgress() {
    List<String> lines = new ArrayList<>();
    try (Progress p = Progress.start(Progress.Mode.NONE, "q", 10, 0, "", lines::add)) {
      p.stepBy(10);
    }
    assertEquals(List.of(), lines);
    try {
      LogLevels.setConsole(Level.WARN);
      assertEquals(Progress.Mode.NONE, Progress.mode());
      LogLevels.setConsole(Level.INFO);
      // surefire's forked JVM has no console: plain lines, never a live bar
      assertEquals(Progress.Mode.LINES, Progress.mode());
    } finally {
      LogLevels.setConsole(Level.INFO);
    }
  }
}
