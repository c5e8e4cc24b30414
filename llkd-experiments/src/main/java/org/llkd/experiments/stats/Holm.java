package org.llkd.experiments.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down correction (Holm 1979, "A simple sequentially rejective multiple test procedure"): with the m
 * p-values sorted ascending, {@code p_holm(i) = max_{j <= i} min(1, (m - j + 1) · p(j))}. Rejecting every hypothesis
 * with {@code p_holm < alpha} controls the family-wise error rate at alpha.
 */
public final class Holm {
  private Holm() {}

  /** The Holm-adjusted p-values, in the order of {@code p}; NaN entries stay NaN and are not counted in m. */
  public static double[] adjust(double[] p) {
    Integer[] order = new Integer[p.length];
    int m = 0;
    for (int i = 0; i < p.length; i++) {
      if (!Double.isNaN(p[i]) && (p[i] < 0 || p[i] > 1)) {
        throw new IllegalArgumentException("p-value " + i + " is " + p[i] + ", expected in [0, 1]");
      }
      order[i] = i;
      if (!Double.isNaN(p[i])) m++;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(p[i]) ? Double.POSITIVE_INFINITY : p[i]));
    double[] out = new double[p.length];
    Arrays.fill(out, Double.NaN);
    double running = 0;
    for (int k = 0; k < m; k++) {
      int i = order[k];
      running = Math.max(running, Math.min(1.0, (m - k) * p[i]));
      out[i] = running;
    }
    return out;
  }
}
