package org.llkd.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;
import org.junit.jupiter.api.Test;

/**
 * The table statistics against published values: Student's sleep data (paired t-test and interval as printed by R's
 * {@code t.test(extra ~ group, data = sleep, paired = TRUE)}), Hollander &amp; Wolfe's depression-scale example
 * (exact signed-rank test, the example of R's {@code wilcox.test}), and the Holm example of Wikipedia's
 * "Holm–Bonferroni method" article.
 */
class PairedStatisticsTest {
  /** Cushny &amp; Peebles (1905) as used by Student (1908): extra sleep (hours) under drug 1 and drug 2, 10 patients. */
  static final double[] SLEEP_1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  static final double[] SLEEP_2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

  /** Hollander &amp; Wolfe (1973, p. 29): Hamilton depression scale, first (x) and second (y) visit, 9 patients. */
  static final double[] HW_X = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
  static final double[] HW_Y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};

  @Test void pairedTTestMatchesStudentsSleepData() {
    PairedComparison c = PairedComparison.of(SLEEP_1, SLEEP_2);
    // R: t = -4.0621, df = 9, p-value = 0.002833; mean difference -1.58; 95% CI -2.4598858 -0.7001142
    assertEquals(10, c.n());
    assertEquals(-4.0621, c.t(), 5e-5);
    assertEquals(0.002833, c.pT(), 5e-7);
    assertEquals(-1.58, c.difference().mean(), 1e-12);
    assertEquals(-2.4598858, c.difference().mean() - c.difference().halfWidth(), 5e-8);
    assertEquals(-0.7001142, c.difference().mean() + c.difference().halfWidth(), 5e-8);
  }

  @Test void tQuantilesAreTheTabulatedOnes() {
    assertEquals(12.706, SeedSummary.tQuantile(1), 5e-4);
    assertEquals(4.303, SeedSummary.tQuantile(2), 5e-4);
    assertEquals(2.262, SeedSummary.tQuantile(9), 5e-4);
  }

  @Test void exactWilcoxonMatchesHollanderWolfe() {
    double[] d = new double[HW_X.length];
    for (int i = 0; i < d.length; i++) d[i] = HW_X[i] - HW_Y[i];
    WilcoxonSignedRank w = WilcoxonSignedRank.test(d);
    // R: wilcox.test(x, y, paired = TRUE, alternative = "greater"): V = 40, p-value = 0.01953 (= 10/512);
    // two-sided: twice that.
    assertEquals(9, w.nonZero());
    assertEquals(40.0, w.wPlus(), 0);
    assertEquals(20.0 / 512, w.p(), 1e-12);
    // No ties or zeros here, so Commons Math's exact p-value must agree.
    assertEquals(new WilcoxonSignedRankTest().wilcoxonSignedRankTest(HW_X, HW_Y, true), w.p(), 1e-12);
    assertEquals(20.0 / 512, PairedComparison.of(HW_X, HW_Y).wilcoxon().p(), 1e-12);
  }

  @Test void wilcoxonDropsZerosAndUsesMidRanksForTies() {
    // differences 0, 1, -1, 2, 2, 3: zero dropped; |d| ranks 1.5, 1.5, 3.5, 3.5, 5; W+ = 1.5 + 3.5 + 3.5 + 5 = 13.5.
    WilcoxonSignedRank w = WilcoxonSignedRank.test(new double[] {0, 1, -1, 2, 2, 3});
    assertEquals(5, w.nonZero());
    assertEquals(13.5, w.wPlus(), 0);
    // Of the 32 sign patterns, W+ >= 13.5 only when the rank-1.5 negative is the sole negative or none is: W+ = 15
    // (1 pattern) and 13.5 (2 patterns: either 1.5 negative) -> 3/32; lower tail is larger; p = 2 * 3/32.
    assertEquals(6.0 / 32, w.p(), 1e-12);
  }

  @Test void wilcoxonCannotReach05BelowSixPairs() {
    assertEquals(2.0 / 32, WilcoxonSignedRank.minimumP(5), 1e-15);
    assertTrue(WilcoxonSignedRank.minimumP(5) > 0.05);
    assertTrue(WilcoxonSignedRank.minimumP(WilcoxonSignedRank.MIN_N_FOR_05) < 0.05);
    // five positive differences: the most extreme outcome, still p = 0.0625
    assertEquals(0.0625, WilcoxonSignedRank.test(new double[] {0.1, 0.2, 0.3, 0.4, 0.5}).p(), 1e-15);
    assertEquals(1.0, WilcoxonSignedRank.test(new double[] {1, -1}).p(), 1e-15);
  }

  @Test void holmMatchesThePublishedExample() {
    // Wikipedia, Holm–Bonferroni method, example: p = 0.01, 0.04, 0.03, 0.005 at alpha 0.05 rejects H4 and H1 only.
    double[] adj = Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005});
    assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, adj, 1e-12);
    // NaN (no test) is left out of m: m = 2, sorted 0.25 -> 0.5, then max(0.5, 1 * 0.6)
    assertArrayEquals(new double[] {0.6, Double.NaN, 0.5}, Holm.adjust(new double[] {0.6, Double.NaN, 0.25}), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Holm.adjust(new double[] {1.2}));
  }

  @Test void oneSeedHasNoSpread() {
    SeedSummary s = SeedSummary.of(new double[] {0.5});
    assertEquals("0.500 —", s.cell(3));
    assertTrue(Double.isNaN(s.halfWidth()));
    // two seeds 0.50, 0.52: sd 0.01414, half-width 12.706 * 0.01414 / sqrt(2) = 0.1271
    assertEquals("0.510 ± 0.127", SeedSummary.of(new double[] {0.50, 0.52}).cell(3));
  }
}
