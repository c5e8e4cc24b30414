package org.llkd.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.commons.math3.distribution.FDistribution;
import org.junit.jupiter.api.Test;

/**
 * Friedman, Iman–Davenport and Nemenyi against the worked example of Demšar (2006), "Statistical Comparisons of
 * Classifiers over Multiple Data Sets", JMLR 7:1–30, section 3.2.2 and Table 6 (AUC of C4.5, C4.5+m, C4.5+cf and
 * C4.5+m+cf on 14 UCI data sets): average ranks 3.143, 2.000, 2.893, 1.964; χ²_F = 9.28; F_F = 3.69 against the
 * critical F(3, 39) = 2.85; CD = 1.25 at α = 0.05 and 1.12 at α = 0.10; and Table 5(a), the Nemenyi q_α for k = 2..10.
 */
public class FriedmanNemenyiTest {
  /**
   * Table 6, columns C4.5, C4.5+m, C4.5+cf, C4.5+m+cf. Voting's C4.5+cf is printed 0.975 like C4.5+m+cf but ranked 2
   * against its 3 in the paper: the printed values are rounded, so it is 0.9751 here (as in SciPy's test of the same
   * table), which gives the published ranks.
   */
  public static final double[][] TABLE_6 = {
      {0.763, 0.768, 0.771, 0.798}, // adult (sample)
      {0.599, 0.591, 0.590, 0.569}, // breast cancer
      {0.954, 0.971, 0.968, 0.967}, // breast cancer wisconsin
      {0.628, 0.661, 0.654, 0.657}, // cmc
      {0.882, 0.888, 0.886, 0.898}, // ionosphere
      {0.936, 0.931, 0.916, 0.931}, // iris
      {0.661, 0.668, 0.609, 0.685}, // liver disorders
      {0.583, 0.583, 0.563, 0.625}, // lung cancer
      {0.775, 0.838, 0.866, 0.875}, // lymphography
      {1.000, 1.000, 1.000, 1.000}, // mushroom
      {0.940, 0.962, 0.965, 0.962}, // primary tumor
      {0.619, 0.666, 0.614, 0.669}, // rheum
      {0.972, 0.981, 0.9751, 0.975}, // voting
      {0.957, 0.978, 0.946, 0.970}, // wine
  };

  @Test void ranksPerDatasetAreThePublishedOnesWithTiesSharingTheMeanRank() {
    assertArrayEquals(new double[] {4, 3, 2, 1}, Friedman.ranks(TABLE_6[0]));
    assertArrayEquals(new double[] {1, 2.5, 4, 2.5}, Friedman.ranks(TABLE_6[5]), "iris: a tie for second place");
    assertArrayEquals(new double[] {2.5, 2.5, 4, 1}, Friedman.ranks(TABLE_6[7]), "lung cancer");
    assertArrayEquals(new double[] {2.5, 2.5, 2.5, 2.5}, Friedman.ranks(TABLE_6[9]), "mushroom: all tied");
    assertArrayEquals(new double[] {4, 1, 2, 3}, Friedman.ranks(TABLE_6[12]), "voting");
  }

  @Test void friedmanAndImanDavenportReproduceDemsarsExample() {
    Friedman f = Friedman.of(TABLE_6);
    assertEquals(4, f.k());
    assertEquals(14, f.n());
    double[] published = {3.143, 2.000, 2.893, 1.964};
    for (int j = 0; j < 4; j++) assertEquals(published[j], f.averageRanks()[j], 5e-4, "average rank of column " + j);
    assertEquals(9.28, f.chiSquare(), 5e-3, "χ²_F");
    assertEquals(3.69, f.imanDavenport(), 5e-3, "F_F");
    assertArrayEquals(new int[] {3, 39}, f.fDegrees());
    // "The critical value of F(3, 39) for α = 0.05 is 2.85, so we reject the null-hypothesis."
    assertEquals(2.85, new FDistribution(3, 39).inverseCumulativeProbability(0.95), 5e-3);
    assertTrue(f.pImanDavenport() < 0.05, "p(F_F) = " + f.pImanDavenport());
    // χ²(3) upper tail of 9.28: 0.0258 (the χ² version is the more conservative one here)
    assertEquals(0.0258, f.pChiSquare(), 5e-4);
    assertTrue(f.pChiSquare() > f.pImanDavenport(), "Iman–Davenport is less conservative than χ²_F");
  }

