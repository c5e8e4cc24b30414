package org.llkd.experiments.exp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.llkd.experiments.engine.RunEngine;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.sweep.SweepReport;
import org.llkd.experiments.sweep.SweepRunner;
import org.llkd.experiments.sweep.SweepSpec;
import org.llkd.experiments.stats.SeedSummary;
import org.llkd.experiments.train.Tier;
import org.llkd.models.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 5, parameter analysis: LLKD's macro-F1 and data used as each hyper-parameter (momentum λ, batch size,
 * learning rate) moves alone around the tier's defaults. The runs are a sweep ({@code org.llkd.experiments.sweep})
 * defined by the committed file {@code sweeps/fig5_<dataset>_<tier>.json} (dataset, teacher, tier, seeds and
 * ranges come from that file); the figure and table are rebuilt from the sweep's {@code raw.csv} only.
 */
public final class Fig5ParameterAnalysis implements Experiment {
  private static final Logger LOG = LoggerFactory.getLogger(Fig5ParameterAnalysis.class);


  @Override public String name() { return "Fig5ParameterAnalysis"; }

  @Override public String description() {
    return "Figure 5: macro-F1 and data used vs momentum, batch size, learning rate (sweep file"
        + " sweeps/fig5_<dataset>_<tier>.json; its seeds and ranges are used, --seeds is ignored)";
  }

  @Override public List<String> defaultDatasets() { return List.of("emotion"); }

  /** The committed sweep file for {@code dataset} at {@code tier}: {@code <repo>/sweeps/fig5_<dataset>_<tier>.json}. */
  public static Path sweepFile(Path repoRoot, String dataset, Tier tier) {
    return repoRoot.resolve("sweeps").resolve("fig5_" + dataset + "_" + tier.name().toLowerCase(Locale.ROOT) + ".json");
  }

