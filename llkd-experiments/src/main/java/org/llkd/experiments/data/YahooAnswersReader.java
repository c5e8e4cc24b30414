package org.llkd.experiments.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.textfile.CsvRecords;
import org.llkd.experiments.textfile.TextFileException;

/**
 * Reads the original Yahoo! Answers CSV of Zhang, Zhao and LeCun 2015 ("Character-level Convolutional
 * Networks for Text Classification", NeurIPS; {@code yahoo_answers_csv/train.csv}, {@code test.csv}): no
 * header, four quoted fields {@code "class","question title","question content","best answer"}, class
 * 1..10 in the order of the corpus' {@code classes.txt} ({@link #LABELS}), {@code ""} for a quote inside a
 * field, line breaks inside fields written as the two characters {@code \n}.
 *
 * <p>Text = the non-empty ones of title, content and answer joined by one space, each literal {@code \n}
 * replaced by one space (the project's normalisation replaces line breaks by a space); other backslashes
 * are kept. Records are read with {@link CsvRecords} (Commons CSV, RFC 4180, no escape character).
 */
public final class YahooAnswersReader {
  /** The ten classes in {@code classes.txt} order (= {@code data/yahoo_answers/labels.txt}): class k is id k-1. */
  public static final LabelSet LABELS = LabelSet.of("Society & Culture", "Science & Mathematics", "Health",
      "Education & Reference", "Computers & Internet", "Sports", "Business & Finance", "Entertainment & Music",
      "Family & Relationships", "Politics & Government");

  private static final int COLUMNS = 4;

  private YahooAnswersReader() {}

  /**
   * @param labels the class names in class-number order; class k (1-based in the file) is id k-1
   * @throws TextFileException on invalid UTF-8, an empty file, a record without 4 fields, a class not
   *     in 1..labels.size() or an empty text
   */
  public static TextDataset read(Path file, String name, Split split, LabelSet labels) {
    String sha256 = SourceFile.check(file, "\"class\",\"title\",\"question\",\"answer\" records");
    SampleCollector rows = new SampleCollector(file, split, labels, "unused: classes are numbers");
    try (CsvRecords csv = CsvRecords.open(file, ',')) {
      while (csv.hasNext()) {
        CsvRecords.Row r = csv.next();
        List<String> f = r.fields();
        if (f.size() != COLUMNS) {
          throw TextFileException.atLine(file, r.firstLine(), COLUMNS + " fields \"class\",\"title\",\"question\",\"answer\"",
              f.size() + " field(s)", "quote every field and write quotes inside fields as \"\"");
        }
        int classId = parseClass(file, r.firstLine(), f.get(0), labels.size());
        List<String> parts = new ArrayList<>(3);
        for (String part : f.subList(1, COLUMNS)) {
          String p = part.replace("\\n", " ");
          if (!p.isEmpty()) {
            parts.add(p);
          }
        }
        rows.addId(r.firstLine(), classId, String.join(" ", parts));
      }
    }
    return rows.build(name, sha256, "at least one record");
  }

  private static int parseClass(Path file, long line, String field, int numClasses) {
    int k = -1;
    if (field.matches("[0-9]{1,9}")) {
      k = Integer.parseInt(field);
    }
    if (k < 1 || k > numClasses) {
      throw TextFileException.atLine(file, line, "a class number in 1.." + numClasses,
          "class " + TextFileException.quote(field),
          "check the column order (class first) and that the label set matches the corpus");
    }
    return k - 1;
  }
}
