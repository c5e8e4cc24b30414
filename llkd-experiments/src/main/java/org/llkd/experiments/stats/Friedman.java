package org.llkd.experiments.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.FDistribution;

/**
 * Friedman's test of k methods over N datasets, with Iman and Davenport's F variant, as in Demšar (2006),
 * "Statistical Comparisons of Classifiers over Multiple Data Sets", JMLR 7, section 3.2.2.
 *
 * <p>Per dataset the methods are ranked by score, the best (highest) getting rank 1; tied scores share the mean of
 * the ranks they span (Demšar's Table 6: two methods tied for second place both get 2.5). With R_j the average rank
 * of method j over the N datasets,
 *
 * <pre>
 *   χ²_F = 12N / (k(k+1)) · [ Σ_j R_j² − k(k+1)² / 4 ]          (χ² with k − 1 degrees of freedom)
 *   F_F  = (N − 1) χ²_F / (N(k − 1) − χ²_F)                       (F with k − 1 and (k − 1)(N − 1) degrees of freedom)
 * </pre>
 *
 * Like the paper, χ²_F carries no tie correction (ties make it slightly conservative). When every dataset ranks the
 * methods identically χ²_F reaches its maximum N(k − 1), F_F is infinite and its p-value 0. p-values come from
 * Commons Math's {@link ChiSquaredDistribution} and {@link FDistribution}. The χ² approximation wants N > 10 and
 * k > 5 (Demšar); with fewer datasets read F_F.
 *
 * @param k methods
 * @param n datasets
 * @param averageRanks R_j, in the column order of the score matrix
 * @param chiSquare χ²_F
 * @param pChiSquare upper-tail p-value of χ²_F under χ²(k − 1)
 * @param imanDavenport F_F (+∞ when all datasets agree)
 * @param pImanDavenport upper-tail p-value of F_F under F(k − 1, (k − 1)(N − 1))
 */
public record Friedman(int k, int n, double[] averageRanks, double chiSquare, double pChiSquare, double imanDavenport,
    double pImanDavenport) {

  /**
   * The test on {@code scores[dataset][method]} (higher is better; NaN is refused).
   *
   * @throws IllegalArgumentException with fewer than 2 datasets or 2 methods, ragged rows or a NaN score
   */
  public static Friedman of(double[][] scores) {
    int n = scores.length;
    if (n < 2) throw new IllegalArgumentException("Friedman test needs at least 2 datasets, found " + n);
    int k = scores[0].length;
    if (k < 2) throw new IllegalArgumentException("Friedman test needs at least 2 methods, found " + k);
    double[] sum = new double[k];
    for (int i = 0; i < n; i++) {
      if (scores[i].length != k) {
        throw new IllegalArgumentException("dataset " + i + " has " + scores[i].length + " scores, expected " + k);
      }
      double[] r = ranks(scores[i]);
      for (int j = 0; j < k; j++) sum[j] += r[j];
    }
    double[] avg = new double[k];
    double sq = 0;
    for (int j = 0; j < k; j++) {
      avg[j] = sum[j] / n;
      sq += avg[j] * avg[j];
    }
    double chi2 = 12.0 * n / (k * (k + 1.0)) * (sq - k * (k + 1.0) * (k + 1.0) / 4.0);
    chi2 = Math.max(0, chi2); // rounding below 0 when all ranks are equal
    double pChi = 1 - new ChiSquaredDistribution(null, k - 1).cumulativeProbability(chi2);
    double denom = n * (k - 1.0) - chi2;
    double ff;
    double pF;
    if (denom <= 1e-12 * n * k) { // every dataset ranks the methods alike
      ff = Double.POSITIVE_INFINITY;
      pF = 0;
    } else {
      ff = (n - 1.0) * chi2 / denom;
      pF = 1 - new FDistribution(null, k - 1.0, (k - 1.0) * (n - 1.0)).cumulativeProbability(ff);
    }
    return new Friedman(k, n, avg, chi2, pChi, ff, pF);
  }

  /**
   * Ranks of one dataset's scores, 1 = highest; tied scores share the mean of their ranks.
   *
   * @throws IllegalArgumentException for a NaN score
   */
  public static double[] ranks(double[] scores) {
    int k = scores.length;
    Integer[] order = new Integer[k];
    for (int j = 0; j < k; j++) {
      if (Double.isNaN(scores[j])) throw new IllegalArgumentException("score " + j + " is NaN: " + Arrays.toString(scores));
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    double[] r = new double[k];
    for (int i = 0; i < k; ) {
      int e = i;
      while (e + 1 < k && scores[order[e + 1]] == scores[order[i]]) e++;
      double mid = (i + 1 + e + 1) / 2.0; // ranks i+1 .. e+1 share their mean
      for (int t = i; t <= e; t++) r[order[t]] = mid;
      i = e + 1;
    }
    return r;
  }

  /** Degrees of freedom of F_F: {k − 1, (k − 1)(N − 1)}. */
  public int[] fDegrees() {
    return new int[] {k - 1, (k - 1) * (n - 1)};
  }
}
