package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The method table built from a small hand-made raw.csv and run directories: the paired block reproduces Student's
 * sleep data (t-test p 0.002833, 95% CI of the difference ±0.880, exact Wilcoxon 2/512) inside the table, Holm over
 * the group's baselines decides bold and the verdicts, flags count degenerate runs (and "?" where raw.csv lacks the
 * columns), a one-seed group shows "—", and the Provenance section counts commits, dirty runs and shared runs.
 */
class MethodTablesTest {
  static final double[] SLEEP_1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  static final double[] SLEEP_2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

  static final String HEADER = "run_id,dataset,method,seed,steps,updates,test_accuracy,test_macro_f1,data_used,"
      + "mean_ratio,teacher_acc_selected,teacher_acc_all,train_majority_share,test_top_pred_share,test_majority_acc,"
      + "status";

  /** One raw.csv row (run id dataset-method-s{seed}). */
  static String row(String dataset, String method, int seed, int updates, double acc, double f1, double teacherAll,
      String majorityShare, String topShare, String majorityAcc) {
    return String.join(",", dataset + "-" + method + "-s" + seed, dataset, method, Integer.toString(seed), "100",
        Integer.toString(updates), Double.toString(acc), Double.toString(f1), "0.5", "0.5", "0.6",
        Double.toString(teacherAll), majorityShare, topShare, majorityAcc, "ok");
  }

  /** Emotion: 10 seeds of llkd, all, soft, topk, gold; ag_news: one seed of llkd and all, without the new columns. */
  static Path writeExperiment(Path results) throws IOException {
    Path exp = results.resolve("MainResultsTable");
    List<String> lines = new ArrayList<>(List.of(HEADER));
    double[] softUp = {0.5, 0.6, 0.4, 0.55, 0.45, 0.5, 0.6, 0.4, 0.5, 0.5};
    double[] noise = {0.1, -0.1, 0.2, -0.2, 0.1, -0.1, 0.05, -0.05, 0.3, -0.3};
    for (int i = 0; i < 10; i++) {
      int s = i + 1;
      // teacher 0.40 on the training rows, majority share 0.45: a weak teacher
      lines.add(row("emotion", "llkd", s, 80, 0.6, SLEEP_2[i], 0.40, "0.45", "0.5", "0.3"));
      lines.add(row("emotion", "all", s, i == 0 ? 4 : 100, 0.6, SLEEP_1[i], 0.40, "0.45", "0.5", "0.3"));
      lines.add(row("emotion", "soft", s, 100, 0.6, SLEEP_2[i] + softUp[i], 0.40, "0.45", i < 2 ? "0.95" : "0.5", "0.3"));
      lines.add(row("emotion", "topk", s, 50, i == 3 ? 0.2 : 0.6, SLEEP_2[i] + noise[i], 0.40, "0.45", "0.9", "0.3"));
      lines.add(row("emotion", "gold", s, 100, 0.9, 9.0 + i, 0.40, "0.45", "0.5", "0.3"));
    }
    lines.add(row("ag_news", "llkd", 1, 5, 0.7, 0.5, 0.8, "", "", ""));
    lines.add(row("ag_news", "all", 1, 100, 0.7, 0.4, 0.8, "", "", ""));
    Files.createDirectories(exp);
    Files.writeString(exp.resolve("raw.csv"), String.join("\n", lines) + "\n");
    for (String l : lines.subList(1, lines.size())) {
      String id = l.substring(0, l.indexOf(','));
      Path run = Files.createDirectories(exp.resolve("runs").resolve(id));
      Files.writeString(run.resolve("metrics.csv"), "run_id\n" + id + "\n");
      if (id.equals("ag_news-all-s1")) continue; // no provenance.json
      // emotion runs: build stamp aaaa..., clean; ag_news-llkd: an old run with only the checkout HEAD, dirty
      String git = id.startsWith("emotion")
          ? "{\"commit\":\"" + "b".repeat(40) + "\",\"dirty\":false,\"build\":{\"commit\":\"" + "a".repeat(40)
              + "\",\"dirty\":" + id.equals("emotion-gold-s10") + "}}"
          : "{\"commit\":\"" + "c".repeat(40) + "\",\"dirty\":true}";
      Files.writeString(run.resolve("provenance.json"), "{\"what\":\"train run\",\"git\":" + git + "}\n");
    }
    // a sibling experiment holding a copy of emotion-llkd-s1, and another run of the same name that is not a copy
    Path copy = Files.createDirectories(results.resolve("Fig3Ablation/runs/emotion-llkd-s1"));
    Files.copy(exp.resolve("runs/emotion-llkd-s1/metrics.csv"), copy.resolve("metrics.csv"));
    Path other = Files.createDirectories(results.resolve("Fig4SelectionQuality/runs/emotion-llkd-s2"));
    Files.writeString(other.resolve("metrics.csv"), "run_id\nsomething else\n");
    return exp;
  }

