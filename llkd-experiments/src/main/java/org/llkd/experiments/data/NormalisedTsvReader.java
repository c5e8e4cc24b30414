package org.llkd.experiments.data;

import java.nio.file.Path;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.textfile.TextLines;

/**
 * Reads one split of the normalised TSV format of {@code data/} (see {@code data/MANIFEST.md}): UTF-8,
 * header {@code label<TAB>text}, then {@code <label><TAB><text>} per line.
 *
 * <p>Lines come from {@link TextLines}; each is split by hand on its <em>first</em> TAB. A CSV parser with a TAB
 * delimiter does not fit: it treats {@code "} as a quote character, so texts containing quotes would be altered.
 * Texts are kept exactly as in the file (not trimmed).
 */
public final class NormalisedTsvReader {
  /** The header line every normalised TSV starts with. */
  public static final String HEADER = "label\ttext";

  private NormalisedTsvReader() {}

  /**
   * @param tsv    e.g. {@code data/emotion/train.tsv}
   * @param name   dataset name recorded in the result
   * @param split  split recorded in the result and used for sample ids
   * @param labels the dataset's {@code labels.txt}; every row label must be in it
   * @throws TextFileException on invalid UTF-8, an empty file, a wrong header, a row without TAB,
   *     an unknown label or an empty text
   */
  public static TextDataset read(Path tsv, String name, Split split, LabelSet labels) {
    String sha256 = SourceFile.check(tsv, "the header " + TextFileException.quote(HEADER));
    SampleCollector rows = new SampleCollector(tsv, split, labels,
        "add the label to labels.txt or correct the row (labels are matched exactly, case and spaces included)");
    try (TextLines lines = TextLines.open(tsv, false)) {
      TextLines.Line header = lines.next();
      if (!header.text().equals(HEADER)) {
        throw TextFileException.atLine(tsv, header.number(), "the header " + TextFileException.quote(HEADER),
            TextFileException.quote(header.text()), "add the header line; every normalised TSV starts with it");
      }
      while (lines.hasNext()) {
        TextLines.Line l = lines.next();
        int tab = l.text().indexOf('\t');
        if (tab < 0) {
          throw TextFileException.atLine(tsv, l.number(), "2 columns <label><TAB><text>",
              "1 column (no TAB) in " + TextFileException.quote(l.text()),
              "separate label and text by one TAB; texts must not contain line breaks");
        }
        rows.add(l.number(), l.text().substring(0, tab), l.text().substring(tab + 1));
      }
    }
    return rows.build(name, sha256, "at least one <label><TAB><text> row after the header");
  }
}
