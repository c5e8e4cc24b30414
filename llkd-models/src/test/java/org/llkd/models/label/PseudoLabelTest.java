package org.llkd.models.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PseudoLabelTest {
  @Test
  void theLargestEntryWinsAndATieGoesToTheFirstIndexAsInNumpy() {
    assertEquals(2, PseudoLabel.argmax(new double[] {0.2, 0.3, 0.5}));
    assertEquals(0, PseudoLabel.argmax(new double[] {0.5, 0.5}));
    assertEquals(1, PseudoLabel.argmax(new double[] {0.1, 0.45, 0.45}));
    assertArrayEquals(new int[] {0, 1}, PseudoLabel.argmax(new double[][] {{1, 1, 0}, {0, 2, 2}}));
  }

  @Test
  void aNaNIsNeverChosenOverAnEarlierEntry() {
    assertEquals(0, PseudoLabel.argmax(new double[] {0.1, Double.NaN, 0.05}));
    assertEquals(2, PseudoLabel.argmax(new double[] {0.1, Double.NaN, 0.5}));
  }
}
