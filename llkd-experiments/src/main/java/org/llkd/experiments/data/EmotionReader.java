package org.llkd.experiments.data;

import java.nio.file.Path;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.textfile.TextLines;

/**
 * Reads the original Emotion files (Saravia et al. 2018, "CARER: Contextualized Affect Representations
 * for Emotion Recognition", EMNLP; the dair-ai/emotion {@code train.txt}, {@code val.txt},
 * {@code test.txt}): one {@code text;label} per line, label a class name. The copies shipped under
 * {@code data/emotion/original/} start with a header {@code text;label_name}; a first line that is exactly
 * {@code text;label_name} or {@code text;label} is taken as that header, any other first line is data.
 *
 * <p>Lines come from {@link TextLines}; each is split by hand on its <em>last</em>
 * {@code ;} (as the manifest prescribes), which a delimiter-based CSV reader cannot express.
 */
public final class EmotionReader {
  /** The six classes in dair-ai's ClassLabel order (= {@code data/emotion/labels.txt}). */
  public static final LabelSet LABELS = LabelSet.of("sadness", "joy", "love", "anger", "fear", "surprise");

  private EmotionReader() {}

  /**
   * @throws TextFileException on invalid UTF-8, an empty file, a line without {@code ;}, an unknown
   *     label or an empty text
   */
  public static TextDataset read(Path file, String name, Split split, LabelSet labels) {
    String sha256 = SourceFile.check(file, "text;label lines");
    SampleCollector rows = new SampleCollector(file, split, labels,
        "pass the right label set (EmotionReader.LABELS) or correct the line");
    try (TextLines lines = TextLines.open(file, false)) {
      boolean first = true;
      while (lines.hasNext()) {
        TextLines.Line l = lines.next();
        String s = l.text();
        if (first && (s.equals("text;label_name") || s.equals("text;label"))) {
          first = false;
          continue;
        }
        first = false;
        int semi = s.lastIndexOf(';');
        if (semi < 0) {
          throw TextFileException.atLine(file, l.number(), "2 fields text;label",
              "1 field (no ';') in " + TextFileException.quote(s), "end the line with ;<label>");
        }
        rows.add(l.number(), s.substring(semi + 1), s.substring(0, semi));
      }
    }
    return rows.build(name, sha256, "at least one text;label line");
  }
}