  @Override public void run(ExperimentOptions o) {
    if (o.inputs().datasets().size() != 1) {
      throw new IllegalArgumentException(name() + " runs one sweep per dataset; got --dataset " + o.inputs().datasets()
          + ": run it once per dataset with its own --out");
    }
    if (!o.overrides().isEmpty()) {
      throw new IllegalArgumentException(name() + " takes its training settings from its sweep file; "
          + o.overrides().flags().keySet() + " would not apply: edit the sweep file instead");
    }
    String d = o.inputs().datasets().get(0);
    Path file = sweepFile(Provenance.repoRoot(), d, o.tier());
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no sweep file " + file + " for dataset " + d + " at tier " + o.tier()
          + "; available: " + available(file.getParent()) + ". Copy sweeps/fig5_emotion_quick.json and edit it");
    }
    SweepSpec spec = SweepSpec.read(file);
    SweepSpec.Study study = spec.study();
    if (!study.dataset().equals(d) || study.tier() != o.tier() || !study.teacher().equals(o.inputs().teacher())) {
      throw new IllegalArgumentException(file + " is for dataset " + study.dataset() + ", tier " + study.tier()
          + ", teacher " + study.teacher() + "; asked for " + d + ", " + o.tier() + ", " + o.inputs().teacher());
    }
    if (o.seeds() != spec.seeds().size()) {
      LOG.info("{}: seeds come from {}: {} (--seeds {} ignored; provenance.json records the file's seeds)", name(),
          file.getFileName(), spec.seeds(), o.seeds());
    }
    try (RunEngine engine = ExperimentSupport.engine(this, o)) {
      ExperimentOptions.Output out = o.output();
      SweepRunner.Options.Output sweepDir = new SweepRunner.Options.Output(out.out(), out.force(), out.resume());
      SweepRunner.run(spec, new SweepRunner.Options(sweepDir, o.inputs().dataRoot(), o.inputs().teachersRoot(),
          SweepRunner.Options.Slice.ALL, null, engine.launcher()), name(), o);
    }
    build(o.output().out());
  }

  private static String available(Path dir) {
    try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
      List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("fig5_")).sorted().toList();
      return names.isEmpty() ? "none" : String.join(", ", names);
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
  }

  /** The y series of every panel: raw.csv column → legend name. */
  static final List<String[]> SERIES = List.of(new String[] {"dev_macro_f1", "dev macro-F1"},
      new String[] {"test_macro_f1", "test macro-F1"}, new String[] {"data_used", "data used"});

  @Override public void build(Path expDir) {
    RawTable raw = RawTable.read(expDir.resolve("raw.csv"));
    RawTable ok = raw.filter(r -> "ok".equals(r.get("status")));
    boolean oneAtATime = ok.rows().stream().anyMatch(r -> !r.getOrDefault("varied", "").isEmpty());
    StringBuilder md = new StringBuilder("# Figure 5: parameter analysis\n\n");
    md.append(oneAtATime ? "Each parameter varied alone, the others at the base point (`varied` = base); "
        : "Marginal means over the other swept parameters; ")
        .append("mean ± 95% CI (Student t) over trials (seeds; \"—\" for one trial). Momentum is the λ actually used (the base uses λ = 1 − 5/steps).\n\n");
    int panels = 0;
    for (String pc : SweepReport.paramColumns(raw)) {
      String key = pc.substring(SweepReport.PARAM_PREFIX.length());
      RawTable rows = oneAtATime ? ok.filter(r -> key.equals(r.get("varied")) || "base".equals(r.get("varied"))) : ok;
      Map<String, List<Map<String, String>>> byX = new LinkedHashMap<>();
      int unplotted = 0;
      for (Map<String, String> r : rows.rows()) {
        String x = xValue(key, pc, r);
        if (x == null) {
          unplotted++;
          continue;
        }
        byX.computeIfAbsent(x, k -> new ArrayList<>()).add(r);
      }
      if (byX.size() < 2) continue; // not varied in this sweep
      panels++;
      boolean numeric = byX.keySet().stream().allMatch(Fig5ParameterAnalysis::isNumber);
      Map<String, List<Map<String, String>>> sorted = numeric ? new TreeMap<>(
          java.util.Comparator.comparingDouble(Double::parseDouble)) : new LinkedHashMap<>();
      sorted.putAll(byX);
      md.append("## ").append(label(key)).append("\n\n| ").append(key).append(" | trials |");
      for (String[] s : SERIES) md.append(' ').append(s[1]).append(" |");
      md.append("\n|---|---|---|---|---|\n");
      List<double[]> xs = new ArrayList<>();
      List<double[]> ys = new ArrayList<>();
      List<String> names = new ArrayList<>();
      List<Charts.BarSeries> bars = new ArrayList<>();
      double[] x = sorted.keySet().stream().mapToDouble(v -> numeric ? Double.parseDouble(v) : 0).toArray();
      for (String[] s : SERIES) {
        double[] y = new double[sorted.size()];
        List<Double> means = new ArrayList<>();
        List<Double> stds = new ArrayList<>();
        int i = 0;
        for (List<Map<String, String>> g : sorted.values()) {
          SeedSummary ms = SeedSummary.of(values(g, s[0]));
          y[i++] = ms.mean();
          means.add(Double.isNaN(ms.mean()) ? 0.0 : ms.mean());
          stds.add(Double.isNaN(ms.halfWidth()) ? 0.0 : ms.halfWidth()); // error bar: 95% CI
        }
        names.add(s[1]);
        xs.add(x);
        ys.add(y);
        bars.add(new Charts.BarSeries(s[1], means, stds));
      }
      for (Map.Entry<String, List<Map<String, String>>> e : sorted.entrySet()) {
        md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().size()).append(" |");
        for (String[] s : SERIES) {
          md.append(' ').append(SeedSummary.of(values(e.getValue(), s[0])).cell(4)).append(" |");
        }
        md.append('\n');
      }
      if (unplotted > 0) md.append("\n").append(unplotted).append(" finished trial(s) without a numeric ").append(key)
          .append(" value are not shown.\n");
      md.append("\n![").append(key).append("](fig5_").append(key).append(".png)\n\n");
      Path png = expDir.resolve("fig5_" + key + ".png");
      String title = "Figure 5: " + label(key);
      if (numeric) {
        Charts.lines(png, title, label(key), "macro-F1 / data used", names, xs, ys, key.equals("learningRate"));
      } else {
        Charts.bars(png, title, label(key), "macro-F1 / data used", new ArrayList<>(sorted.keySet()), bars, 0.0, 1.0);
      }
    }
    if (panels == 0) {
      throw new IllegalArgumentException(expDir.resolve("raw.csv") + ": no swept parameter (p_* column) has two or more"
          + " values among finished trials (status ok); nothing to plot");
    }
    md.append(SweepReport.rankedMarkdown(raw, "All points, ranked by dev macro-F1", null).replaceFirst("^# ", "## "));
    AtomicFiles.writeString(expDir.resolve("table.md"), md.toString());
  }

  /** The x of a row: λ used (metrics column {@code momentum}) for momentum, else the parameter column; null if none. */
  private static String xValue(String key, String paramColumn, Map<String, String> r) {
    if (key.equals("momentum")) {
      String used = r.get("momentum");
      if (used != null && isNumber(used)) return used;
    }
    String v = r.get(paramColumn);
    if (v == null || v.isEmpty() || (key.equals("momentum") && !isNumber(v))) return null;
    return v;
  }

  private static boolean isNumber(String s) {
    try {
      return Double.isFinite(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static double[] values(List<Map<String, String>> rows, String col) {
    return rows.stream().map(r -> r.get(col)).filter(v -> v != null && !v.isEmpty()).mapToDouble(Double::parseDouble)
        .toArray();
  }

  private static String label(String key) {
    return switch (key) {
      case "momentum" -> "momentum λ (used)";
      case "learningRate" -> "learning rate (log scale)";
      case "batchSize" -> "batch size";
      case "keepLayers" -> "student layers";
      case "classWise" -> "class-wise thresholds";
      case "weightForm" -> "weight form";
      case "uncertainty" -> "uncertainty measure";
      default -> key;
    };
  }

  public static void main(String[] args) {
    System.exit(ExperimentMain.run(new Fig5ParameterAnalysis(), args));
  }
}
