package org.llkd.experiments.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two classes, scores (1, 0) on four rows, gold 0 on three of them: the correct-class probability is
 * sigmoid(1/T) for every row, the mean NLL is minimised where it equals 3/4, i.e. T = 1/ln 3 = 0.9102.
 * On the grid {0.5, 0.9, 1.0, 2.0}: NLL(0.9) = 0.562350 < NLL(1.0) = 0.563261 < NLL(0.5) < NLL(2.0).
 */
class TemperatureFitTest {
  private static final double[][] SCORES = {{1, 0}, {1, 0}, {1, 0}, {1, 0}};
  private static final int[] GOLD = {0, 0, 0, 1};

  @Test
  void picksTheGridPointWithLowestNll() {
    TemperatureFit.Result r = TemperatureFit.fit(SCORES, GOLD, List.of(2.0, 0.5, 1.0, 0.9));
    assertEquals(0.9, r.temperature());
    assertEquals(TemperatureFit.meanNll(SCORES, GOLD, 0.9), r.nll(), 0);
    assertEquals(4, r.nllByTemperature().size());
    assertEquals(4, r.rows());
  }

  @Test
  void nllMatchesHandComputedValues() {
    // T = 1: p = sigmoid(1) = 0.731059; NLL = -(0.75 ln p + 0.25 ln(1 - p)) = 0.563261
    assertEquals(0.563261, TemperatureFit.meanNll(SCORES, GOLD, 1.0), 1e-6);
    // T = 1/ln 3: p = 3/4 exactly; NLL = -(0.75 ln 0.75 + 0.25 ln 0.25) = 0.562335 (the minimum)
    assertEquals(0.562335, TemperatureFit.meanNll(SCORES, GOLD, 1 / Math.log(3)), 1e-6);
  }

  @Test
  void perfectlySeparatedRowsPreferTheSmallestTemperature() {
    TemperatureFit.Result r = TemperatureFit.fit(new double[][] {{1, 0}, {0, 1}}, new int[] {0, 1}, List.of(0.1, 0.05, 1.0));
    assertEquals(0.05, r.temperature());
  }
}
