package org.llkd.experiments.teacher.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy k-center (Gonzalez 1985; the core-set selection of Sener &amp; Savarese, ICLR 2018): repeatedly take the
 * candidate farthest (Euclidean) from everything chosen so far, so the picks cover the embedding space. Ties go to
 * the lowest index, so the result is a function of the inputs alone.
 */
public final class KCenter {
  private KCenter() {}

  /**
   * @param emb        [n][d] embeddings of every pool row
   * @param centers    rows already chosen (labelled); may be empty
   * @param candidates rows that may be picked
   * @param k          how many to pick (at most candidates.size())
   * @param first      the first pick when {@code centers} is empty (a candidate)
   * @return the picks, in pick order
   */
  public static List<Integer> select(double[][] emb, List<Integer> centers, List<Integer> candidates, int k, int first) {
    int m = candidates.size();
    k = Math.min(k, m);
    double[] dist = new double[m]; // distance of candidate j to the nearest chosen row
    java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
    boolean[] taken = new boolean[m];
    for (int c : centers) update(emb, c, candidates, dist);
    List<Integer> out = new ArrayList<>(k);
    if (centers.isEmpty() && k > 0) {
      int j = candidates.indexOf(first);
      if (j < 0) throw new IllegalArgumentException("first pick " + first + ": expected one of the candidates");
      taken[j] = true;
      out.add(first);
      update(emb, first, candidates, dist);
    }
    while (out.size() < k) {
      int best = -1;
      for (int j = 0; j < m; j++) {
        if (!taken[j] && (best < 0 || dist[j] > dist[best])) best = j;
      }
      taken[best] = true;
      out.add(candidates.get(best));
      update(emb, candidates.get(best), candidates, dist);
    }
    return out;
  }

  private static void update(double[][] emb, int c, List<Integer> candidates, double[] dist) {
    double[] e = emb[c];
    for (int j = 0; j < candidates.size(); j++) {
      double[] x = emb[candidates.get(j)];
      double s = 0;
      for (int t = 0; t < e.length; t++) {
        double d = x[t] - e[t];
        s += d * d;
      }
      dist[j] = Math.min(dist[j], Math.sqrt(s));
    }
  }
}
