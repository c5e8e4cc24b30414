package org.llkd.experiments.product;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.textfile.TextLines;
import org.llkd.models.io.StrictUtf8Reader.MalformedUtf8Exception;
import org.llkd.models.io.StrictUtf8Reader;

/**
 * Streams the rows of a user's text file, one {@link TextRow} at a time (bounded memory for any file size).
 *
 * <p>Formats: {@code csv} (RFC 4180 with a header row, via Apache Commons CSV: quoted fields may hold commas,
 * quotes as {@code ""} and line breaks), {@code tsv} (a header row, then one row per line, fields split at TAB, no
 * quoting), {@code jsonl} (one JSON object per line) and {@code txt} (one text per line, no header, no other
 * column). The format comes from the extension ({@code .csv .tsv .jsonl .json .txt}) unless given. Input must be
 * UTF-8, decoded by the project's strict decoder ({@link StrictUtf8Reader}): invalid bytes are refused at the line
 * that holds them (never replaced); a UTF-8 byte-order mark (Excel's "CSV UTF-8", Notepad) is skipped in every
 * format.
 *
 * <p>One blank-line rule for every format: a line that is empty or holds only whitespace is not a row (skipped,
 * and not counted in the row numbers); a CSV line inside a quoted field is part of that field, not a blank line, and
 * a CSV line holding a quoted empty or whitespace field ({@code ""} or {@code "   "}, what Python's {@code csv.writer}
 * writes for an empty text in a one-column file) is a row with that text, not a blank line.
 *
 * <p>Columns: text (required; an empty or whitespace-only text is a text like any other, and is classified as
 * such), id (optional: the column named by {@code --id-column}; without it a column named exactly {@value
 * Columns#AUTO_ID_COLUMN} when the file has one (a CSV/TSV header name, a key of the first JSONL object) and
 * {@link Columns#autoId()} is on, as pandas and HuggingFace datasets name it; else the 0-based row number), label
 * (optional: absent column or empty cell = no label). Every error names the file, the row and line, what was expected
 * and what was found.
 */
public final class TextFileReader implements Closeable, Iterator<TextRow> {
  /** File formats. */
  public enum Format {
    CSV, TSV, JSONL, TXT;

