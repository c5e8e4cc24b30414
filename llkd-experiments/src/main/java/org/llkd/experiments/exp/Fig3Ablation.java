package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.engine.RunGrid;
import org.llkd.experiments.report.RawTable;

/**
 * Figure 3: LLKD against its five ablations (w/o teacher confidence, w/o student uncertainty, w/o
 * class-wise thresholds, w/o weighting, fixed thresholds), each a switch of the same selector.
 */
public final class Fig3Ablation extends MethodGridExperiment {
  public static final List<String> METHODS = List.of("llkd", "llkd-no-teacher", "llkd-no-student",
      "llkd-no-classwise", "llkd-no-weighting", "llkd-fixed");

  public Fig3Ablation() { this(METHODS); }

  /** Test hook: runs only {@code methods} (see {@link MethodGridExperiment}). */
  Fig3Ablation(List<String> methods) {
    super(methods, METHODS, "Fig3Ablation");
  }

  @Override public Experiment withMethods(List<String> only) { return new Fig3Ablation(only); }

  @Override public String name() { return "Fig3Ablation"; }

  @Override public String description() { return "Figure 3: ablations of LLKD's selector on every dataset"; }

  @Override public List<String> defaultDatasets() { return List.of("emotion"); }

  @Override public void run(ExperimentOptions o) {
    long t0 = System.nanoTime();
    ExperimentSupport.prepare(o);
    List<RunGrid.Spec> specs = new ArrayList<>();
    for (String d : o.inputs().datasets()) {
      for (long seed : o.seedList()) {
        for (String m : methods) specs.add(new RunGrid.Spec(o.base(d, m, seed), Map.of()));
      }
    }
    ExperimentSupport.runAndFinish(this, o, t0, engine -> engine.runAll(o.output().out(), specs, o.output().resume()));
  }

  @Override public void build(Path expDir) {
    RawTable raw = RawTable.read(expDir.resolve("raw.csv"));
    MethodTables.writeMarkdown(expDir.resolve("table.md"), MethodTables.markdown(raw, "Figure 3: ablations",
        "dataset", METHODS, "Each ablation switches one part of the LLKD selector off (see README)."));
    MethodTables.figure(raw, expDir.resolve("fig3_ablation.png"), "Figure 3: LLKD ablations, test macro-F1",
        "dataset", METHODS, "test_macro_f1", "test macro-F1");
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new Fig3Ablation(), args));
  }
}
