package org.llkd.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The "within the seed spread" rule: |Δ mean| ≤ max(2 × pooled sd, 0.005), and when it is not judged. */
class SeedSpreadTest {
  @Test void pooledSdOfBothSides() {
    // ours sd 0.02 (df 2), reference sd 0 (df 2): s_p = sqrt((2 * 0.0004 + 0) / 4) = 0.014142, tolerance 0.028284
    SeedSpread s = SeedSpread.of(new double[] {0.60, 0.62, 0.64}, new double[] {0.61, 0.61, 0.61});
    assertEquals(0.01, s.delta(), 1e-12);
    assertEquals(Math.sqrt(0.0002), s.pooledSd(), 1e-12);
    assertEquals(2 * Math.sqrt(0.0002), s.tolerance(), 1e-12);
    assertTrue(s.judged() && s.within(), s.describe());
    SeedSpread far = SeedSpread.of(new double[] {0.63, 0.65, 0.67}, new double[] {0.61, 0.61, 0.61});
    assertEquals(0.04, far.delta(), 1e-12);
    assertTrue(far.judged() && !far.within(), "0.040 > 0.028: " + far.describe());
    assertEquals("+0.040 (|Δ| > 0.028 = 2 × pooled sd 0.014)", far.describe());
  }

  @Test void theFloorAppliesWhenTheSeedsAgreeClosely() {
    SeedSpread in = SeedSpread.of(new double[] {0.604, 0.604}, new double[] {0.600, 0.600});
    assertEquals(SeedSpread.FLOOR, in.tolerance(), 1e-12);
    assertTrue(in.within(), in.describe());
    SeedSpread out = SeedSpread.of(new double[] {0.594, 0.594}, new double[] {0.600, 0.600});
    assertFalse(out.within(), out.describe());
    assertEquals("−0.006 (|Δ| > 0.005 = the floor; pooled sd 0.000)", out.describe());
  }

  @Test void oneSideWithOneSeedUsesTheOtherSidesSpread() {
    // the seed-1 run of "all" with the reference's teacher (0.6235) against the reference's three seeds
    double[] ref = {0.613, 0.6045, 0.6185};
    SeedSpread s = SeedSpread.of(new double[] {0.6235}, ref);
    assertEquals(SeedSummary.of(ref).sd(), s.pooledSd(), 1e-12);
    assertTrue(s.within(), s.describe());
    // the same recipe with the project's own teacher (0.5805) is far outside
    assertFalse(SeedSpread.of(new double[] {0.5805}, ref).within());
  }

  @Test void notJudgedWithoutASpreadOrWithoutRuns() {
    SeedSpread one = SeedSpread.of(new double[] {0.6}, new double[] {0.9});
    assertFalse(one.judged());
    assertFalse(one.within());
    assertTrue(one.describe().contains("not judged"), one.describe());
    SeedSpread none = SeedSpread.of(new double[0], new double[] {0.6, 0.7});
    assertFalse(none.judged());
    assertTrue(Double.isNaN(none.delta()));
  }
}
