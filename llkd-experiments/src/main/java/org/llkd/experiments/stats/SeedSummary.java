package org.llkd.experiments.stats;

import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean of one metric over seeds with the half-width of its two-sided 95% Student-t confidence interval,
 * {@code t(0.975, n-1) · sd / sqrt(n)} (sd: sample standard deviation). With one seed there is no interval
 * ({@link #halfWidth} is NaN) and {@link #cell} prints "—" instead of a spread.
 *
 * @param n number of values (seeds)
 * @param mean their mean (NaN when {@code n == 0})
 * @param sd sample standard deviation (NaN when {@code n < 2})
 * @param halfWidth half-width of the 95% interval (NaN when {@code n < 2})
 */
public record SeedSummary(int n, double mean, double sd, double halfWidth) {
  /** Two-sided confidence level of every interval in the tables. */
  public static final double LEVEL = 0.95;

  public static SeedSummary of(double[] v) {
    int n = v.length;
    if (n == 0) return new SeedSummary(0, Double.NaN, Double.NaN, Double.NaN);
    double m = 0;
    for (double x : v) m += x;
    m /= n;
    if (n == 1) return new SeedSummary(1, m, Double.NaN, Double.NaN);
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    double sd = Math.sqrt(ss / (n - 1));
    return new SeedSummary(n, m, sd, tQuantile(n - 1) * sd / Math.sqrt(n));
  }

  /** {@code t(1 - (1 - LEVEL) / 2, df)}: 12.706 for df 1, 2.262 for df 9. */
  public static double tQuantile(int df) {
    return new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
  }

  /** "0.523 ± 0.057" ({@code digits} decimals); "0.523 —" for one seed; "–" for none. */
  public String cell(int digits) {
    if (n == 0) return "–";
    String f = "%." + digits + "f";
    String m = String.format(Locale.ROOT, f, mean);
    return n == 1 ? m + " —" : m + " ± " + String.format(Locale.ROOT, f, halfWidth);
  }
}
