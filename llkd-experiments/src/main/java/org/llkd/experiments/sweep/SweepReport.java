package org.llkd.experiments.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.csv.Csv;
import org.llkd.experiments.report.RawTable;
import org.llkd.experiments.stats.SeedSummary;
import org.llkd.experiments.train.RunMetrics;
import org.llkd.experiments.train.Trainer;
import org.llkd.models.io.AtomicFiles;

/**
 * The sweep's outputs: {@code raw.csv} (one row per planned trial, read from the trial directories),
 * {@code table.md} (points ranked by mean dev macro-F1 over seeds, built from raw.csv only) and
 * {@code best_config.json}.
 */
public final class SweepReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Prefix of parameter columns in raw.csv. */
  public static final String PARAM_PREFIX = "p_";

  private SweepReport() {}

  /** Columns of raw.csv: trial identity, swept parameters, then every metrics.csv column but run_id and seed. */
  static List<String> columns(SweepPlan plan) {
    List<String> cols = new ArrayList<>(List.of("trial_id", "trial_index", "status", "varied", "seed"));
    for (String p : plan.parameterNames()) cols.add(PARAM_PREFIX + p);
    for (String c : RunMetrics.COLUMNS) if (!c.equals("run_id") && !c.equals("seed")) cols.add(c);
    cols.add("error");
    return cols;
  }

  /** Writes raw.csv for every trial of {@code plan} from what its directory under {@code out} holds. */
  static Path writeRaw(Path out, SweepPlan plan) {
    List<String> cols = columns(plan);
    List<List<String>> rows = new ArrayList<>();
    for (SweepPlan.Trial t : plan.trials()) {
      Path dir = TrialDirs.dir(out, t);
      TrialDirs.Status st = TrialDirs.status(dir);
      Map<String, String> row = new LinkedHashMap<>();
      row.put("trial_id", t.id());
      row.put("trial_index", Integer.toString(t.index()));
      row.put("status", st.csv);
      row.put("varied", t.point().varied());
      row.put("seed", Long.toString(t.point().seed()));
      t.point().values().forEach((k, v) -> row.put(PARAM_PREFIX + k, SweepParameter.format(v)));
      if (st == TrialDirs.Status.OK) row.putAll(TrialDirs.readMetrics(dir.resolve(TrialDirs.METRICS)));
      if (st == TrialDirs.Status.FAILED) row.put("error", TrialDirs.failure(dir));
      List<String> cells = new ArrayList<>();
      for (String c : cols) cells.add(row.getOrDefault(c, ""));
      rows.add(cells);
    }
    Path raw = out.resolve("raw.csv");
    Csv.write(raw, cols, rows);
    return raw;
  }

  /** The parameter columns of a raw.csv ({@code p_*}), in file order. */
  public static List<String> paramColumns(RawTable raw) {
    return raw.columns().stream().filter(c -> c.startsWith(PARAM_PREFIX)).toList();
  }

  /** One point of the sweep (all its seeds): parameter values and the mean/std of the scored columns. */
  public record Point(Map<String, String> params, String varied, List<String> trialIds, List<String> seeds,
      double[] devF1, double[] testF1, double[] dataUsed) {
    public double devMean() {
      return RawTable.meanStd(devF1)[0];
    }
  }

  /** Finished points of raw.csv, best mean dev macro-F1 first (ties: plan order). */
  public static List<Point> ranked(RawTable raw) {
    List<String> pc = paramColumns(raw);
    Map<String, List<Map<String, String>>> groups = new LinkedHashMap<>();
    for (Map<String, String> r : raw.rows()) {
      if (!"ok".equals(r.get("status"))) continue;
      StringBuilder key = new StringBuilder();
      for (String c : pc) key.append(r.get(c)).append('|');
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(r);
    }
    List<Point> points = new ArrayList<>();
    for (List<Map<String, String>> g : groups.values()) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String c : pc) params.put(c.substring(PARAM_PREFIX.length()), g.get(0).get(c));
      points.add(new Point(params, g.get(0).getOrDefault("varied", ""),
          g.stream().map(r -> r.get("trial_id")).toList(), g.stream().map(r -> r.get("seed")).toList(),
          numbers(g, DevMacroF1Score.COLUMN), numbers(g, "test_macro_f1"), numbers(g, "data_used")));
    }
    List<Point> sorted = new ArrayList<>(points.stream().filter(p -> p.devF1().length > 0).toList());
    sorted.sort(Comparator.comparingDouble(Point::devMean).reversed()); // stable: ties keep plan order
    return sorted;
  }

  private static double[] numbers(List<Map<String, String>> rows, String col) {
    return rows.stream().map(r -> r.get(col)).filter(v -> v != null && !v.isEmpty())
        .mapToDouble(Double::parseDouble).toArray();
  }

  /** Markdown: points ranked by mean dev macro-F1, then counts of unfinished trials. Built from raw.csv only. */
  public static String rankedMarkdown(RawTable raw, String title, String note) {
    List<Point> pts = ranked(raw);
    List<String> pc = paramColumns(raw);
    boolean varied = pts.stream().anyMatch(p -> !p.varied().isEmpty());
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
    if (note != null && !note.isBlank()) sb.append(note).append("\n\n");
    sb.append("| rank |");
    for (String c : pc) sb.append(' ').append(c.substring(PARAM_PREFIX.length())).append(" |");
    if (varied) sb.append(" varied |");
    sb.append(" seeds | dev macro-F1 | test macro-F1 | data used |\n|---|");
    for (int i = 0; i < pc.size() + (varied ? 1 : 0) + 4; i++) sb.append("---|");
    sb.append('\n');
    int rank = 1;
    for (Point p : pts) {
      sb.append("| ").append(rank++).append(" |");
      for (String v : p.params().values()) sb.append(' ').append(v).append(" |");
      if (varied) sb.append(' ').append(p.varied()).append(" |");
      sb.append(' ').append(p.seeds().size()).append(" | ").append(pm(p.devF1())).append(" | ").append(pm(p.testF1()))
          .append(" | ").append(pm(p.dataUsed())).append(" |\n");
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Map<String, String> r : raw.rows()) counts.merge(r.get("status"), 1, Integer::sum);
    sb.append("\nTrials: ");
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(v + " " + k));
    sb.append(String.join(", ", parts)).append(" (failed: see trials/<id>/FAILED.txt).\n\n");
    sb.append("Mean ± 95% CI (Student t) over seeds, \"—\" for one seed; ranked by dev macro-F1 (the sweep's score), test shown for reference only. ")
        .append("Generated from `raw.csv` by `").append(SweepReport.class.getSimpleName()).append("`.\n");
    return sb.toString();
  }

  /** Mean ± 95% Student-t CI over the point's seeds; "—" instead of a spread for one seed. */
  static String pm(double[] v) {
    return SeedSummary.of(v).cell(4);
  }

  /** best_config.json: the best point (mean dev macro-F1 over its seeds) and the full config of its trials. */
  static Path writeBest(Path out, SweepPlan plan, RawTable raw) {
    List<Point> pts = ranked(raw);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sweep", plan.spec().study().name());
    m.put("sweepFile", plan.spec().origin().file().toString());
    m.put("sweepSha256", plan.spec().origin().sha256());
    m.put("score", "dev_macro_f1, mean over seeds, maximised");
    if (pts.isEmpty()) {
      m.put("best", null);
      m.put("reason", "no finished trial yet (see raw.csv status)");
    } else {
      Point b = pts.get(0);
      Map<String, Object> best = new LinkedHashMap<>();
      best.put("parameters", b.params());
      best.put("varied", b.varied());
      best.put("devMacroF1Mean", RawTable.meanStd(b.devF1())[0]);
      best.put("devMacroF1Std", RawTable.meanStd(b.devF1())[1]);
      best.put("testMacroF1Mean", RawTable.meanStd(b.testF1())[0]);
      best.put("dataUsedMean", RawTable.meanStd(b.dataUsed())[0]);
      best.put("seeds", b.seeds());
      best.put("trialIds", b.trialIds());
      SweepPlan.Trial first = plan.trials().stream().filter(t -> t.id().equals(b.trialIds().get(0))).findFirst()
          .orElseThrow(() -> new IllegalStateException("best trial " + b.trialIds().get(0) + " is not in the plan"));
      best.put("config", JSON.convertValue(first.config(), Object.class));
      m.put("best", best);
    }
    Path file = out.resolve("best_config.json");
    try {
      AtomicFiles.writeString(file, JSON.writeValueAsString(m) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise " + file, e);
    }
    return file;
  }
}
