package org.llkd.experiments.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact two-sided Wilcoxon signed-rank test of paired differences (Wilcoxon 1945). Zero differences are dropped
 * (Wilcoxon's convention), tied |differences| get their mid-rank, and the p-value comes from the exact permutation
 * distribution of W+ over all 2^n sign assignments of those ranks (conditional on the ties), counted by dynamic
 * programming over doubled ranks. Hand-written because Commons Math's exact p-value ranks 1..n, ignoring ties and
 * counting zero differences as negative.
 *
 * @param nonZero number of non-zero differences (the n of the test)
 * @param wPlus sum of the ranks of the positive differences
 * @param p two-sided exact p-value, {@code min(1, 2 · min(P(W+ <= w), P(W+ >= w)))}; NaN when {@code nonZero == 0}
 */
public record WilcoxonSignedRank(int nonZero, double wPlus, double p) {

  /** The smallest two-sided p-value the test can give with {@code nonZero} differences: {@code 2 / 2^n}. */
  public static double minimumP(int nonZero) {
    return nonZero == 0 ? Double.NaN : Math.min(1.0, 2.0 / Math.pow(2, nonZero));
  }

  /** Fewest non-zero differences with which the two-sided test can reach p < 0.05 (2 / 2^6 = 0.031). */
  public static final int MIN_N_FOR_05 = 6;

  public static WilcoxonSignedRank test(double[] differences) {
    List<Double> abs = new ArrayList<>();
    List<Boolean> positive = new ArrayList<>();
    for (double d : differences) {
      if (Double.isNaN(d)) throw new IllegalArgumentException("NaN difference in " + Arrays.toString(differences));
      if (d == 0) continue;
      abs.add(Math.abs(d));
      positive.add(d > 0);
    }
    int n = abs.size();
    if (n == 0) return new WilcoxonSignedRank(0, 0, Double.NaN);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(abs.get(a), abs.get(b)));
    int[] rank2 = new int[n]; // doubled mid-ranks: integers even with ties
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && abs.get(order[j + 1]).equals(abs.get(order[i]))) j++;
      for (int k = i; k <= j; k++) rank2[order[k]] = (i + 1) + (j + 1); // 2 · mean of ranks i+1..j+1
      i = j + 1;
    }
    int w2 = 0;
    int total2 = 0;
    for (int i = 0; i < n; i++) {
      total2 += rank2[i];
      if (positive.get(i)) w2 += rank2[i];
    }
    // count[s] = number of sign assignments whose doubled W+ is s; each sign pattern has probability 2^-n.
    double[] count = new double[total2 + 1];
    count[0] = 1;
    int reach = 0;
    for (int r : rank2) {
      for (int s = reach; s >= 0; s--) if (count[s] != 0) count[s + r] += count[s];
      reach += r;
    }
    double all = Math.pow(2, n);
    double lower = 0;
    double upper = 0;
    for (int s = 0; s <= total2; s++) {
      if (s <= w2) lower += count[s];
      if (s >= w2) upper += count[s];
    }
    double p = Math.min(1.0, 2 * Math.min(lower, upper) / all);
    return new WilcoxonSignedRank(n, w2 / 2.0, p);
  }
}
