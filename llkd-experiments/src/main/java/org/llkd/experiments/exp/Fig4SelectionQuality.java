package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.report.TableProvenance;
import org.llkd.experiments.stats.SeedSummary;

/**
 * Figure 4: teacher accuracy and (final) student accuracy on all training rows vs on the rows the
 * selector chose, for LLKD and the selection baselines (paper: Arxiv-10; here its stand-ins).
 */
public final class Fig4SelectionQuality extends MethodGridExperiment {
  public static final List<String> METHODS = List.of("llkd", "random", "topk", "uncertainty", "freematch");

  public Fig4SelectionQuality() { this(METHODS); }

  /** Test hook: runs only {@code methods} (see {@link MethodGridExperiment}). */
  Fig4SelectionQuality(List<String> methods) {
    super(methods, METHODS, "Fig4SelectionQuality");
  }

  @Override public Experiment withMethods(List<String> only) { return new Fig4SelectionQuality(only); }

  @Override public String name() { return "Fig4SelectionQuality"; }

  @Override public String description() {
    return "Figure 4: teacher and student accuracy on all vs selected training data";
  }

  @Override public List<String> defaultDatasets() { return List.of("mag_fos"); }

  @Override public void run(ExperimentOptions o) {
    long t0 = System.nanoTime();
    ExperimentSupport.prepare(o);
    List<MainResultsTable.SeedGroup> groups = new ArrayList<>();
    for (String d : o.inputs().datasets()) {
      for (long seed : o.seedList()) groups.add(new MainResultsTable.SeedGroup(o, d, seed, Map.of()));
    }
    ExperimentSupport.runAndFinish(this, o, t0, engine -> MainResultsTable.runSeeds(engine, groups, methods,
        c -> c.withSchedule(c.schedule().withTrainRowsEvaluated(true)))); // student_train_acc_* are this figure's
  }

  @Override public void build(Path expDir) {
    RawTable raw = RawTable.read(expDir.resolve("raw.csv")).filter(r -> "ok".equals(r.get("status")));
    String[][] bars = {
        {"teacher_acc_all", "teacher acc, all rows"},
        {"teacher_acc_ever_selected", "teacher acc, selected rows"},
        {"student_train_acc_all", "student acc, all rows"},
        {"student_train_acc_selected", "student acc, selected rows"}};
    TableProvenance prov = TableProvenance.of(expDir, raw.rows());
    StringBuilder md = new StringBuilder("# Figure 4: selection quality\n\n").append(prov.dirtyBanner()).append(
        "Accuracy against gold labels (analysis only) on the training rows, all vs the rows each method ever "
        + "selected; mean ± 95% CI (Student t) over seeds, \"—\" for one seed (docs/statistics.md).\n\n");
    List<String> shown = new ArrayList<>();
    for (String m : METHODS) if (raw.values("teacher_acc_all", r -> m.equals(r.get("method"))).length > 0) shown.add(m);
    for (String d : raw.distinct("dataset")) {
      md.append("## ").append(d).append(" — ").append(DatasetInfo.paperName(d)).append("\n\n| method |");
      for (String[] b : bars) md.append(' ').append(b[1]).append(" |");
      md.append(" data used |\n|---|---|---|---|---|---|\n");
      for (String m : shown) {
        md.append("| ").append(m).append(" |");
        for (String[] b : bars) {
          md.append(' ').append(SeedSummary.of(raw.values(b[0], r -> d.equals(r.get("dataset"))
              && m.equals(r.get("method")))).cell(3)).append(" |");
        }
        double[] du = RawTable.meanStd(raw.values("data_used", r -> d.equals(r.get("dataset")) && m.equals(r.get("method"))));
        md.append(String.format(Locale.ROOT, " %.3f |\n", du[0]));
      }
      md.append('\n');
    }
    md.append(prov.markdown(TableProvenance.builtBy("Fig4SelectionQuality` from `raw.csv")));
    MethodTables.writeMarkdown(expDir.resolve("table.md"), md.toString());
    List<Charts.BarSeries> series = new ArrayList<>();
    for (String[] b : bars) {
      List<Double> v = new ArrayList<>();
      List<Double> e = new ArrayList<>();
      for (String m : shown) {
        SeedSummary ms = SeedSummary.of(raw.values(b[0], r -> m.equals(r.get("method"))));
        v.add(Double.isNaN(ms.mean()) ? 0 : ms.mean());
        e.add(Double.isNaN(ms.halfWidth()) ? 0 : ms.halfWidth()); // error bar: 95% CI
      }
      series.add(new Charts.BarSeries(b[1], v, e));
    }
    Charts.bars(expDir.resolve("fig4_selection_quality.png"), "Figure 4: accuracy on all vs selected training rows",
        "method", "accuracy (gold labels)", shown, series, 0.0, 1.0);
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new Fig4SelectionQuality(), args));
  }
}