  @Test void statisticsBlockReproducesThePublishedValues(@TempDir Path tmp) throws IOException {
    Path exp = writeExperiment(tmp);
    String md = MethodTables.markdown(RawTable.read(exp.resolve("raw.csv")), "Main results", "dataset",
        MainResultsTable.METHODS, "note");
    // mean ± 95% CI over seeds: llkd macro-F1 = mean 2.33, sd 2.002, t(.975, 9) = 2.262 -> ± 1.432
    assertTrue(md.contains(String.format(Locale.ROOT, "| 10 | 0.600 ± 0.000 | 2.330 ± %.3f |",
        2.2621571627982053 * sd(SLEEP_2) / Math.sqrt(10))), md);
    assertTrue(md.contains("(Holm over the 3 baselines of this group)"), "gold is no baseline:\n" + md);
    // llkd − all = sleep drug 2 − drug 1: +1.580, CI ± 0.880, p 0.002833; Holm: soft (smallest p) x3, then all x2
    assertTrue(md.contains("| all | 10 | **+1.580 ± 0.880** | 0.003 | **0.006** | 0.004 | "), md);
    assertTrue(md.contains("- llkd > all: yes (p_holm = 0.006)"), md);
    assertTrue(md.contains("- llkd > soft: no (soft > llkd, p_holm < 0.001)"), md);
    assertTrue(md.contains("| topk | 10 | 0.000 ± 0.132 | 1.000 | 1.000 |"), "no -0.000 from rounding noise:\n" + md);
    assertTrue(md.contains("- llkd > topk: not significant (p_holm = 1.000)"), md);
    assertTrue(md.contains("- **llkd > every baseline: no** (significantly better than 1 of 3, worse than 1, "
        + "not significant vs 1)"), md);
    assertFalse(md.contains("† fewer than 6"), "10 pairs: the Wilcoxon test can reach 0.05:\n" + md);
  }

  @Test void flagsAndWeakTeacher(@TempDir Path tmp) throws IOException {
    Path exp = writeExperiment(tmp);
    String md = MethodTables.markdown(RawTable.read(exp.resolve("raw.csv")), "Main results", "dataset",
        MainResultsTable.METHODS, null);
    String emotion = md.substring(md.indexOf("## emotion"), md.indexOf("## ag_news"));
    assertTrue(emotion.contains("**Weak teacher**: the teacher's accuracy on the training rows (0.400) is at or below "
        + "their majority-class share (0.450)"), emotion);
    assertTrue(emotion.contains("\n| llkd | 10 |"), "llkd's runs are all clear:\n" + emotion);
    assertTrue(emotion.contains("\n| all [U1] | 10 |"), "4 of 100 steps updated in one run:\n" + emotion);
    assertTrue(emotion.contains("\n| soft [C2] | 10 |"), "two runs predict one class 95% of the time:\n" + emotion);
    // topk: 0.9 top share is flagged (>= 90%) in all 10 runs; one run below the majority baseline
    assertTrue(emotion.contains("\n| topk [C10 M1] | 10 |"), emotion);
    String ag = md.substring(md.indexOf("## ag_news"), md.indexOf("## Provenance"));
    assertTrue(ag.contains("Weak-teacher check: ?"), ag);
    // llkd: 5 of 100 updates is exactly 5%: not flagged; the other two flags cannot be judged
    assertTrue(ag.contains("\n| llkd [C? M?] | 1 | 0.700 — | 0.500 — |"), "one seed shows — :\n" + ag);
    assertFalse(ag.contains("± 0.000"), ag);
    assertTrue(ag.contains("| all | 1 | +0.100 — | – | – | – | – |"), ag);
    assertTrue(ag.contains("- llkd > all: not testable (1 pair)"), ag);
  }

