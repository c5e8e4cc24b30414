package org.llkd.experiments.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.textfile.TextLines;

/**
 * Reads the original PubMed 200k/20k RCT format (Dernoncourt and Lee 2017, "PubMed 200k RCT: a Dataset
 * for Sequential Sentence Classification in Medical Abstracts", IJCNLP; files {@code train.txt},
 * {@code dev.txt}, {@code test.txt}): for each abstract a header line {@code ###<abstract id>}, then one
 * {@code LABEL<TAB>sentence} line per sentence, then a blank line. The NICTA-PIBOSO files shipped under
 * {@code data/nicta_piboso/original/} use the same layout with their own labels.
 *
 * <p>Lines come from {@link TextLines}; the layout is parsed by hand because it is not a
 * table (header lines and blank lines carry structure), and each sentence line is split on its first TAB.
 * Samples are the sentences in file order; ids are {@code <split>-<sentence index>}.
 */
public final class PubMedRctReader {
  /** The five PubMed-RCT classes in the paper's order (= {@code data/pubmed_rct_sample/labels.txt}). */
  public static final LabelSet LABELS = LabelSet.of("BACKGROUND", "OBJECTIVE", "METHODS", "RESULTS", "CONCLUSIONS");

  static final String HEADER_PREFIX = "###";

  private PubMedRctReader() {}

  /**
   * @throws TextFileException on invalid UTF-8, an empty file, a sentence line before the first
   *     header or without TAB, an empty abstract id, a duplicate abstract id, an unknown label or an empty
   *     sentence
   */
  public static TextDataset read(Path file, String name, Split split, LabelSet labels) {
    String sha256 = SourceFile.check(file, "a header line ###<abstract id>");
    SampleCollector rows = new SampleCollector(file, split, labels,
        "pass the label set of this corpus (PubMedRctReader.LABELS for PubMed RCT) or correct the line");
    Map<String, Long> abstractLine = new HashMap<>();
    String currentAbstract = null;
    try (TextLines lines = TextLines.open(file, false)) {
      while (lines.hasNext()) {
        TextLines.Line l = lines.next();
        String s = l.text();
        if (s.isEmpty()) {
          currentAbstract = null; // blank line ends an abstract
        } else if (s.startsWith(HEADER_PREFIX)) {
          String id = s.substring(HEADER_PREFIX.length());
          if (id.isBlank()) {
            throw TextFileException.atLine(file, l.number(), "###<abstract id>", "a header without id",
                "write the PubMed id after ###");
          }
          Long first = abstractLine.putIfAbsent(id, l.number());
          if (first != null) {
            throw TextFileException.atLine(file, l.number(), "a new abstract id",
                "abstract id " + id + " again (first on line " + first + ")",
                "remove the duplicate abstract or give it its own id");
          }
          currentAbstract = id;
        } else {
          if (currentAbstract == null) {
            throw TextFileException.atLine(file, l.number(), "a header line ###<abstract id> before sentences",
                "a sentence line outside an abstract: " + TextFileException.quote(s),
                "add the abstract's ### header (after a blank line)");
          }
          int tab = s.indexOf('\t');
          if (tab < 0) {
            throw TextFileException.atLine(file, l.number(), "2 columns LABEL<TAB>sentence",
                "1 column (no TAB) in " + TextFileException.quote(s), "separate label and sentence by one TAB");
          }
          rows.add(l.number(), s.substring(0, tab), s.substring(tab + 1));
        }
      }
    }
    return rows.build(name, sha256, "at least one LABEL<TAB>sentence line");
  }
}