    /** From the file name's extension; fails naming the supported ones. */
    public static Format detect(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".csv")) return CSV;
      if (n.endsWith(".tsv") || n.endsWith(".tab")) return TSV;
      if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) return JSONL;
      if (n.endsWith(".txt")) return TXT;
      throw TextFileException.inFile(name, "a .csv, .tsv, .jsonl or .txt file (or --input-format csv|tsv|jsonl|txt)",
          "an unknown extension");
    }
  }

  /**
   * Column choice.
   *
   * @param textColumn  name of the text column
   * @param idColumn    name of the id column, or null: the column {@value #AUTO_ID_COLUMN} when {@code autoId} and the
   *                    file has one, else row numbers
   * @param labelColumn name of the label column (may be absent from the file unless {@code requireLabel})
   * @param requireLabel every row must carry a label (evaluation files)
   * @param autoId      without {@code idColumn}, take the ids from a column named {@value #AUTO_ID_COLUMN} when
   *                    there is one (the commands' default; {@code --no-id-column} turns it off)
   */
  public record Columns(String textColumn, String idColumn, String labelColumn, boolean requireLabel, boolean autoId) {
    /** The id column used without --id-column when a file has it: exactly this name (pandas', HuggingFace's). */
    public static final String AUTO_ID_COLUMN = "id";

    public Columns {
      if (textColumn == null || textColumn.isEmpty()) throw new IllegalArgumentException("--text-column must not be empty");
      if (idColumn != null && idColumn.isEmpty()) {
        throw new IllegalArgumentException("--id-column must not be empty (--no-id-column numbers the rows instead)");
      }
    }

    /** Explicit columns: ids from {@code idColumn}, or row numbers when it is null (no automatic id column). */
    public Columns(String textColumn, String idColumn, String labelColumn, boolean requireLabel) {
      this(textColumn, idColumn, labelColumn, requireLabel, false);
    }

    /** The commands' defaults: text, label, and ids from a column named {@value #AUTO_ID_COLUMN} if there is one. */
    public static Columns defaults() { return new Columns("text", null, "label", false, true); }

    public Columns withRequireLabel(boolean r) { return new Columns(textColumn, idColumn, labelColumn, r, autoId); }
  }

  /**
   * A whole file's rows, and where their ids came from.
   *
   * @param rows     the rows
   * @param idColumn the column the ids came from, or null for row numbers
   * @param idColumnFound whether that column was found by its name {@value Columns#AUTO_ID_COLUMN} (no --id-column)
   */
  public record Table(List<TextRow> rows, String idColumn, boolean idColumnFound) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Format format;
  private final Columns columns;
  private final Closeable source;           // what close() closes
  private final TextLines lines;           // TSV, JSONL, TXT
  private final CSVParser csv;             // CSV
  private final Iterator<CSVRecord> csvIt;
  private final RecentChars csvChars;      // CSV: the characters the parser read last (is a record's first one a quote?)
  private List<String> header;              // TSV header
  private int textIdx = -1, idIdx = -1, labelIdx = -1;
  private String idColumn;                  // the id column in use (null: row numbers); JSONL: decided at the first row
  private boolean idColumnFound;            // ... found by its name, without --id-column
  private long lineNo;                     // lines consumed so far (TSV, JSONL, TXT)
  private long rowNo;
  private TextRow next;

  private TextFileReader(String name, InputStream in, Format format, Columns columns) {
    this.name = name;
    this.format = format;
    this.columns = columns;
    try {
      if (format == Format.CSV) {
        lines = null;
        StrictUtf8Reader utf8 = new StrictUtf8Reader(in, true);
        source = utf8;
        csvChars = new RecentChars(utf8);
        csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(csvChars);
        csvIt = csv.iterator();
        header = csv.getHeaderNames();
        checkHeader();
      } else {
        csv = null;
        csvIt = null;
        csvChars = null;
        lines = TextLines.of(name, in, true);
        source = lines;
        if (format == Format.TXT) checkHeader(); // refuses --id-column
        if (format == Format.TSV) {
          String h = readLine();
          if (h == null) {
            header = null; // empty file: no rows
          } else {
            header = List.of(h.split("\t", -1));
            checkHeader();
          }
        }
      }
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      if (e instanceof TextFileException u) throw u;
      throw failure(1, e);
    }
  }

  /** Opens {@code path} ("-" = standard input, format required or TXT) with the format from its extension unless given. */
  public static TextFileReader open(String path, Format format, Columns columns) {
    if ("-".equals(path)) {
      return new TextFileReader("<stdin>", System.in, format == null ? Format.TXT : format, columns);
    }
    Path p = Path.of(path);
    Format f = format != null ? format : Format.detect(p.getFileName().toString());
    try {
      return new TextFileReader(p.toString(), Files.newInputStream(p), f, columns);
    } catch (NoSuchFileException e) {
      throw TextFileException.inFile(p.toString(), "an existing file", "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + p + ": " + e.getMessage(), e);
    }
  }

  /** Opens a stream (tests, stdin) named {@code name} in errors. */
  public static TextFileReader open(String name, InputStream in, Format format, Columns columns) {
    return new TextFileReader(name, in, format, columns);
  }

  /** Reads every row (for files that must fit in memory anyway, e.g. training data). */
  public static List<TextRow> readAll(String path, Format format, Columns columns) {
    return readTable(path, format, columns).rows();
  }

  /** Reads every row, and says which column the ids came from. */
  public static Table readTable(String path, Format format, Columns columns) {
    List<TextRow> out = new ArrayList<>();
    try (TextFileReader r = open(path, format, columns)) {
      while (r.hasNext()) out.add(r.next());
      return new Table(out, r.idColumn(), r.idColumnFound());
    }
  }

  /**
   * The id column {@code path} would use with {@code columns}: {@code --id-column}'s, or {@value
   * Columns#AUTO_ID_COLUMN} when {@code autoId} and the file has it (JSONL: on its first row), or null.
   */
  public static String idColumnOf(String path, Format format, Columns columns) {
    try (TextFileReader r = open(path, format, columns)) {
      r.hasNext(); // JSONL decides at the first row
      return r.idColumn();
    }
  }

  public String name() { return name; }

  /** The column the ids come from, or null for row numbers (JSONL: known once the first row is read). */
  public String idColumn() { return idColumn; }

  /** Whether {@link #idColumn()} was found by its name {@value Columns#AUTO_ID_COLUMN}, without --id-column. */
  public boolean idColumnFound() { return idColumnFound; }

  /** Whether the file has the label column (always false for TXT). */
  public boolean hasLabelColumn() { return format == Format.JSONL ? true : labelIdx >= 0; }

  private void checkHeader() {
    if (format == Format.TXT && columns.idColumn() != null) {
      throw TextFileException.inFile(name, "a CSV, TSV or JSONL file for --id-column '" + columns.idColumn()
          + "' (a .txt file is one text per line, without columns)", "a txt file");
    }
    if (format == Format.JSONL) idColumn = columns.idColumn(); // without it: decided at the first row
    if (format == Format.TXT || format == Format.JSONL || header == null || header.isEmpty()) return; // empty file: no rows
    textIdx = header.indexOf(columns.textColumn());
    if (textIdx < 0) {
      throw TextFileException.atHeader(name, "a text column named '" + columns.textColumn()
          + "' (choose it with --text-column)", "the columns " + header);
    }
    if (columns.idColumn() != null) {
      idIdx = header.indexOf(columns.idColumn());
      if (idIdx < 0) {
        throw TextFileException.atHeader(name, "an id column named '" + columns.idColumn()
            + "' (--id-column; leave it out to use row numbers)", "the columns " + header);
      }
      idColumn = columns.idColumn();
    } else if (columns.autoId() && header.contains(Columns.AUTO_ID_COLUMN)) {
      idIdx = header.indexOf(Columns.AUTO_ID_COLUMN);
      idColumn = Columns.AUTO_ID_COLUMN;
      idColumnFound = true;
    }
    labelIdx = columns.labelColumn() == null ? -1 : header.indexOf(columns.labelColumn());
    if (labelIdx < 0 && columns.requireLabel()) {
      throw TextFileException.atHeader(name, "a label column named '" + columns.labelColumn()
          + "' (--label-column)", "the columns " + header);
    }
  }

  @Override public boolean hasNext() {
    if (next == null) next = read();
    return next != null;
  }

  @Override public TextRow next() {
    if (!hasNext()) throw new NoSuchElementException();
    TextRow r = next;
    next = null;
    return r;
  }

  private TextRow read() {
    try {
      return switch (format) {
        case CSV -> readCsv();
        case TSV -> readTsv();
        case JSONL -> readJsonl();
        case TXT -> readTxt();
      };
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      long where = format == Format.CSV ? csv.getCurrentLineNumber() + 1 : lineNo;
      throw failure(where, e);
    }
  }

  private TextFileException failure(long line, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MalformedUtf8Exception m) return TextFileException.invalidUtf8(name, m); // at the bad byte's line
    }
    Throwable c = e instanceof UncheckedIOException u ? u.getCause() : e;
    String msg = String.valueOf(c.getMessage());
    if (format == Format.CSV) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(startline (\\d+)\\)").matcher(msg);
      boolean named = m.find(); // Commons CSV names the record's first line
      long at = named ? Long.parseLong(m.group(1)) : line;
      return new TextFileException(name, (named ? "line " : "near line ") + at, at, "RFC 4180 CSV (a field with a "
          + "comma, quote or line break is enclosed in \"...\", a quote inside is written \"\")", "a parse error: " + msg, null, e);
    }
    return TextFileException.atLine(name, line, "a readable " + format.name().toLowerCase(Locale.ROOT) + " file", msg, null, e);
  }

  private TextRow readCsv() {
    if (header.isEmpty()) return null; // empty file
    long line;
    CSVRecord rec;
    do { // a blank line (one unquoted field of nothing or whitespace, on one line) is not a row; "" or "  " is one
      line = csv.getCurrentLineNumber() + 1; // the record starts on the line after the last one consumed
      if (!csvIt.hasNext()) return null;
      rec = csvIt.next();
    } while (rec.size() == 1 && rec.get(0).isBlank() && csv.getCurrentLineNumber() <= line
        && !csvChars.isQuote(rec.getCharacterPosition()));
    if (rec.size() != header.size()) {
      throw TextFileException.atRow(name, rowNo, line, header.size() + " fields like the header "
          + header, rec.size() + " fields");
    }
    List<String> fields = rec.toList();
    return row(line, fields.get(textIdx), idIdx < 0 ? null : fields.get(idIdx), labelIdx < 0 ? null : fields.get(labelIdx));
  }

  private TextRow readTsv() throws IOException {
    if (header == null) return null;
    String l;
    do {
      l = readLine();
      if (l == null) return null;
    } while (l.isBlank());
    String[] f = l.split("\t", -1);
    if (f.length != header.size()) {
      throw TextFileException.atRow(name, rowNo, lineNo, header.size()
          + " TAB-separated fields like the header " + header + " (TSV texts cannot hold TABs or line breaks; use CSV)",
          f.length + " fields");
    }
    return row(lineNo, f[textIdx], idIdx < 0 ? null : f[idIdx], labelIdx < 0 ? null : f[labelIdx]);
  }

  private TextRow readJsonl() throws IOException {
    String l;
    do {
      l = readLine();
      if (l == null) return null;
    } while (l.isBlank());
    JsonNode n;
    try {
      n = JSON.readTree(l);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw TextFileException.atLine(name, lineNo, "one JSON object per line", "invalid JSON ("
          + e.getOriginalMessage() + ")", null, e);
    }
    if (n == null || !n.isObject()) {
      throw TextFileException.atLine(name, lineNo, "one JSON object per line", n == null ? "nothing" : n.getNodeType().toString(),
          null, null);
    }
    JsonNode t = n.get(columns.textColumn());
    if (t == null || !t.isTextual()) {
      throw TextFileException.atRow(name, rowNo, lineNo, "a string field '" + columns.textColumn()
          + "' (choose it with --text-column)", t == null ? "the fields " + fieldNames(n) : t.getNodeType() + " " + t);
    }
    if (rowNo == 0 && idColumn == null && columns.autoId() && n.has(Columns.AUTO_ID_COLUMN)) {
      idColumn = Columns.AUTO_ID_COLUMN; // the first object names the file's fields
      idColumnFound = true;
    }
    String id = null;
    if (idColumn != null) {
      JsonNode i = n.get(idColumn);
      if (i == null || !i.isValueNode() || i.isNull()) {
        throw TextFileException.atRow(name, rowNo, lineNo, "an id field '" + idColumn + "'" + (idColumnFound
            ? " on every row (the first row has one, so ids come from it; --no-id-column numbers the rows instead)" : ""),
            i == null ? "the fields " + fieldNames(n) : String.valueOf(i));
      }
      id = i.asText();
    }
    String label = null;
    JsonNode lb = columns.labelColumn() == null ? null : n.get(columns.labelColumn());
    if (lb != null && !lb.isNull()) {
      if (!lb.isTextual()) {
        throw TextFileException.atRow(name, rowNo, lineNo, "a string label in '"
            + columns.labelColumn() + "'", lb.getNodeType() + " " + lb);
      }
      label = lb.asText();
    }
    return row(lineNo, t.asText(), id, label);
  }

  private TextRow readTxt() throws IOException {
    String l;
    do {
      l = readLine();
      if (l == null) return null;
    } while (l.isBlank());
    return row(lineNo, l, null, null);
  }

  private TextRow row(long line, String text, String id, String label) {
    long r = rowNo++;
    if (label != null && label.isEmpty()) label = null;
    if (label == null && columns.requireLabel()) {
      throw TextFileException.atRow(name, r, line, "a label in column '" + columns.labelColumn()
          + "' on every row (this file is used for evaluation)", "an empty or missing label");
    }
    return new TextRow(r, line, id == null ? Long.toString(r) : id, text, label);
  }

  private String readLine() {
    String l = lines.hasNext() ? lines.next().text() : null;
    if (l != null) lineNo++;
    return l;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /**
   * The reader under the CSV parser, keeping the last {@value #WINDOW} characters it handed out, so that a record's
   * first character ({@link CSVRecord#getCharacterPosition()}) can be looked at: RFC 4180 opens a quoted field only
   * with a quote as its first character, so a one-field record starting with one was quoted.
   */
  private static final class RecentChars extends java.io.Reader {
    private static final int WINDOW = 1 << 16; // the parser reads ahead 8,192 characters at most
    private final java.io.Reader in;
    private final char[] ring = new char[WINDOW];
    private long read; // characters handed out so far

    RecentChars(java.io.Reader in) {
      this.in = in;
    }

    @Override public int read(char[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      for (int i = 0; i < n; i++) ring[(int) ((read + i) % WINDOW)] = buf[off + i];
      if (n > 0) read += n;
      return n;
    }

    /** Whether character {@code pos} (0-based) was a quote; false once it is out of the window (a blank line then). */
    boolean isQuote(long pos) {
      return pos >= 0 && pos < read && read - pos <= WINDOW && ring[(int) (pos % WINDOW)] == '"';
    }

    @Override public void close() throws IOException {
      in.close();
    }
  }

  @Override public void close() {
    try {
      if (csv != null) csv.close();
      source.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not close " + name + ": " + e.getMessage(), e);
    }
  }

}
