package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.llkd.experiments.stats.Holm;
import org.llkd.experiments.stats.PairedComparison;
import org.llkd.experiments.stats.WilcoxonSignedRank;

/**
 * The paired block of one group of a method table: {@code reference − baseline} of one metric over the seeds both ran
 * (same seed = same training subset, initialisation and batch order), with the paired t-test and the exact Wilcoxon
 * signed-rank p-values, each Holm-corrected over the baselines of the group; bold marks what stays significant
 * (paired t-test, Holm, p &lt; 0.05); then one verdict line per baseline and one over all of them.
 */
final class PairedTable {
  /** Significance level of bold and verdicts. */
  static final double ALPHA = 0.05;

  private PairedTable() {}

  /** One baseline's comparison; {@code holmT}/{@code holmW} are NaN when the test could not be run. */
  record Row(String baseline, PairedComparison c, double holmT, double holmW) {
    boolean significant() {
      return !Double.isNaN(holmT) && holmT < ALPHA;
    }
  }

  static List<Row> rows(RawTable group, String reference, List<String> baselines, String column, Path source) {
    Map<Long, Double> ref = bySeed(group, reference, column, source);
    List<PairedComparison> cs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String b : baselines) {
      Map<Long, Double> base = bySeed(group, b, column, source);
      if (base.isEmpty() || ref.isEmpty()) continue;
      List<Long> seeds = ref.keySet().stream().filter(base::containsKey).toList();
      double[] x = seeds.stream().mapToDouble(ref::get).toArray();
      double[] y = seeds.stream().mapToDouble(base::get).toArray();
      cs.add(PairedComparison.of(x, y));
      names.add(b);
    }
    double[] pt = cs.stream().mapToDouble(PairedComparison::pT).toArray();
    double[] pw = cs.stream().mapToDouble(c -> c.wilcoxon().p()).toArray();
    double[] ht = Holm.adjust(pt);
    double[] hw = Holm.adjust(pw);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) out.add(new Row(names.get(i), cs.get(i), ht[i], hw[i]));
    return out;
  }

  /** Seed → value of {@code column} for {@code method}; a seed twice in one group is an error naming the file. */
  static Map<Long, Double> bySeed(RawTable group, String method, String column, Path source) {
    Map<Long, Double> m = new TreeMap<>();
    for (Map<String, String> r : group.rows()) {
      if (!method.equals(r.get("method"))) continue;
      String s = r.get("seed");
      String v = r.get(column);
      if (v == null || v.isEmpty()) continue;
      long seed;
      double value;
      try {
        seed = Long.parseLong(s);
        value = Double.parseDouble(v);
      } catch (NumberFormatException | NullPointerException e) {
        throw new IllegalArgumentException(source + ": run " + r.get("run_id") + ": expected a numeric seed and "
            + column + ", found seed '" + s + "', " + column + " '" + v + "'");
      }
      if (m.put(seed, value) != null) {
        throw new IllegalArgumentException(source + ": method " + method + " has seed " + seed + " twice in one group "
            + "(second: run " + r.get("run_id") + "); pairing by seed needs one run per method and seed — rebuild "
            + "raw.csv with --collect or remove the duplicate");
      }
    }
    return m;
  }

  static String markdown(RawTable group, String reference, List<String> baselines, String column, String label,
      Path source) {
    List<Row> rows = rows(group, reference, baselines, column, source);
    if (rows.isEmpty()) return "";
    StringBuilder sb = new StringBuilder();
    sb.append("Paired by seed: ").append(reference).append(" − baseline, test ").append(label)
        .append(" (Holm over the ").append(rows.size()).append(rows.size() == 1 ? " baseline" : " baselines")
        .append(" of this group):\n\n")
        .append("| baseline | pairs | Δ ").append(label).append(" (95% CI) | t-test p | p_holm | Wilcoxon p | p_holm (W) |\n")
        .append("|---|---|---|---|---|---|---|\n");
    boolean smallN = false;
    for (Row r : rows) {
      PairedComparison c = r.c();
      String diff = c.n() == 0 ? "–" : c.n() == 1 ? signed(c.difference().mean()) + " —"
          : signed(c.difference().mean()) + " ± " + fmt3(c.difference().halfWidth());
      String holm = p(r.holmT());
      if (r.significant()) {
        diff = "**" + diff + "**";
        holm = "**" + holm + "**";
      }
      WilcoxonSignedRank w = c.wilcoxon();
      String wp = p(w.p());
      if (w.nonZero() > 0 && w.nonZero() < WilcoxonSignedRank.MIN_N_FOR_05) {
        wp += " †";
        smallN = true;
      }
      sb.append("| ").append(r.baseline()).append(" | ").append(c.n()).append(" | ").append(diff).append(" | ")
          .append(p(c.pT())).append(" | ").append(holm).append(" | ").append(wp).append(" | ").append(p(r.holmW()))
          .append(" |\n");
    }
    sb.append('\n');
    if (smallN) {
      sb.append("† fewer than ").append(WilcoxonSignedRank.MIN_N_FOR_05).append(" non-zero differences: the exact "
          + "two-sided Wilcoxon test cannot reach p < 0.05 at all (smallest possible p = 2/2^n).\n\n");
    }
    sb.append(verdicts(reference, rows)).append('\n');
    return sb.toString();
  }

  /** One line per baseline, then the summary line over all of them (paired t-test, Holm). */
  static String verdicts(String reference, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    int better = 0;
    int worse = 0;
    int untestable = 0;
    for (Row r : rows) {
      sb.append("- ").append(reference).append(" > ").append(r.baseline()).append(": ");
      if (Double.isNaN(r.holmT()) && r.c().n() >= 2 && r.c().difference().mean() == 0) {
        sb.append("not significant (identical in all ").append(r.c().n()).append(" pairs)\n"); // no test needed
      } else if (Double.isNaN(r.holmT())) {
        untestable++;
        sb.append("not testable (").append(r.c().n()).append(r.c().n() == 1 ? " pair" : " pairs")
            .append(r.c().n() >= 2 ? ", the same difference in every pair" : "").append(")\n");
      } else if (r.significant() && r.c().difference().mean() > 0) {
        better++;
        sb.append("yes (p_holm ").append(eq(r.holmT())).append(")\n");
      } else if (r.significant()) {
        worse++;
        sb.append("no (").append(r.baseline()).append(" > ").append(reference).append(", p_holm ")
            .append(eq(r.holmT())).append(")\n");
      } else {
        sb.append("not significant (p_holm ").append(eq(r.holmT())).append(")\n");
      }
    }
    int n = rows.size();
    int ns = n - better - worse - untestable;
    sb.append("- **").append(reference).append(" > every baseline: ")
        .append(better == n ? "yes" : worse > 0 ? "no" : untestable == n ? "not testable" : "not significant").append("**")
        .append(" (significantly better than ").append(better).append(" of ").append(n).append(", worse than ")
        .append(worse).append(", not significant vs ").append(ns)
        .append(untestable > 0 ? ", not testable vs " + untestable : "").append(")\n");
    return sb.toString();
  }

  static String p(double p) {
    if (Double.isNaN(p)) return "–";
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  /** "= 0.003" or "< 0.001". */
  static String eq(double p) {
    String s = p(p);
    return s.startsWith("<") ? s : "= " + s;
  }

  /** "+0.012", "-0.034"; "0.000" when it rounds to zero (no "-0.000" from floating-point noise). */
  private static String signed(double v) {
    String s = String.format(Locale.ROOT, "%+.3f", v);
    return s.substring(1).equals("0.000") ? "0.000" : s;
  }

  private static String fmt3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
