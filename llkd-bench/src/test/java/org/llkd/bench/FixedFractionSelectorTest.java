package org.llkd.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.llkd.selection.Selection;
import org.llkd.selection.StepBatch;
import org.nd4j.linalg.factory.Nd4j;

class FixedFractionSelectorTest {

  private static StepBatch batch(int n) {
    return StepBatch.of(BenchInputs.ids(n), Nd4j.createFromArray(BenchInputs.teacherProbs(n, 3, 1L)),
        BenchInputs.logits(n, 3, 2L));
  }

  @Test
  void keepsExactlyTheRoundedFractionEvenlySpaced() {
    Selection s = new FixedFractionSelector(0.2).select(batch(40));
    assertEquals(8, s.numSelected());
    assertArrayEquals(new int[] {4, 9, 14, 19, 24, 29, 34, 39}, s.selectedIndices());
    assertEquals(20, new FixedFractionSelector(0.5).select(batch(40)).numSelected());
    assertEquals(40, new FixedFractionSelector(1.0).select(batch(40)).numSelected());
    assertEquals(6, new FixedFractionSelector(0.2).select(batch(32)).numSelected()); // round(6.4)
    assertEquals(1, new FixedFractionSelector(0.01).select(batch(10)).numSelected()); // at least one row
  }

  @Test
  void selectedWeightsAreOneAndOthersZero() {
    Selection s = new FixedFractionSelector(0.5).select(batch(10));
    double[] w = s.weights().toDoubleVector();
    double[] m = s.mask().toDoubleVector();
    for (int i = 0; i < 10; i++) assertEquals(m[i], w[i], 0.0, "row " + i);
  }

  @Test
  void rejectsFractionsOutsideZeroOne() {
    assertThrows(IllegalArgumentException.class, () -> new FixedFractionSelector(0.0));
    assertThrows(IllegalArgumentException.class, () -> new FixedFractionSelector(1.5));
  }
}
