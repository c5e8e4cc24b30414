package org.llkd.experiments.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.textfile.CsvRecords;
import org.llkd.experiments.textfile.TextFileException;

/**
 * Reads the Arxiv-10 CSV of Farhangi et al. 2022 ("Protoformer: Embedding Prototypes for Transformers",
 * PAKDD; {@code arxiv100.csv} in {@code data/ArXiv-10.zip} of github.com/ashfarhangi/Protoformer): a header
 * row, then one paper per record; columns are found by name in the header, which must contain
 * {@code abstract} and {@code label} ({@code title} too for {@link TextFields#TITLE_AND_ABSTRACT}); other
 * columns (e.g. a pandas index) are ignored. Fields may be quoted and a quoted abstract may span lines.
 *
 * <p>Each line break inside a field is replaced by one space (the project's normalisation); nothing is
 * trimmed. Records are read with {@link CsvRecords} (Commons CSV, RFC 4180, no escape character, so LaTeX
 * backslashes are kept).
 */
public final class Arxiv10Reader {
  /**
   * The ten arXiv top-level categories of Arxiv-10, alphabetical. Taken from the paper's description, not
   * checked against the CSV (its blob was not available here): an unknown label fails loudly, so a
   * mismatch cannot pass unnoticed.
   */
  public static final LabelSet LABELS = LabelSet.of("astro-ph", "cond-mat", "cs", "eess", "hep-ph", "hep-th",
      "math", "physics", "quant-ph", "stat");

  /** Which columns make the text. */
  public enum TextFields {
    /** The {@code abstract} column alone. */
    ABSTRACT,
    /** {@code title}, one space, {@code abstract}. */
    TITLE_AND_ABSTRACT
  }

  private Arxiv10Reader() {}

  /**
   * @throws TextFileException on invalid UTF-8, an empty file, a header without the needed columns or
   *     with a duplicate name, a record with another number of fields than the header, an unknown label or
   *     an empty text
   */
  public static TextDataset read(Path file, String name, Split split, LabelSet labels, TextFields textFields) {
    String sha256 = SourceFile.check(file, "a CSV header with columns abstract and label");
    SampleCollector rows = new SampleCollector(file, split, labels,
        "pass the label set of this file or correct the record");
    try (CsvRecords csv = CsvRecords.open(file, ',')) {
      CsvRecords.Row header = csv.next();
      Map<String, Integer> col = new HashMap<>();
      for (int i = 0; i < header.fields().size(); i++) {
        Integer prev = col.put(header.fields().get(i), i);
        if (prev != null) {
          throw TextFileException.atLine(file, header.firstLine(), "distinct column names",
              "column " + TextFileException.quote(header.fields().get(i)) + " twice", "rename one of them");
        }
      }
      List<String> needed = textFields == TextFields.TITLE_AND_ABSTRACT
          ? List.of("title", "abstract", "label") : List.of("abstract", "label");
      for (String c : needed) {
        if (!col.containsKey(c)) {
          throw TextFileException.atLine(file, header.firstLine(), "a header with columns " + needed,
              "columns " + header.fields(), "name the columns in the header row (lower case)");
        }
      }
      int columns = header.fields().size();
      int abs = col.get("abstract");
      int lab = col.get("label");
      Integer title = col.get("title");
      while (csv.hasNext()) {
        CsvRecords.Row r = csv.next();
        if (r.fields().size() != columns) {
          throw TextFileException.atLine(file, r.firstLine(), columns + " fields as in the header",
              r.fields().size() + " field(s)", "quote fields that contain commas; a quote inside quotes is \"\"");
        }
        String text = oneLine(r.fields().get(abs));
        if (textFields == TextFields.TITLE_AND_ABSTRACT) {
          text = oneLine(r.fields().get(title)) + " " + text;
        }
        rows.add(r.firstLine(), r.fields().get(lab), text);
      }
    }
    return rows.build(name, sha256, "at least one record after the header");
  }

  private static String oneLine(String field) {
    return field.replace('\n', ' ');
  }
}
