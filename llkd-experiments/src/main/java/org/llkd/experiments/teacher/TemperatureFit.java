package org.llkd.experiments.teacher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the softmax temperature that minimises the mean negative log-likelihood of the gold labels of a
 * few labelled rows over a fixed grid (temperature scaling, Guo et al. 2017, restricted to a grid so the
 * choice is reproducible and recordable). Temperature changes calibration, never the argmax.
 */
public final class TemperatureFit {
  /** Grid searched by default: covers the T = 0.01 .. 0.05 range measured in TEACHERS.md, and beyond. */
  public static final List<Double> DEFAULT_GRID = List.of(
      0.005, 0.0075, 0.01, 0.0125, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.15, 0.2);

  /** The chosen temperature, its NLL, and the NLL at every grid point (for provenance). */
  public record Result(double temperature, double nll, Map<Double, Double> nllByTemperature, int rows) {}

  private TemperatureFit() {}

  /**
   * Fits T on {@code scores} ({@code [n][numClasses]}, e.g. cosines) and {@code gold} ({@code [n]}).
   * Ties go to the smaller grid value.
   */
  public static Result fit(double[][] scores, int[] gold, List<Double> grid) {
    if (scores.length != gold.length || scores.length == 0) {
      throw new IllegalArgumentException("need as many gold labels as score rows (> 0), got " + scores.length + " vs " + gold.length);
    }
    if (grid.isEmpty()) throw new IllegalArgumentException("temperature grid is empty");
    Map<Double, Double> nlls = new LinkedHashMap<>();
    double bestT = Double.NaN;
    double bestNll = Double.POSITIVE_INFINITY;
    for (double t : grid) {
      double nll = meanNll(scores, gold, t);
      nlls.put(t, nll);
      if (nll < bestNll) {
        bestNll = nll;
        bestT = t;
      }
    }
    return new Result(bestT, bestNll, nlls, scores.length);
  }

  /** Mean {@code -log softmax(scores / t)[gold]}, computed with log-sum-exp. */
  public static double meanNll(double[][] scores, int[] gold, double t) {
    double total = 0;
    for (int i = 0; i < scores.length; i++) {
      double[] s = scores[i];
      double max = Double.NEGATIVE_INFINITY;
      for (double x : s) max = Math.max(max, x / t);
      double z = 0;
      for (double x : s) z += Math.exp(x / t - max);
      total += max + Math.log(z) - s[gold[i]] / t;
    }
    return total / scores.length;
  }
}
