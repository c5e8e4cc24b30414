package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.train.TrainConfig;

/**
 * Regenerates the paper's main table: test accuracy, macro-F1 and data used of LLKD and every baseline
 * on each dataset, mean ± std over seeds. Random, top-k and small-loss selection keep LLKD's measured
 * mean selection ratio of the same seed, so they are compared at equal data.
 */
public final class MainResultsTable implements Experiment {
  /** Table order: LLKD, the baselines, then the gold upper bound. */
  public static final List<String> METHODS = List.of("llkd", "all", "random", "topk", "threshold", "uncertainty",
      "freematch", "smallloss", "soft", "gold");
  /** Methods run at LLKD's mean selection ratio. */
  static final List<String> RATIO_MATCHED = List.of("random", "topk", "smallloss");

  private final List<String> methods;

  public MainResultsTable() { this(METHODS); }

  /**
   * Test hook (package-private): runs only {@code methods}, a subset of {@link #METHODS} in its order, so a
   * smoke test stays within the default suite's time; {@link #build} still tables every method found in raw.csv.
   */
  MainResultsTable(List<String> methods) {
    this.methods = ExperimentSupport.subsetOf(methods, METHODS, "MainResultsTable");
  }

  @Override public String name() { return "MainResultsTable"; }

  @Override public String description() {
    return "Main table: accuracy / macro-F1 / data used of LLKD vs baselines per dataset (mean ± std over seeds)";
  }

  @Override public List<String> defaultDatasets() { return List.of("emotion"); }

  @Override public void run(ExperimentOptions o) {
    long t0 = System.nanoTime();
    ExperimentSupport.prepare(o);
    List<RunGrid.Outcome> outcomes = new ArrayList<>();
    for (String d : o.datasets()) {
      for (long seed : o.seedList()) outcomes.addAll(runSeed(o, d, seed, methods, Map.of()));
    }
    ExperimentSupport.finish(this, o, outcomes, t0);
  }

  /** LLKD first, then every other method of {@code methods} (ratio-matched ones at LLKD's mean ratio). */
  static List<RunGrid.Outcome> runSeed(ExperimentOptions o, String dataset, long seed, List<String> methods,
      Map<String, String> tags) {
    List<RunGrid.Outcome> out = new ArrayList<>();
    RunGrid.Outcome llkd = RunGrid.run(o.out(), new RunGrid.Spec(o.base(dataset, "llkd", seed), tags), o.resume());
    out.add(llkd);
    double ratio = llkd.ok() ? Double.parseDouble(llkd.metrics().get("mean_ratio")) : 0.5;
    for (String m : methods) {
      if (m.equals("llkd")) continue;
      TrainConfig c = o.base(dataset, m, seed);
      if (RATIO_MATCHED.contains(m)) c = c.withRatio(Math.max(1e-3, Math.min(1.0, ratio)));
      out.add(RunGrid.run(o.out(), new RunGrid.Spec(c, new LinkedHashMap<>(tags)), o.resume()));
    }
    return out;
  }

  @Override public void build(Path expDir) {
    RawTable raw = RawTable.read(expDir.resolve("raw.csv"));
    String note = "Quick/full tier and teacher as recorded in `provenance.json`. Random, top-k and small-loss keep "
        + "LLKD's mean selection ratio of the same seed. Teacher accuracy of the selected rows uses gold labels "
        + "(analysis only).";
    MethodTables.writeMarkdown(expDir.resolve("table.md"),
        MethodTables.markdown(raw, "Main results", "dataset", METHODS, note));
    MethodTables.figure(raw, expDir.resolve("main_results.png"), "Test macro-F1 by method (mean ± std over seeds)",
        "dataset", METHODS, "test_macro_f1", "test macro-F1");
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new MainResultsTable(), args));
  }
}