  @Test void nemenyiCriticalValuesAreDemsarsTable5a() {
    double[] q05 = {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164};
    double[] q10 = {1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920};
    // The table's third decimal is not always rounded (k = 3: Q(0.95; 3, ∞)/√2 = 2.34370 is printed 2.343; SciPy's
    // studentized_range gives the same 2.34370): every entry is within 8e-4 of the exact quantile.
    for (int k = 2; k <= 10; k++) {
      assertEquals(q05[k - 2], Nemenyi.q(0.05, k), 8e-4, "q_0.05 for k = " + k);
      assertEquals(q10[k - 2], Nemenyi.q(0.10, k), 8e-4, "q_0.10 for k = " + k);
    }
  }

  @Test void nemenyiBeyondTheTableMatchesTheStudentizedRangeAtInfiniteDf() {
    // Studentized range Q(0.95; k, ∞), e.g. Harter (1960) / any Tukey HSD table's df = ∞ row: 4.55, 4.62, 4.80, 5.01
    int[] ks = {11, 12, 15, 20};
    double[] range = {4.55, 4.62, 4.80, 5.01};
    for (int i = 0; i < ks.length; i++) {
      assertEquals(range[i], Nemenyi.q(0.05, ks[i]) * Math.sqrt(2), 6e-3, "Q(0.95; " + ks[i] + ", ∞)");
    }
    for (int k = 3; k <= 25; k++) assertTrue(Nemenyi.q(0.05, k) > Nemenyi.q(0.05, k - 1), "q grows with k at " + k);
  }

  @Test void criticalDifferencesAndGroupsOfDemsarsExample() {
    assertEquals(2.569031772546482, Nemenyi.q(0.05, 4), 1e-6, "SciPy: studentized_range.ppf(0.95, 4, inf) / sqrt(2)");
    assertEquals(3.2186536073291525, Nemenyi.q(0.05, 11), 1e-6, "SciPy, k = 11");
    assertEquals(1.25, Nemenyi.criticalDifference(0.05, 4, 14), 5e-3);
    assertEquals(1.12, Nemenyi.criticalDifference(0.10, 4, 14), 5e-3);
    Friedman f = Friedman.of(TABLE_6);
    // sorted: C4.5+m+cf 1.964, C4.5+m 2.000, C4.5+cf 2.893, C4.5 3.143
    double[] sorted = {f.averageRanks()[3], f.averageRanks()[1], f.averageRanks()[2], f.averageRanks()[0]};
    // α = 0.05: best - worst = 1.179 < 1.25, "not powerful enough to detect any significant differences": one group
    List<int[]> g05 = Nemenyi.groups(sorted, Nemenyi.criticalDifference(0.05, 4, 14));
    assertEquals(1, g05.size());
    assertArrayEquals(new int[] {0, 3}, g05.get(0));
    // α = 0.10: C4.5 differs from C4.5+m and C4.5+m+cf; C4.5+cf belongs to both groups (Figure 1(a))
    List<int[]> g10 = Nemenyi.groups(sorted, Nemenyi.criticalDifference(0.10, 4, 14));
    assertEquals(2, g10.size());
    assertArrayEquals(new int[] {0, 2}, g10.get(0));
    assertArrayEquals(new int[] {2, 3}, g10.get(1));
  }

  @Test void degenerateTables() {
    // every dataset ranks the methods the same way: χ²_F = N(k − 1), F_F infinite, p = 0
    Friedman same = Friedman.of(new double[][] {{3, 2, 1}, {0.9, 0.5, 0.1}, {5, 4, 3}});
    assertEquals(6.0, same.chiSquare(), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, same.imanDavenport());
    assertEquals(0.0, same.pImanDavenport());
    assertArrayEquals(new double[] {1, 2, 3}, same.averageRanks(), 1e-12);
    // all tied everywhere: no difference at all
    Friedman tied = Friedman.of(new double[][] {{1, 1, 1}, {2, 2, 2}});
    assertEquals(0.0, tied.chiSquare(), 1e-12);
    assertEquals(1.0, tied.pImanDavenport(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Friedman.of(new double[][] {{1, 2, 3}}), "one dataset");
    assertThrows(IllegalArgumentException.class, () -> Friedman.of(new double[][] {{1}, {2}}), "one method");
    assertThrows(IllegalArgumentException.class, () -> Friedman.of(new double[][] {{1, Double.NaN}, {2, 1}}));
    assertThrows(IllegalArgumentException.class, () -> Nemenyi.q(0.05, 1));
  }
}