  @Test void provenanceSection(@TempDir Path tmp) throws IOException {
    Path exp = writeExperiment(tmp);
    String md = MethodTables.markdown(RawTable.read(exp.resolve("raw.csv")), "Main results", "dataset",
        MainResultsTable.METHODS, "llkd", null, "## Headline\n\nextra");
    assertTrue(md.startsWith("# Main results\n\n> **dirty**: 2 of 52 runs ran from a git tree with uncommitted "
        + "changes"), md);
    String prov = md.substring(md.indexOf("## Provenance"));
    assertTrue(md.indexOf("## Headline") < md.indexOf("## Provenance"), "Provenance closes the table");
    assertTrue(prov.startsWith("## Provenance\n\n52 runs from 3 commits; 2 from a dirty tree; 1 shared with another "
        + "table."), prov);
    assertTrue(prov.contains("| aaaaaaa | build stamp | 50 | 1 |"), prov);
    assertTrue(prov.contains("| ccccccc | checkout HEAD (no build stamp) | 1 | 1 |"), prov);
    assertTrue(prov.contains("| unknown | no provenance.json | 1 | 0 |"), prov);
    assertTrue(prov.contains("Runs (52): emotion-llkd-s1, emotion-all-s1,"), prov);
    assertTrue(prov.contains("ag_news-all-s1."), prov);
    assertTrue(prov.contains("Shared with Fig3Ablation (1, "), prov);
    assertTrue(prov.contains("metrics.csv, under Fig3Ablation/runs): emotion-llkd-s1."), prov);
    assertFalse(prov.contains("Fig4SelectionQuality"), "a same-named run with other metrics is not a copy:\n" + prov);
  }

  @Test void duplicateSeedIsAnErrorNamingTheFile(@TempDir Path tmp) throws IOException {
    Path exp = writeExperiment(tmp);
    Files.writeString(exp.resolve("raw.csv"), row("emotion", "llkd", 1, 80, 0.6, 0.5, 0.4, "0.45", "0.5", "0.3") + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodTables.markdown(
        RawTable.read(exp.resolve("raw.csv")), "t", "dataset", MainResultsTable.METHODS, null));
    assertTrue(e.getMessage().contains("raw.csv: method llkd has seed 1 twice"), e.getMessage());
  }

  @Test void badFlagValueIsAnErrorNamingRunAndColumn(@TempDir Path tmp) throws IOException {
    Path exp = writeExperiment(tmp);
    String raw = Files.readString(exp.resolve("raw.csv")).replace(",0.95,", ",high,");
    Files.writeString(exp.resolve("raw.csv"), raw);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodTables.markdown(
        RawTable.read(exp.resolve("raw.csv")), "t", "dataset", MainResultsTable.METHODS, null));
    assertTrue(e.getMessage().contains("raw.csv: run emotion-soft-s1, column test_top_pred_share: expected a number, "
        + "found 'high'"), e.getMessage());
  }

  @Test void verdictWithoutAVarianceToTest() {
    // pubmed_rct_sample in the quick tier: every method predicts the majority class, so the differences are all 0
    PairedTable.Row same = new PairedTable.Row("all", org.llkd.experiments.stats.PairedComparison.of(
        new double[] {0.2, 0.3, 0.25}, new double[] {0.2, 0.3, 0.25}), Double.NaN, Double.NaN);
    PairedTable.Row shifted = new PairedTable.Row("soft", org.llkd.experiments.stats.PairedComparison.of(
        new double[] {0.5, 0.75}, new double[] {0.25, 0.5}), Double.NaN, Double.NaN);
    String v = PairedTable.verdicts("llkd", List.of(same, shifted));
    assertTrue(v.contains("- llkd > all: not significant (identical in all 3 pairs)\n"), v);
    assertTrue(v.contains("- llkd > soft: not testable (2 pairs, the same difference in every pair)\n"), v);
    assertTrue(v.contains("- **llkd > every baseline: not significant** (significantly better than 0 of 2, worse "
        + "than 0, not significant vs 1, not testable vs 1)"), v);
  }

  private static double sd(double[] v) {
    double m = 0;
    for (double x : v) m += x;
    m /= v.length;
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return Math.sqrt(s / (v.length - 1));
  }
}
