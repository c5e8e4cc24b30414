package org.llkd.experiments.stats;

import java.util.Locale;

/**
 * Whether two sets of seeds of the same recipe agree "within the seed spread" (used to set this implementation's runs
 * beside an independent reference's). The rule, with x our values (n₁ seeds) and y the reference's (n₂ seeds):
 *
 * <pre>
 *   Δ   = mean(x) − mean(y)
 *   s_p = sqrt( ((n₁ − 1) s₁² + (n₂ − 1) s₂²) / (n₁ + n₂ − 2) )     pooled sample sd (sides with ≥ 2 seeds only)
 *   tol = max(2 · s_p, FLOOR)
 *   within  ⇔  |Δ| ≤ tol
 * </pre>
 *
 * Two pooled standard deviations: a difference of means that a single seed's scatter already produces is not a
 * discrepancy. {@link #FLOOR} (0.005, half a point of accuracy or macro-F1) keeps the rule from calling a difference
 * "outside" only because three seeds happened to agree closely (s_p near 0). This is a descriptive agreement check,
 * not a test: with 3 seeds per side it is loose by design and says nothing about equality. When neither side has 2
 * seeds there is no spread and the pair is not judged. docs/statistics.md states the same rule.
 *
 * @param delta Δ (NaN when a side has no value)
 * @param pooledSd s_p (NaN when neither side has 2 values)
 * @param tolerance max(2 s_p, FLOOR) (NaN when not judged)
 * @param judged both sides have a value and at least one side has 2
 * @param within judged and |Δ| ≤ tolerance
 */
public record SeedSpread(double delta, double pooledSd, double tolerance, boolean judged, boolean within) {
  /** Smallest tolerance: 0.005 (half a percentage point). */
  public static final double FLOOR = 0.005;

  public static SeedSpread of(double[] ours, double[] reference) {
    if (ours.length == 0 || reference.length == 0) return new SeedSpread(Double.NaN, Double.NaN, Double.NaN, false, false);
    SeedSummary a = SeedSummary.of(ours);
    SeedSummary b = SeedSummary.of(reference);
    double delta = a.mean() - b.mean();
    double ss = 0;
    int df = 0;
    for (SeedSummary s : new SeedSummary[] {a, b}) {
      if (s.n() >= 2) {
        ss += (s.n() - 1) * s.sd() * s.sd();
        df += s.n() - 1;
      }
    }
    if (df == 0) return new SeedSpread(delta, Double.NaN, Double.NaN, false, false);
    double sp = Math.sqrt(ss / df);
    double tol = Math.max(2 * sp, FLOOR);
    return new SeedSpread(delta, sp, tol, true, Math.abs(delta) <= tol);
  }

  /** "+0.012 (|Δ| ≤ 0.030 = 2 × pooled sd 0.015)", "−0.078 (|Δ| > 0.030 = floor)", or "+0.012 (not judged: …)". */
  public String describe() {
    if (Double.isNaN(delta)) return "– (no runs on one side)";
    String d = String.format(Locale.ROOT, "%+.3f", delta).replace("-", "−");
    if (!judged) return d + " (not judged: one seed on each side, no spread)";
    String why = 2 * pooledSd >= FLOOR ? String.format(Locale.ROOT, "2 × pooled sd %.3f", pooledSd)
        : String.format(Locale.ROOT, "the floor; pooled sd %.3f", pooledSd);
    return String.format(Locale.ROOT, "%s (|Δ| %s %.3f = %s)", d, within ? "≤" : ">", tolerance, why);
  }
}
