package org.llkd.experiments.exp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.report.TableProvenance;
import org.llkd.experiments.stats.Friedman;
import org.llkd.experiments.stats.Nemenyi;
import org.llkd.experiments.stats.SeedSummary;
import org.llkd.models.io.AtomicFiles;

/**
 * Across datasets (issue 26, item 3): reads the main table's {@code raw.csv} (a sibling folder
 * {@code MainResultsTable/} of this experiment's output) and writes, in {@code results/Summary/}:
 *
 * <ul>
 *   <li>the average rank of every method per metric (test macro-F1, test accuracy), ranks taken per dataset over the
 *       mean of its seeds, rank 1 = best;
 *   <li>Friedman's test with the Iman–Davenport F variant ({@link Friedman}) and the Nemenyi critical difference
 *       ({@link Nemenyi}) at α = 0.05, with a critical-difference diagram per metric ({@code cd_<metric>.png});
 *   <li>the data-efficiency view: macro-F1 against data used for LLKD, the ratio-matched baselines (random, top-k,
 *       small-loss) and all pseudo-labels, per dataset ({@code data_efficiency.png}), next to the paper's 3.7%.
 * </ul>
 *
 * Partial data is expected while the grid runs: the comparison uses the block of datasets × methods that is complete
 * (every method has at least one finished run on every dataset), chosen as the larger of "every method, the datasets
 * that have them all" and "every dataset, the methods they all have"; what is left out is named. Gold is an upper
 * bound and never ranked. With fewer than 2 complete datasets the table says so and runs no test. It trains nothing.
 */
public final class Summary implements Experiment {
  /** The experiment whose raw.csv is summarised (a sibling folder of the output). */
  public static final String SOURCE = "MainResultsTable";
  /** Significance level of the Friedman and Nemenyi tests. */
  public static final double ALPHA = 0.05;
  /** The metrics ranked: raw.csv column and label. */
  static final List<String[]> METRICS = List.of(new String[] {"test_macro_f1", "test macro-F1"},
      new String[] {"test_accuracy", "test accuracy"});
  /** Methods of the data-efficiency view: LLKD, its ratio-matched baselines, and all pseudo-labels for reference. */
  static final List<String> EFFICIENCY = List.of("llkd", "random", "topk", "smallloss", "all");
  /** The paper's headline data used (PubMed-RCT-20k). */
  static final double PAPER_DATA_USED = 0.037;

  @Override public String name() { return "Summary"; }

  @Override public String description() {
    return "Across datasets: average ranks, Friedman/Iman-Davenport and Nemenyi CD diagrams, macro-F1 vs data used "
        + "(reads results/MainResultsTable/raw.csv; trains nothing)";
  }

  @Override public List<String> defaultDatasets() { return List.of("emotion"); }

