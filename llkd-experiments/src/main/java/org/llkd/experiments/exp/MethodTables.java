package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.llkd.experiments.report.RawTable;
import org.llkd.models.io.AtomicFiles;

/**
 * Builds the method × dataset table (mean ± std over seeds) and its bar figure from a raw.csv. Shared by
 * the main table, the ablation figure and the teacher-robustness table, which differ only in which
 * methods (and which grouping column) they show.
 */
public final class MethodTables {
  private MethodTables() {}

  /** Column of raw.csv → header in the markdown table. */
  static final List<String[]> COLUMNS = List.of(
      new String[] {"test_accuracy", "test acc"},
      new String[] {"test_macro_f1", "test macro-F1"},
      new String[] {"data_used", "data used"},
      new String[] {"mean_ratio", "mean ratio/step"},
      new String[] {"teacher_acc_selected", "teacher acc (selected)"});

  /**
   * Markdown for every {@code group} value (e.g. dataset, or dataset+teacher): one row per method, in
   * {@code methods} order, with mean ± std of each column and the number of seeds.
   */
  public static String markdown(RawTable raw, String title, String groupColumn, List<String> methods, String note) {
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
    if (note != null && !note.isBlank()) sb.append(note).append("\n\n");
    RawTable ok = raw.filter(r -> "ok".equals(r.get("status")));
    long failed = raw.rows().size() - ok.rows().size();
    for (String group : ok.distinct(groupColumn)) {
      String dataset = ok.rows().stream().filter(r -> group.equals(r.get(groupColumn))).findFirst()
          .map(r -> r.get("dataset")).orElse(group);
      sb.append("## ").append(group).append(" — ").append(DatasetInfo.paperName(dataset)).append("\n\n");
      sb.append("| method | seeds |");
      for (String[] c : COLUMNS) sb.append(' ').append(c[1]).append(" |");
      sb.append("\n|---|---|");
      for (int i = 0; i < COLUMNS.size(); i++) sb.append("---|");
      sb.append('\n');
      double bestF1 = Double.NEGATIVE_INFINITY;
      for (String m : methods) {
        double[] f1 = ok.values("test_macro_f1", row(groupColumn, group, m));
        if (f1.length > 0 && !m.equals("gold")) bestF1 = Math.max(bestF1, RawTable.meanStd(f1)[0]);
      }
      for (String m : methods) {
        Predicate<Map<String, String>> sel = row(groupColumn, group, m);
        int n = ok.values("test_macro_f1", sel).length;
        if (n == 0) continue;
        sb.append("| ").append(m.equals("gold") ? "gold (upper bound)" : m).append(" | ").append(n).append(" |");
        for (String[] c : COLUMNS) {
          double[] ms = RawTable.meanStd(ok.values(c[0], sel));
          String cell = Double.isNaN(ms[0]) ? "–" : String.format(Locale.ROOT, "%.3f ± %.3f", ms[0], ms[1]);
          if (c[0].equals("test_macro_f1") && !m.equals("gold") && Math.abs(ms[0] - bestF1) < 1e-12) cell = "**" + cell + "**";
          sb.append(' ').append(cell).append(" |");
        }
        sb.append('\n');
      }
      sb.append('\n');
    }
    if (failed > 0) sb.append("Failed runs (see runs/*/FAILED.txt): ").append(failed).append("\n\n");
    sb.append("Generated from `raw.csv` by `").append(MethodTables.class.getSimpleName())
        .append("`; best non-gold macro-F1 in bold.\n");
    return sb.toString();
  }

  static Predicate<Map<String, String>> row(String groupColumn, String group, String method) {
    return r -> group.equals(r.get(groupColumn)) && method.equals(r.get("method"));
  }

  /** Grouped bars: categories = methods, one series per group, value = mean of {@code column}, error = std. */
  public static void figure(RawTable raw, Path png, String title, String groupColumn, List<String> methods,
      String column, String yTitle) {
    RawTable ok = raw.filter(r -> "ok".equals(r.get("status")));
    List<String> cats = new ArrayList<>();
    for (String m : methods) if (ok.values(column, r -> m.equals(r.get("method"))).length > 0) cats.add(m);
    List<Charts.BarSeries> series = new ArrayList<>();
    for (String g : ok.distinct(groupColumn)) {
      List<Double> v = new ArrayList<>();
      List<Double> e = new ArrayList<>();
      for (String m : cats) {
        double[] ms = RawTable.meanStd(ok.values(column, row(groupColumn, g, m)));
        v.add(Double.isNaN(ms[0]) ? 0.0 : ms[0]);
        e.add(Double.isNaN(ms[1]) ? 0.0 : ms[1]);
      }
      series.add(new Charts.BarSeries(g, v, e));
    }
    Charts.bars(png, title, "method", yTitle, cats, series, 0.0, null);
  }

  static void writeMarkdown(Path file, String md) {
    AtomicFiles.writeString(file, md);
  }
}
