package org.llkd.experiments.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A raw per-run CSV ({@code raw.csv}) read back as rows of column → value; the only input of the
 * table and figure builders. Values never contain commas (the grid writes numbers and names only).
 */
public record RawTable(Path source, List<String> columns, List<Map<String, String>> rows) {

  public static RawTable read(Path csv) {
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException(csv + " does not exist: nothing to build from; run the experiment first "
          + "(without --build-only) or point --out at a directory holding its raw.csv");
    }
    try {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      if (lines.isEmpty()) throw new IllegalArgumentException(csv + " is empty; expected a header line");
      List<String> cols = List.of(lines.get(0).split(",", -1));
      List<Map<String, String>> rows = new ArrayList<>();
      for (int i = 1; i < lines.size(); i++) {
        if (lines.get(i).isEmpty()) continue;
        String[] v = lines.get(i).split(",", -1);
        if (v.length != cols.size()) {
          throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + v.length + " values, expected "
              + cols.size() + " (" + String.join(",", cols) + ")");
        }
        Map<String, String> r = new LinkedHashMap<>();
        for (int k = 0; k < v.length; k++) r.put(cols.get(k), v[k]);
        rows.add(r);
      }
      return new RawTable(csv, cols, rows);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + csv, e);
    }
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
