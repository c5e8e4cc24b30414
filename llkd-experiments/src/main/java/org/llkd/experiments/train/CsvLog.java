package org.llkd.experiments.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.csv.Csv;
import org.llkd.models.io.AtomicFiles;

/**
 * An append-only CSV log (header + one row per event; Commons CSV quoting, {@link Csv}), flushed after every row so a crash loses at most
 * the row being written. On resume it is cut back atomically to the rows covered by the checkpoint, so
 * the resumed log equals an unbroken run's.
 */
public final class CsvLog implements AutoCloseable {
  private final Path file;
  private final List<String> columns;
  private final BufferedWriter out;
  private long rows;

  private CsvLog(Path file, List<String> columns, long existingRows) throws IOException {
    this.file = file;
    this.columns = List.copyOf(columns);
    this.rows = existingRows;
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** A new log: writes the header (replacing any file). */
  public static CsvLog create(Path file, List<String> columns) {
    AtomicFiles.writeString(file, Csv.line(columns) + "\n");
    try {
      return new CsvLog(file, columns, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + file, e);
    }
  }

  /**
   * Re-opens {@code file} keeping its header and first {@code keepRows} data rows (what the checkpoint
   * covers), dropping any later rows. Fails if the file has fewer rows or another header.
   */
  public static CsvLog resume(Path file, List<String> columns, long keepRows) {
    Csv.Table t = Csv.read(file);
    if (!t.header().equals(columns)) {
      throw new IllegalStateException(file + ": header '" + Csv.line(t.header()) + "' does not match the expected '"
          + Csv.line(columns) + "'; the run directory belongs to another version");
    }
    if (t.rows().size() < keepRows) {
      throw new IllegalStateException(file + " has " + t.rows().size() + " rows but the checkpoint covers "
          + keepRows + "; the log was truncated outside the trainer");
    }
    Csv.write(file, columns, t.rows().subList(0, (int) keepRows).stream().map(Csv.Row::cells).toList());
    try {
      return new CsvLog(file, columns, keepRows);
    } catch (IOException e) {
      throw new UncheckedIOException("could not resume " + file, e);
    }
  }

  /** Appends one row; values are formatted with {@link #format(Object)}. */
  public void row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(file.getFileName() + ": " + values.length + " values for " + columns.size()
          + " columns " + columns);
    }
    List<String> cells = new ArrayList<>(values.length);
    for (Object v : values) cells.add(format(v));
    try {
      out.write(Csv.line(cells));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to " + file, e);
    }
    rows++;
  }

  public long rows() { return rows; }

  public Path file() { return file; }

  /** Doubles at full precision (Double.toString), NaN as empty; quoting is {@link Csv}'s (only when needed). */
  static String format(Object v) {
    if (v == null) return "";
    if (v instanceof Double d) return d.isNaN() ? "" : Double.toString(d);
    if (v instanceof Float f) return f.isNaN() ? "" : Float.toString(f);
    return v.toString();
  }

  @Override public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not close " + file, e);
    }
  }
}