  /** Rebuilds from the sibling MainResultsTable and records provenance.json; the tier, seeds and datasets are unused. */
  @Override public void run(ExperimentOptions o) {
    Path dir = o.output().out().toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir, e);
    }
    Provenance p = new Provenance(name(), Map.of("source", SOURCE, "alpha", ALPHA), List.of());
    Path raw = source(dir).resolve("raw.csv");
    if (Files.isRegularFile(raw)) p.input(SOURCE + ".raw.csv", raw);
    p.put("note", "built from the sibling " + SOURCE + "/raw.csv and its runs' provenance.json; no training");
    p.write(dir.resolve("provenance.json"));
    build(dir);
  }

  static Path source(Path expDir) {
    return expDir.toAbsolutePath().normalize().getParent().resolve(SOURCE);
  }

  @Override public void build(Path expDir) {
    Path src = source(expDir);
    Path rawCsv = src.resolve("raw.csv");
    String md;
    if (!Files.isRegularFile(rawCsv)) {
      md = "# Across datasets\n\nNo `" + SOURCE + "/raw.csv` beside this folder (" + rawCsv + "): nothing to "
          + "summarise yet. Run `llkd run " + SOURCE + "` first.\n";
    } else {
      md = markdown(RawTable.read(rawCsv), expDir);
    }
    AtomicFiles.writeString(expDir.resolve("table.md"), md);
  }

  /** The ranked block: datasets × methods with every cell present, and what was left out. */
  record Block(List<String> datasets, List<String> methods, Map<String, List<String>> excludedDatasets,
      List<String> excludedMethods) {}

  /** Picks the complete block (see the class comment) from the ok rows of {@code raw}. */
  static Block block(RawTable ok, List<String> order) {
    List<String> datasets = ok.distinct("dataset");
    Map<String, Set<String>> has = new LinkedHashMap<>();
    Set<String> universe = new LinkedHashSet<>();
    for (String d : datasets) {
      Set<String> ms = new LinkedHashSet<>();
      for (String m : order) {
        if (ok.values("test_macro_f1", r -> d.equals(r.get("dataset")) && m.equals(r.get("method"))).length > 0) {
          ms.add(m);
          universe.add(m);
        }
      }
      has.put(d, ms);
    }
    List<String> allMethods = order.stream().filter(universe::contains).toList();
    // A: every method, the datasets that have them all
    List<String> dA = datasets.stream().filter(d -> has.get(d).containsAll(allMethods)).toList();
    // B: every dataset, the methods all of them have
    List<String> mB = allMethods.stream().filter(m -> datasets.stream().allMatch(d -> has.get(d).contains(m))).toList();
    long cellsA = allMethods.size() >= 2 ? (long) dA.size() * allMethods.size() : -1;
    long cellsB = mB.size() >= 2 ? (long) datasets.size() * mB.size() : -1;
    boolean useA = cellsA > cellsB || (cellsA == cellsB && dA.size() >= datasets.size());
    List<String> ds = useA ? dA : datasets;
    List<String> ms = useA ? allMethods : mB;
    Map<String, List<String>> exD = new LinkedHashMap<>();
    for (String d : datasets) {
      if (!ds.contains(d)) exD.put(d, ms.stream().filter(m -> !has.get(d).contains(m)).toList());
    }
    List<String> exM = allMethods.stream().filter(m -> !ms.contains(m)).toList();
    return new Block(ds, ms, exD, exM);
  }

  /** Mean over seeds of {@code column} for (dataset, method), from ok rows. */
  static double mean(RawTable ok, String column, String dataset, String method) {
    return SeedSummary.of(ok.values(column, MethodTables.row("dataset", dataset, method))).mean();
  }

  static String markdown(RawTable raw, Path expDir) {
    RawTable ok = raw.filter(r -> "ok".equals(r.get("status")));
    List<String> ranked = MainResultsTable.METHODS.stream().filter(m -> !m.equals("gold")).toList();
    Block b = block(ok, ranked);
    StringBuilder sb = new StringBuilder("# Across datasets\n\n");
    sb.append("Source: `").append(SOURCE).append("/raw.csv` (").append(ok.rows().size()).append(" finished runs on ")
        .append(ok.distinct("dataset").size()).append(" dataset(s)). Each cell is the mean over the seeds a method has "
        + "on a dataset; per dataset the methods are ranked on it (1 = best, ties share the mean rank); gold (an upper "
        + "bound) is not ranked. Tests: Friedman with the Iman–Davenport F (Demšar 2006), Nemenyi critical difference "
        + "at α = 0.05 (docs/statistics.md).\n\n");
    sb.append(unlisted(raw, source(expDir)));
    sb.append("Ranked: ").append(b.datasets().size()).append(" dataset(s) (")
        .append(b.datasets().isEmpty() ? "none" : String.join(", ", b.datasets())).append(") × ")
        .append(b.methods().size()).append(" method(s) (").append(String.join(", ", b.methods())).append(").\n");
    b.excludedDatasets().forEach((d, missing) -> sb.append("- excluded dataset **").append(d).append("**: no finished "
        + "run of ").append(String.join(", ", missing)).append('\n'));
    if (!b.excludedMethods().isEmpty()) {
      sb.append("- methods left out (not finished on every ranked dataset): ")
          .append(String.join(", ", b.excludedMethods())).append('\n');
    }
    sb.append('\n');
    int n = b.datasets().size();
    int k = b.methods().size();
    if (n == 0 || k < 2) {
      sb.append("**Nothing to rank**: no dataset has two or more methods finished.\n\n");
    } else {
      if (n < 2) {
        sb.append("**Only ").append(n).append(" dataset**: a comparison across datasets needs at least 2; no Friedman "
            + "test, no critical difference and no CD diagram. The ranks below are those of that one dataset.\n\n");
      }
      for (String[] metric : METRICS) sb.append(metricSection(ok, b, metric, expDir));
    }
    sb.append(efficiency(ok, expDir));
    TableProvenance prov = TableProvenance.of(source(expDir), ok.rows());
    sb.append(prov.markdown(TableProvenance.builtBy(Summary.class.getSimpleName() + "` from `" + SOURCE
        + "/raw.csv` and the runs under `" + SOURCE + "/runs/")));
    return sb.toString();
  }

  /** A warning when finished runs under runs/ are missing from raw.csv (a grid run per dataset, not collected). */
  private static String unlisted(RawTable raw, Path src) {
    Path runs = src.resolve("runs");
    if (!Files.isDirectory(runs)) return "";
    Set<String> listed = new LinkedHashSet<>(raw.distinct("run_id"));
    List<String> missing = new ArrayList<>();
    try (Stream<Path> s = Files.list(runs)) {
      for (Path d : s.sorted().toList()) {
        String id = d.getFileName().toString();
        if (Files.isRegularFile(d.resolve("metrics.csv")) && !listed.contains(id)) missing.add(id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + runs, e);
    }
    if (missing.isEmpty()) return "";
    return "> **" + missing.size() + " finished run(s) under `" + SOURCE + "/runs/` are not in its raw.csv** (e.g. "
        + String.join(", ", missing.subList(0, Math.min(5, missing.size()))) + "): a grid run per dataset rewrites raw.csv "
        + "with its own runs only. Run `llkd run " + SOURCE + " --collect`, then rebuild this summary.\n\n";
  }

  private static String metricSection(RawTable ok, Block b, String[] metric, Path expDir) {
    int n = b.datasets().size();
    int k = b.methods().size();
    double[][] scores = new double[n][k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) scores[i][j] = mean(ok, metric[0], b.datasets().get(i), b.methods().get(j));
    }
    StringBuilder sb = new StringBuilder("## ").append(metric[1]).append("\n\n| dataset |");
    for (String m : b.methods()) sb.append(' ').append(m).append(" |");
    sb.append("\n|---|");
    for (int j = 0; j < k; j++) sb.append("---|");
    sb.append('\n');
    double[] sum = new double[k];
    for (int i = 0; i < n; i++) {
      double[] r = Friedman.ranks(scores[i]);
      sb.append("| ").append(b.datasets().get(i)).append(" |");
      for (int j = 0; j < k; j++) {
        sum[j] += r[j];
        sb.append(String.format(Locale.ROOT, " %.3f (%s) |", scores[i][j], rank(r[j])));
      }
      sb.append('\n');
    }
    sb.append("| **average rank** |");
    double[] avg = new double[k];
    for (int j = 0; j < k; j++) {
      avg[j] = sum[j] / n;
      sb.append(String.format(Locale.ROOT, " **%.3f** |", avg[j]));
    }
    sb.append("\n\n");
    if (n < 2) return sb.toString();
    Friedman f = Friedman.of(scores);
    double cd = Nemenyi.criticalDifference(ALPHA, k, n);
    double q = Nemenyi.q(ALPHA, k);
    int[] df = f.fDegrees();
    sb.append(String.format(Locale.ROOT, "- Friedman: χ²_F = %.3f (df %d, p = %s); Iman–Davenport F_F = %s (df %d, %d; "
            + "p = %s): %s.%n", f.chiSquare(), k - 1, p(f.pChiSquare()),
        Double.isInfinite(f.imanDavenport()) ? "∞" : String.format(Locale.ROOT, "%.3f", f.imanDavenport()), df[0], df[1],
        p(f.pImanDavenport()), f.pImanDavenport() < ALPHA ? "**the methods' ranks differ** (p < 0.05)"
            : "no evidence that the methods' ranks differ (p ≥ 0.05)"));
    if (n <= 10) {
      sb.append("- With N = ").append(n).append(" datasets the χ² approximation is poor (Demšar: N > 10, k > 5); read "
          + "F_F.\n");
    }
    sb.append(String.format(Locale.ROOT, "- Nemenyi: q_0.05 = %.3f for k = %d, CD = %.3f average ranks (N = %d).%n", q,
        k, cd, n));
    List<String> diff = new ArrayList<>();
    for (int a = 0; a < k; a++) {
      for (int c = a + 1; c < k; c++) {
        if (Math.abs(avg[a] - avg[c]) >= cd) {
          boolean aBetter = avg[a] < avg[c];
          diff.add(String.format(Locale.ROOT, "%s > %s (%.2f vs %.2f)", b.methods().get(aBetter ? a : c),
              b.methods().get(aBetter ? c : a), Math.min(avg[a], avg[c]), Math.max(avg[a], avg[c])));
        }
      }
    }
    sb.append("- Pairs whose average ranks differ by at least the CD: ")
        .append(diff.isEmpty() ? "none" : String.join("; ", diff)).append(".\n");
    if (b.methods().contains(MethodTables.REFERENCE)) {
      int l = b.methods().indexOf(MethodTables.REFERENCE);
      int better = 0;
      int worse = 0;
      for (int j = 0; j < k; j++) {
        if (j == l) continue;
        if (avg[j] - avg[l] >= cd) better++;
        if (avg[l] - avg[j] >= cd) worse++;
      }
      sb.append(String.format(Locale.ROOT, "- **llkd across datasets (%s)**: average rank %.2f of %d; significantly "
          + "better than %d of %d methods, worse than %d (Nemenyi, α = 0.05).%n", metric[1], avg[l], k, better, k - 1,
          worse));
    }
    String png = "cd_" + metric[0] + ".png";
    CdDiagram.write(expDir.resolve(png), String.format(Locale.ROOT, "%s: average ranks over %d datasets, "
        + "Nemenyi CD at α = 0.05", metric[1], n), b.methods(), avg, cd);
    sb.append("\n![CD diagram, ").append(metric[1]).append("](").append(png).append(")\n\n");
    return sb.toString();
  }

  private static String rank(double r) {
    return r == Math.rint(r) ? Integer.toString((int) r) : String.format(Locale.ROOT, "%.1f", r);
  }

  private static String p(double p) {
    return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  /** Macro-F1 against data used for LLKD, the ratio-matched baselines and all, per dataset; table and figure. */
  private static String efficiency(RawTable ok, Path expDir) {
    StringBuilder sb = new StringBuilder("## Data efficiency: macro-F1 against data used\n\n"
        + "The paper reports LLKD using as little as **3.7%** of the data (PubMed-RCT-20k). Here: data used = the "
        + "fraction of the training rows selected at least once (`data_used`), mean ratio = the mean fraction of each "
        + "batch selected (`mean_ratio`); random, top-k and small-loss run at LLKD's mean ratio of the same seed; all "
        + "pseudo-labels use everything. Mean over seeds (macro-F1 ± 95% CI).\n\n"
        + "| dataset | method | seeds | data used | mean ratio | test macro-F1 |\n|---|---|---|---|---|---|\n");
    List<String> names = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    double llkdMin = Double.NaN;
    String llkdMinAt = "";
    for (String m : EFFICIENCY) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (String d : ok.distinct("dataset")) {
        double[] f1 = ok.values("test_macro_f1", MethodTables.row("dataset", d, m));
        if (f1.length == 0) continue;
        double used = mean(ok, "data_used", d, m);
        double ratio = mean(ok, "mean_ratio", d, m);
        SeedSummary s = SeedSummary.of(f1);
        x.add(used);
        y.add(s.mean());
        yMin = Math.min(yMin, s.mean());
        yMax = Math.max(yMax, s.mean());
        if (m.equals("llkd") && !(used >= llkdMin)) {
          llkdMin = used;
          llkdMinAt = d;
        }
      }
      names.add(m);
      xs.add(x.stream().mapToDouble(Double::doubleValue).toArray());
      ys.add(y.stream().mapToDouble(Double::doubleValue).toArray());
    }
    for (String d : ok.distinct("dataset")) {
      for (String m : EFFICIENCY) {
        double[] f1 = ok.values("test_macro_f1", MethodTables.row("dataset", d, m));
        if (f1.length == 0) continue;
        sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f%% | %.1f%% | %s |%n", d, m, f1.length,
            100 * mean(ok, "data_used", d, m), 100 * mean(ok, "mean_ratio", d, m), SeedSummary.of(f1).cell(3)));
      }
    }
    if (Double.isNaN(llkdMin)) {
      sb.append("\nNo finished LLKD run yet: no data-efficiency figure.\n\n");
      return sb.toString();
    }
    sb.append(String.format(Locale.ROOT, "%nLLKD's lowest data used here: **%.1f%%** (%s), against the paper's 3.7%%.%n",
        100 * llkdMin, llkdMinAt));
    double pad = Math.max(0.01, 0.1 * (yMax - yMin));
    Charts.scatter(expDir.resolve("data_efficiency.png"), "Test macro-F1 against data used (one point per dataset)",
        "data used (fraction of training rows selected at least once)", "test macro-F1", names, xs, ys,
        List.of("paper: LLKD at 3.7% data used"), List.of(new double[] {PAPER_DATA_USED, PAPER_DATA_USED}),
        List.of(new double[] {yMin - pad, yMax + pad}));
    sb.append("\n![macro-F1 against data used](data_efficiency.png)\n\n");
    return sb.toString();
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new Summary(), args));
  }
}
