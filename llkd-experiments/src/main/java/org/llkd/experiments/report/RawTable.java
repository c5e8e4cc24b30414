package org.llkd.experiments.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.llkd.experiments.csv.Csv;

/**
 * A raw per-run CSV ({@code raw.csv}) read back as rows of column → value; the only input of the
 * table and figure builders. Read with Commons CSV ({@link Csv}): quoted cells may hold commas, quotes and line breaks.
 */
public record RawTable(Path source, List<String> columns, List<Map<String, String>> rows) {

  public static RawTable read(Path csv) {
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException(csv + " does not exist: nothing to build from; run the experiment first "
          + "(without --build-only) or point --out at a directory holding its raw.csv");
    }
    Csv.Table t = Csv.read(csv); // Commons CSV: quoted cells, errors with file and line
    List<Map<String, String>> rows = new ArrayList<>();
    for (Csv.Row row : t.rows()) {
      Map<String, String> r = new LinkedHashMap<>();
      for (int k = 0; k < row.cells().size(); k++) r.put(t.header().get(k), row.cells().get(k));
      rows.add(r);
    }
    return new RawTable(csv, t.header(), rows);
  }

  public RawTable filter(Predicate<Map<String, String>> keep) {
    return new RawTable(source, columns, rows.stream().filter(keep).toList());
  }

  /** Distinct values of {@code column}, in first-seen order. */
  public List<String> distinct(String column) {
    List<String> d = new ArrayList<>();
    for (Map<String, String> r : rows) {
      String v = r.get(column);
      if (v != null && !d.contains(v)) d.add(v);
    }
    return d;
  }

  /** Numeric values of {@code column} over rows matching {@code keep} (empty cells skipped). */
  public double[] values(String column, Predicate<Map<String, String>> keep) {
    return rows.stream().filter(keep).map(r -> r.get(column)).filter(v -> v != null && !v.isEmpty())
        .mapToDouble(Double::parseDouble).toArray();
  }

  /** Mean and sample standard deviation (0 for one value, NaN for none). */
  public static double[] meanStd(double[] v) {
    if (v.length == 0) return new double[] {Double.NaN, Double.NaN};
    double m = 0;
    for (double x : v) m += x;
    m /= v.length;
    if (v.length == 1) return new double[] {m, 0};
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return new double[] {m, Math.sqrt(s / (v.length - 1))};
  }
}
