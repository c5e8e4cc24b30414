package org.llkd.experiments.stats;

import org.apache.commons.math3.stat.inference.TTest;

/**
 * A reference method against one baseline over the seeds both ran (same seed = same subset, initialisation and batch
 * order): the mean paired difference {@code reference − baseline} with its 95% Student-t interval, the two-sided
 * paired t-test (Commons Math {@link TTest#pairedTTest}) and the exact Wilcoxon signed-rank test of the differences.
 *
 * @param n number of pairs
 * @param difference mean and 95% interval of {@code reference[i] − baseline[i]}
 * @param t paired t statistic (NaN when {@code n < 2} or every difference is equal)
 * @param pT two-sided paired t-test p-value (NaN when {@code t} is)
 * @param wilcoxon the signed-rank test of the differences (p NaN with fewer than 2 pairs)
 */
public record PairedComparison(int n, SeedSummary difference, double t, double pT, WilcoxonSignedRank wilcoxon) {

  /** {@code reference[i]} and {@code baseline[i]} belong to the same seed. */
  public static PairedComparison of(double[] reference, double[] baseline) {
    if (reference.length != baseline.length) {
      throw new IllegalArgumentException("paired samples differ in length: " + reference.length + " reference values, "
          + baseline.length + " baseline values");
    }
    int n = reference.length;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = reference[i] - baseline[i];
    SeedSummary diff = SeedSummary.of(d);
    double t = Double.NaN;
    double p = Double.NaN;
    if (n >= 2 && diff.sd() > 0) {
      TTest tt = new TTest();
      t = tt.pairedT(reference, baseline);
      p = tt.pairedTTest(reference, baseline);
    }
    // one pair is no test: the signed-rank test of a single difference is p = 1 by construction
    WilcoxonSignedRank w = n >= 2 ? WilcoxonSignedRank.test(d) : WilcoxonSignedRank.test(new double[0]);
    return new PairedComparison(n, diff, t, p, w);
  }
}
