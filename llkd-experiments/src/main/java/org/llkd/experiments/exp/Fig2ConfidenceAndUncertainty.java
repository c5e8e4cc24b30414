package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.llkd.experiments.csv.Csv;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.engine.RunGrid;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.report.TableProvenance;
import org.llkd.experiments.train.TrainingData;
import org.llkd.models.io.AtomicFiles;
import org.llkd.models.label.PseudoLabel;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * Figure 2: (a) teacher accuracy per teacher-confidence bin and (b) student accuracy per
 * student-uncertainty bin (normalised entropy), both on the validation split (paper: PubMed-RCT; here
 * its stand-in). Confidence should track correctness (a); the student is least accurate where it is
 * most uncertain (b), which is why LLKD trains on uncertain rows with confident teacher labels.
 */
public final class Fig2ConfidenceAndUncertainty implements Experiment {
  static final List<String> BIN_COLUMNS = List.of("dataset", "panel", "seed", "bin_lo", "bin_hi", "count", "accuracy");
  static final int BINS = 10;

  @Override public String name() { return "Fig2ConfidenceAndUncertainty"; }

  @Override public String description() {
    return "Figure 2: teacher accuracy vs teacher confidence, student accuracy vs student uncertainty (dev split)";
  }

  @Override public List<String> defaultDatasets() { return List.of("pubmed_rct_sample"); }

  @Override public void run(ExperimentOptions o) {
    long t0 = System.nanoTime();
    ExperimentSupport.prepare(o);
    List<RunGrid.Outcome> outcomes = new ArrayList<>();
    Map<String, Object> engineUsed;
    try (org.llkd.experiments.engine.RunEngine engine = ExperimentSupport.engine(this, o)) {
      engineUsed = engine.describe();
      StringBuilder bins = new StringBuilder(Csv.line(BIN_COLUMNS)).append('\n');
      for (String d : o.inputs().datasets()) {
        TextDataset dev = TrainingData.input(() -> DatasetCatalog.load(o.inputs().dataRoot(), d, Split.DEV));
        List<String> ids = dev.samples().stream().map(Sample::id).toList();
        TeacherOutputs t = TrainingData.readTeacher(o.teacherFile(d), "dev", ids, dev.labels().names());
        double[][] p = t.probs();
        double[] conf = new double[ids.size()];
        boolean[] ok = new boolean[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
          int k = PseudoLabel.argmax(p[i]);
          conf[i] = p[i][k];
          ok[i] = k == dev.get(i).label();
        }
        appendBins(bins, d, "teacher_confidence", 0, conf, ok);
        List<RunGrid.Spec> specs = new ArrayList<>();
        for (long seed : o.seedList()) specs.add(new RunGrid.Spec(o.base(d, "llkd", seed), Map.of()));
        List<RunGrid.Outcome> runs = engine.runAll(o.output().out(), specs, o.output().resume());
        outcomes.addAll(runs);
        for (RunGrid.Outcome out : runs) {
          long seed = out.spec().config().seed();
          if (!out.ok()) continue;
          Path preds = o.output().out().resolve("runs").resolve(out.spec().runId()).resolve("dev_predictions.csv");
          List<Map<String, String>> rows = RawTable.read(preds).rows(); // id,gold,pred,confidence,uncertainty
          double[] unc = new double[rows.size()];
          boolean[] right = new boolean[rows.size()];
          for (int i = 0; i < rows.size(); i++) {
            unc[i] = Double.parseDouble(rows.get(i).get("uncertainty"));
            right[i] = rows.get(i).get("gold").equals(rows.get(i).get("pred"));
          }
          appendBins(bins, d, "student_uncertainty", seed, unc, right);
        }
      }
      AtomicFiles.writeString(o.output().out().resolve("bins.csv"), bins.toString());
    }
    ExperimentSupport.finish(this, o, outcomes, t0, engineUsed);
  }

  static void appendBins(StringBuilder sb, String dataset, String panel, long seed, double[] x, boolean[] ok) {
    int[] n = new int[BINS];
    int[] right = new int[BINS];
    for (int i = 0; i < x.length; i++) {
      int b = Math.min(BINS - 1, (int) Math.floor(x[i] * BINS));
      n[b]++;
      if (ok[i]) right[b]++;
    }
    for (int b = 0; b < BINS; b++) {
      sb.append(Csv.line(List.of(dataset, panel, seed, String.format(Locale.ROOT, "%.1f", b / (double) BINS),
          String.format(Locale.ROOT, "%.1f", (b + 1) / (double) BINS), n[b],
          n[b] == 0 ? "" : Double.toString(right[b] / (double) n[b])))).append('\n');
    }
  }

  @Override public void build(Path expDir) {
    RawTable bins = RawTable.read(expDir.resolve("bins.csv"));
    TableProvenance prov = TableProvenance.of(expDir,
        RawTable.read(expDir.resolve("raw.csv")).filter(r -> "ok".equals(r.get("status"))).rows());
    StringBuilder md = new StringBuilder("# Figure 2: confidence and uncertainty vs accuracy (dev split)\n\n")
        .append(prov.dirtyBanner());
    for (String panel : List.of("teacher_confidence", "student_uncertainty")) {
      List<String> names = new ArrayList<>();
      List<double[]> xs = new ArrayList<>();
      List<double[]> ys = new ArrayList<>();
      md.append("## ").append(panel.replace('_', ' ')).append("\n\n| dataset | bin | rows | accuracy (mean over seeds) |\n|---|---|---|---|\n");
      for (String d : bins.distinct("dataset")) {
        double[] x = new double[BINS];
        double[] y = new double[BINS];
        for (int b = 0; b < BINS; b++) {
          String lo = String.format(Locale.ROOT, "%.1f", b / (double) BINS);
          var sel = (java.util.function.Predicate<Map<String, String>>) r -> d.equals(r.get("dataset"))
              && panel.equals(r.get("panel")) && lo.equals(r.get("bin_lo"));
          double[] acc = bins.values("accuracy", sel);
          double[] cnt = bins.values("count", sel);
          x[b] = (b + 0.5) / BINS;
          y[b] = RawTable.meanStd(acc)[0];
          md.append(String.format(Locale.ROOT, "| %s | [%.1f, %.1f) | %.0f | %s |%n", d, b / (double) BINS,
              (b + 1) / (double) BINS, RawTable.meanStd(cnt)[0],
              Double.isNaN(y[b]) ? "–" : String.format(Locale.ROOT, "%.3f", y[b])));
        }
        names.add(d);
        xs.add(x);
        ys.add(y);
      }
      md.append('\n');
      boolean teacher = panel.equals("teacher_confidence");
      Charts.lines(expDir.resolve(teacher ? "fig2a_teacher_confidence.png" : "fig2b_student_uncertainty.png"),
          teacher ? "Figure 2a: teacher accuracy vs teacher confidence" : "Figure 2b: student accuracy vs uncertainty",
          teacher ? "teacher confidence max_k p^T (bin centre)" : "student normalised entropy (bin centre)",
          "accuracy on dev (gold)", names, xs, ys, false, new double[] {0, 1, 0, 1});
    }
    md.append(prov.markdown(TableProvenance.builtBy("Fig2ConfidenceAndUncertainty` from `bins.csv")));
    AtomicFiles.writeString(expDir.resolve("table.md"), md.toString());
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new Fig2ConfidenceAndUncertainty(), args));
  }
}
