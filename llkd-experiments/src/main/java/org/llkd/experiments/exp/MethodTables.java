package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.llkd.experiments.report.RunFlags;
import org.llkd.experiments.report.TableProvenance;
import org.llkd.experiments.stats.SeedSummary;
import org.llkd.models.io.AtomicFiles;

/**
 * Builds the method × dataset table and its bar figure from a raw.csv. Shared by the main table, the ablation figure
 * and the teacher-robustness table, which differ only in which methods (and which grouping column) they show. Per
 * group: mean ± 95% confidence interval over seeds, degenerate-run flags, then the paired comparison of the reference
 * method with every other method ({@link PairedTable}); at the end a flag legend and the Provenance section
 * ({@link TableProvenance}). docs/statistics.md explains every part.
 */
public final class MethodTables {
  private MethodTables() {}

  /** The method every other one is compared with, unless a builder names another. */
  public static final String REFERENCE = "llkd";
  /** The metric of the paired tests, bold and verdicts. */
  public static final String[] TESTED = {"test_macro_f1", "macro-F1"};

  /** Column of raw.csv → header in the markdown table. */
  static final List<String[]> COLUMNS = List.of(
      new String[] {"test_accuracy", "test acc"},
      new String[] {"test_macro_f1", "test macro-F1"},
      new String[] {"data_used", "data used"},
      new String[] {"mean_ratio", "mean ratio/step"},
      new String[] {"teacher_acc_selected", "teacher acc (selected)"});

  /** As {@link #markdown(RawTable, String, String, List, String, String, String)} with LLKD as reference. */
  public static String markdown(RawTable raw, String title, String groupColumn, List<String> methods, String note) {
    return markdown(raw, title, groupColumn, methods, REFERENCE, note, "");
  }

  /**
   * Markdown for every {@code group} value (e.g. dataset, or dataset+teacher): one row per method, in {@code methods}
   * order, with mean ± 95% CI of each column and the number of seeds; then {@code reference} − each other method
   * (gold excluded), paired by seed; {@code extra} (markdown sections) before the closing Provenance section, which
   * reads the runs' provenance.json beside raw.csv.
   */
  public static String markdown(RawTable raw, String title, String groupColumn, List<String> methods, String reference,
      String note, String extra) {
    RawTable ok = raw.filter(r -> "ok".equals(r.get("status")));
    long failed = raw.rows().size() - ok.rows().size();
    Path expDir = raw.source().toAbsolutePath().getParent();
    TableProvenance prov = TableProvenance.of(expDir, ok.rows());
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
    sb.append(prov.dirtyBanner());
    if (note != null && !note.isBlank()) sb.append(note).append("\n\n");
    for (String group : ok.distinct(groupColumn)) {
      RawTable g = ok.filter(r -> group.equals(r.get(groupColumn)));
      String dataset = g.rows().get(0).getOrDefault("dataset", group);
      sb.append("## ").append(group).append(" — ").append(DatasetInfo.paperName(dataset)).append("\n\n");
      sb.append(RunFlags.weakTeacher(g.rows(), raw.source()).line()).append("\n\n");
      sb.append("| method | seeds |");
      for (String[] c : COLUMNS) sb.append(' ').append(c[1]).append(" |");
      sb.append("\n|---|---|");
      for (int i = 0; i < COLUMNS.size(); i++) sb.append("---|");
      sb.append('\n');
      for (String m : methods) {
        Predicate<Map<String, String>> sel = r -> m.equals(r.get("method"));
        List<Map<String, String>> runs = g.rows().stream().filter(sel).toList();
        if (runs.isEmpty()) continue;
        String marker = RunFlags.marker(runs.stream().map(r -> RunFlags.of(r, raw.source())).toList());
        sb.append("| ").append(m.equals("gold") ? "gold (upper bound)" : m)
            .append(marker.isEmpty() ? "" : " [" + marker + "]").append(" | ").append(runs.size()).append(" |");
        for (String[] c : COLUMNS) {
          sb.append(' ').append(SeedSummary.of(g.values(c[0], sel)).cell(3)).append(" |");
        }
        sb.append('\n');
      }
      sb.append('\n');
      List<String> baselines = methods.stream().filter(m -> !m.equals(reference) && !m.equals("gold")).toList();
      sb.append(PairedTable.markdown(g, reference, baselines, TESTED[0], TESTED[1], raw.source()));
    }
    if (failed > 0) sb.append("Failed runs (see runs/*/FAILED.txt): ").append(failed).append("\n\n");
    sb.append(legend()).append('\n');
    if (extra != null && !extra.isBlank()) sb.append(extra.strip()).append("\n\n");
    sb.append(prov.markdown(TableProvenance.builtBy(MethodTables.class.getSimpleName() + "` from `raw.csv")));
    return sb.toString();
  }

  /** What the cells, markers, bold and verdicts mean (one paragraph under the tables). */
  static String legend() {
    StringBuilder sb = new StringBuilder("Cells: mean ± half-width of the 95% Student-t confidence interval over "
        + "seeds; \"—\" where one seed gives no interval. Flags after a method name count its runs (never dropped):");
    for (RunFlags.Flag f : RunFlags.Flag.values()) sb.append(" **").append(f.marker).append("** ").append(f.legend).append(';');
    sb.setLength(sb.length() - 1);
    sb.append("; \"?\" = cannot be judged: raw.csv lacks the column (runs from before it was recorded). Bold: only "
        + "paired differences that stay significant (p < 0.05) after Holm's correction over the baselines of the "
        + "group. See docs/statistics.md.\n");
    return sb.toString();
  }

  static Predicate<Map<String, String>> row(String groupColumn, String group, String method) {
    return r -> group.equals(r.get(groupColumn)) && method.equals(r.get("method"));
  }

  /** Grouped bars: categories = methods, one series per group, value = mean of {@code column}, error = 95% CI. */
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
        SeedSummary s = SeedSummary.of(ok.values(column, row(groupColumn, g, m)));
        v.add(Double.isNaN(s.mean()) ? 0.0 : s.mean());
        e.add(Double.isNaN(s.halfWidth()) ? 0.0 : s.halfWidth());
      }
      series.add(new Charts.BarSeries(g, v, e));
    }
    Charts.bars(png, title, "method", yTitle, cats, series, 0.0, null);
  }

  static void writeMarkdown(Path file, String md) {
    AtomicFiles.writeString(file, md);
  }
}
