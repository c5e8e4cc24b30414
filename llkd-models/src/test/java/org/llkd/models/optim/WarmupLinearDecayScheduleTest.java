package org.llkd.models.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WarmupLinearDecayScheduleTest {
  @Test void warmupPeakDecayEnd() {
    WarmupLinearDecaySchedule s = new WarmupLinearDecaySchedule(1e-3, 10, 110);
    assertEquals(0.0, s.valueAt(0, 0), 0.0);         // HF: the first warm-up step has lr 0
    assertEquals(5e-4, s.valueAt(5, 0), 1e-18);
    assertEquals(9e-4, s.valueAt(9, 0), 1e-18);
    assertEquals(1e-3, s.valueAt(10, 0), 0.0);        // peak at i = W
    assertEquals(5e-4, s.valueAt(60, 0), 1e-18);      // halfway down
    assertEquals(1e-5, s.valueAt(109, 0), 1e-18);     // last update: peak / (T - W)
    assertEquals(0.0, s.valueAt(110, 0), 0.0);        // end
    assertEquals(0.0, s.valueAt(500, 0), 0.0);        // stays 0, never negative
    assertEquals(s.valueAt(37, 0), s.clone().valueAt(37, 3), 0.0);
  }

  @Test void noWarmupStartsAtPeak() {
    WarmupLinearDecaySchedule s = new WarmupLinearDecaySchedule(2.0, 0, 4);
    assertEquals(2.0, s.valueAt(0, 0), 0.0);
    assertEquals(1.5, s.valueAt(1, 0), 0.0);
    assertEquals(0.5, s.valueAt(3, 0), 0.0);
    assertEquals(0.0, s.valueAt(4, 0), 0.0);
  }

  @Test void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new WarmupLinearDecaySchedule(0, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new WarmupLinearDecaySchedule(1e-3, 10, 10));
    assertThrows(IllegalArgumentException.class, () -> new WarmupLinearDecaySchedule(1e-3, -1, 10));
    assertThrows(IllegalArgumentException.class, () -> new WarmupLinearDecaySchedule(1e-3, 1, 10).valueAt(-1, 0));
  }
}
