package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.llkd.experiments.engine.RunGrid;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.report.TableProvenance;
import org.llkd.experiments.train.Tier;
import org.llkd.experiments.train.TrainConfig;

/**
 * Evidence that the hand-written ND4J student learns: the student fine-tuned on gold labels, evaluated on the
 * whole dev and test splits; reports accuracy, macro-F1 and the wall time. At the tiny, quick and standard tiers it
 * is the tier's own config with method {@code gold} (the tier check of docs/tiers.md); at the full tier the 6-layer
 * student on 2,000 rows for one epoch.
 */
public final class GoldFinetuneEvidence implements Experiment {
  @Override public String name() { return "GoldFinetuneEvidence"; }

  @Override public String description() {
    return "Foundation check: the tier's student fine-tuned on gold labels (full tier: 6 layers, 2,000 rows, 1 epoch)";
  }

  @Override public List<String> defaultDatasets() { return List.of("emotion"); }

  /** The tier's config with gold labels; at the full tier 6 layers, 128 tokens, 2,000 rows, 1 epoch, lr 1e-4. */
  static TrainConfig config(ExperimentOptions o, String dataset, long seed) {
    if (o.tier() != Tier.FULL) return o.base(dataset, "gold", seed);
    TrainConfig f = TrainConfig.full(dataset, o.inputs().dataRoot(), o.teacherFile(dataset), "gold", seed);
    return f.withStudent(f.student().withKeepLayers(6)).withData(f.data().withTrainRows(2000))
        .withSchedule(f.schedule().withEpochs(1).withBatchSize(32).withLearningRate(1e-4));
  }

  @Override public void run(ExperimentOptions o) {
    long t0 = System.nanoTime();
    ExperimentSupport.prepare(o);
    List<RunGrid.Spec> specs = new ArrayList<>();
    for (String d : o.inputs().datasets()) {
      for (long seed : o.seedList()) specs.add(new RunGrid.Spec(config(o, d, seed), Map.of()));
    }
    ExperimentSupport.runAndFinish(this, o, t0, engine -> engine.runAll(o.output().out(), specs, o.output().resume()));
  }

  @Override public void build(Path expDir) {
    RawTable raw = RawTable.read(expDir.resolve("raw.csv")).filter(r -> "ok".equals(r.get("status")));
    TableProvenance prov = TableProvenance.of(expDir, raw.rows());
    StringBuilder md = new StringBuilder("# Gold fine-tune of the pretrained student (evidence for the encoder)\n\n")
        .append(prov.dirtyBanner())
        .append("The tier's student trained on gold labels (config in each run's provenance.json; tiers in docs/tiers.md);"
        + " whole dev and test splits. Wall time includes tokenisation, training, checkpointing and evaluation; see"
        + " each run's epochs/metrics CSV.\n\n"
        + "| dataset | seed | test acc | test macro-F1 | dev acc | dev macro-F1 | run wall time (s) |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (Map<String, String> r : raw.rows()) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.0f |%n", r.get("dataset"),
          r.get("seed"), d(r, "test_accuracy"), d(r, "test_macro_f1"), d(r, "dev_accuracy"), d(r, "dev_macro_f1"),
          d(r, "wall_seconds")));
    }
    md.append('\n').append(prov.markdown(TableProvenance.builtBy("GoldFinetuneEvidence` from `raw.csv")));
    MethodTables.writeMarkdown(expDir.resolve("table.md"), md.toString());
  }

  private static double d(Map<String, String> r, String k) {
    String v = r.get(k);
    return v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new GoldFinetuneEvidence(), args));
  }
}
