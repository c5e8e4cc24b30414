package org.llkd.experiments.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Nemenyi post-hoc test after {@link Friedman} (Demšar 2006, section 3.2.2): two of k methods compared over N
 * datasets differ significantly when their average ranks differ by at least the critical difference
 *
 * <pre>  CD = q_α · sqrt(k(k+1) / (6N)),   q_α = Q(1 − α; k, ∞) / √2 </pre>
 *
 * with Q the Studentized range distribution with infinite degrees of freedom. Demšar's Table 5(a) lists q_α for k up
 * to 10 only; here it is computed for any k from the range's distribution function
 *
 * <pre>  P(Q ≤ q) = k ∫ φ(z) [Φ(z) − Φ(z − q)]^(k−1) dz </pre>
 *
 * (the range of k independent standard normals), integrated with composite Simpson's rule over z ∈ [−9, 9] and
 * inverted with Commons Math's {@link BrentSolver}. It reproduces Table 5(a) (e.g. 2.569 for k = 4 at α = 0.05).
 */
public final class Nemenyi {
  private static final NormalDistribution N01 = new NormalDistribution(null, 0, 1);
  private static final int SIMPSON_INTERVALS = 4000;
  private static final double Z_LIMIT = 9;

  private Nemenyi() {}

  /** P(Q ≤ q) for the range of {@code k} independent standard normal values (Studentized range, df = ∞). */
  public static double rangeCdf(double q, int k) {
    if (k < 2) throw new IllegalArgumentException("the range needs k >= 2 values, found " + k);
    if (q <= 0) return 0;
    double h = 2 * Z_LIMIT / SIMPSON_INTERVALS;
    double s = 0;
    for (int i = 0; i <= SIMPSON_INTERVALS; i++) {
      double z = -Z_LIMIT + i * h;
      double inner = N01.cumulativeProbability(z) - N01.cumulativeProbability(z - q);
      double f = N01.density(z) * Math.pow(Math.max(0, inner), k - 1);
      s += (i == 0 || i == SIMPSON_INTERVALS ? 1 : i % 2 == 1 ? 4 : 2) * f;
    }
    return Math.min(1, k * s * h / 3);
  }

  /** Demšar's q_α for {@code k} methods: the (1 − α) quantile of the Studentized range (df = ∞) over √2. */
  public static double q(double alpha, int k) {
    if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), found " + alpha);
    if (k < 2) throw new IllegalArgumentException("the Nemenyi test compares k >= 2 methods, found " + k);
    double range = new BrentSolver(1e-10).solve(1000, x -> rangeCdf(x, k) - (1 - alpha), 1e-3, 20);
    return range / Math.sqrt(2);
  }

  /** The critical difference of average ranks for {@code k} methods over {@code n} datasets at level {@code alpha}. */
  public static double criticalDifference(double alpha, int k, int n) {
    if (n < 1) throw new IllegalArgumentException("the critical difference needs n >= 1 datasets, found " + n);
    return q(alpha, k) * Math.sqrt(k * (k + 1.0) / (6.0 * n));
  }

  /**
   * The groups of methods whose average ranks lie within {@code cd} of each other (not significantly different), as
   * the bars of a critical-difference diagram: each group is {@code {first, last}}, indices into {@code sortedRanks}
   * (ascending), spans of at least two methods, none contained in another.
   */
  public static List<int[]> groups(double[] sortedRanks, double cd) {
    List<int[]> out = new ArrayList<>();
    int lastEnd = -1;
    for (int i = 0; i < sortedRanks.length; i++) {
      if (i > 0 && sortedRanks[i] < sortedRanks[i - 1]) {
        throw new IllegalArgumentException("ranks must be sorted ascending, found " + sortedRanks[i - 1] + " before "
            + sortedRanks[i]);
      }
      int j = i;
      while (j + 1 < sortedRanks.length && sortedRanks[j + 1] - sortedRanks[i] < cd) j++;
      if (j > i && j > lastEnd) {
        out.add(new int[] {i, j});
        lastEnd = j;
      }
    }
    return out;
  }
}
