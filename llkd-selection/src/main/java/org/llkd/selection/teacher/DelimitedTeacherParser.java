package org.llkd.selection.teacher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses CSV ({@code ,}) and TSV ({@code TAB}) teacher tables:
 * <pre>
 * id,sadness,joy,love                 probabilities, one column per class
 * train-0,0.1,0.7,0.2
 *
 * id,logit:sadness,logit:joy,logit:love   logits: every class column carries the "logit:" prefix
 * train-0,-1.2,2.3,0.4
 * </pre>
 * The header is required (it names the classes); the first column is {@code id}. Each line is one RFC 4180 record,
 * parsed with Apache Commons CSV: a field holding the separator or a quote is enclosed in double quotes, a quote inside
 * written {@code ""} ({@code "love, romantic"}); a quoted field may not span lines (an unclosed quote is an error
 * naming the line). Numbers are decimal
 * ({@code 0.25}, {@code 1e-3}); {@code nan}/{@code inf} (any case, as Python writes them) are read so that the
 * validation reports them as non-finite. Line ends {@code \n} or {@code \r\n}; no blank lines.
 */
final class DelimitedTeacherParser {
  static final String LOGIT_PREFIX = "logit:";
  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern NON_FINITE = Pattern.compile("[+-]?(?i:nan|inf|infinity)");

  private DelimitedTeacherParser() {}

  static RawTeacher parse(Path file, TeacherFormat format) {
    char sep = format == TeacherFormat.TSV ? '\t' : ',';
    String sepName = format == TeacherFormat.TSV ? "TAB" : "comma";
    CSVFormat csv = CSVFormat.RFC4180.builder().setDelimiter(sep).get();
    String src = file.toString();
    List<String> ids = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    List<String> names = new ArrayList<>();
    TeacherValueKind[] kind = new TeacherValueKind[1];
    String sha = StrictUtf8Lines.read(file, (lineNo, line) -> {
      String at = "line " + lineNo;
      if (line.isEmpty()) {
        throw TeacherFormatException.in(src, at)
            .problem("blank line")
            .expected(lineNo == 1 ? "the header id" + sep + "<label>..." : "a data row id" + sep + "<value>...")
            .found("an empty line")
            .fix("remove the blank line (blank lines are ignored only at the end of the file)")
            .build();
      }
      String[] f = fields(src, at, line, csv, sepName);
      if (lineNo == 1) {
        parseHeader(src, f, sepName, names, kind);
        return;
      }
      if (f.length != names.size() + 1) {
        throw TeacherFormatException.in(src, at)
            .problem("wrong number of classes (" + sepName + "-separated fields)")
            .expected((names.size() + 1) + " fields: id and one value per label in the header (line 1)")
            .found(f.length + " fields")
            .fix("write one value per header class on every row")
            .build();
      }
      double[] v = new double[names.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = number(src, at, f[k + 1], k, names.get(k));
      }
      ids.add(f[0]);
      values.add(v);
    });
    if (names.isEmpty() && ids.isEmpty()) {
      throw TeacherFormatException.in(src, "file")
          .problem("empty file")
          .expected("a header line id" + sep + "<label>... and data rows")
          .found("no lines")
          .fix("check that the teacher export finished")
          .build();
    }
    if (ids.isEmpty()) {
      throw TeacherFormatException.in(src, "file")
          .problem("no data rows after the header")
          .expected("at least one row id" + sep + "<value>...")
          .found("only the header line")
          .fix("check that the teacher export finished and wrote its rows")
          .build();
    }
    Map<String, String> shas = new LinkedHashMap<>();
    shas.put(src, sha);
    return new RawTeacher(new RawTeacher.File(src, format, Map.of(), shas), ids,
        new RawTeacher.Labels(names, "line 1 (header)"), values.toArray(new double[0][]), kind[0],
        new RowLocator("line", 2));
  }

  private static void parseHeader(String src, String[] f, String sepName, List<String> names,
      TeacherValueKind[] kind) {
    if (!f[0].equals("id") || f.length < 2) {
      throw TeacherFormatException.in(src, "line 1")
          .problem("malformed header")
          .expected("\"id\" then one column per class, " + sepName + "-separated")
          .found(JsonlTeacherParser.snippet(String.join("|", f)) + " (fields joined by |)")
          .fix("write the header id,<label1>,<label2>,... (or id,logit:<label1>,... for logits)")
          .build();
    }
    int withPrefix = 0;
    for (int j = 1; j < f.length; j++) {
      if (f[j].startsWith(LOGIT_PREFIX)) {
        withPrefix++;
      }
    }
    if (withPrefix != 0 && withPrefix != f.length - 1) {
      throw TeacherFormatException.in(src, "line 1")
          .problem("mixes probability and logit: columns")
          .expected("all class columns with the \"logit:\" prefix (logits) or none (probabilities)")
          .found(withPrefix + " of " + (f.length - 1) + " with the prefix")
          .fix("prefix every class column with logit:, or none")
          .build();
    }
    kind[0] = withPrefix == 0 ? TeacherValueKind.PROBS : TeacherValueKind.LOGITS;
    for (int j = 1; j < f.length; j++) {
      names.add(withPrefix == 0 ? f[j] : f[j].substring(LOGIT_PREFIX.length()));
    }
  }

  private static double number(String src, String at, String s, int k, String name) {
    if (DECIMAL.matcher(s).matches()) {
      return Double.parseDouble(s);
    }
    if (NON_FINITE.matcher(s).matches()) {
      String l = s.toLowerCase(java.util.Locale.ROOT);
      return l.contains("nan") ? Double.NaN : l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    throw TeacherFormatException.in(src, at)
        .problem("not a number at class " + k + " ('" + name + "')")
        .expected("a decimal number such as 0.25 or 1e-3")
        .found(JsonlTeacherParser.snippet(s))
        .fix("write plain decimal numbers (no spaces, no thousands separators, '.' as decimal point)")
        .build();
  }

  /** One line as one RFC 4180 record (Commons CSV); an unclosed quote is an error naming the line. */
  private static String[] fields(String src, String at, String line, CSVFormat csv, String sepName) {
    try (CSVParser p = CSVParser.parse(line, csv)) {
      List<CSVRecord> records = p.getRecords();
      if (records.size() == 1) {
        return records.get(0).values();
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      // falls through to the error below
    }
    throw TeacherFormatException.in(src, at)
        .problem("unclosed quote")
        .expected("RFC 4180 fields on one line: a field holding a " + sepName + " or a quote enclosed in double quotes, "
            + "a quote inside written as \"\"")
        .found(JsonlTeacherParser.snippet(line))
        .fix("close the quote on the same line (fields cannot span lines), or write \"\" for a literal quote")
        .build();
  }
}
