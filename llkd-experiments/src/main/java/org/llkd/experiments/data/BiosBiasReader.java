package org.llkd.experiments.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.textfile.TextLines;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads BiosBias (De-Arteaga et al. 2019, "Bias in Bios: A Case Study of Semantic Representation Bias in
 * a High-Stakes Setting", FAT*) as JSON lines: one object per line with a text field and a label field.
 * De-Arteaga et al.'s records carry {@code bio} (the biography without its first sentence, which names the
 * occupation: the usual input), {@code raw} (with it) and {@code title} (the occupation); other exports name
 * the label {@code profession}. Which fields to use is an explicit {@link Fields} choice; a line missing a
 * chosen field is an error, never a fallback to another field.
 *
 * <p>Each line (from {@link TextLines}) is parsed as a JSON object by Jackson and the two fields are taken from
 * its top level; a label is a profession name in the label set (a JSON number is read as its decimal string, so
 * integer-coded exports need a label set of {@code "0".."27"}).
 */
public final class BiosBiasReader {
  /** The 28 occupations of BiosBias, alphabetical (the order of the Hugging Face LabHC/bias_in_bios ids). */
  public static final LabelSet LABELS = LabelSet.of("accountant", "architect", "attorney", "chiropractor",
      "comedian", "composer", "dentist", "dietitian", "dj", "filmmaker", "interior_designer", "journalist", "model",
      "nurse", "painter", "paralegal", "pastor", "personal_trainer", "photographer", "physician", "poet",
      "professor", "psychologist", "rapper", "software_engineer", "surgeon", "teacher", "yoga_teacher");

  /**
   * The JSON field holding the text and the one holding the label.
   *
   * @param text  e.g. {@code bio} or {@code raw}
   * @param label e.g. {@code title} or {@code profession}
   */
  public record Fields(String text, String label) {
    /** De-Arteaga et al.'s fields: text {@code bio}, label {@code title}. */
    public static final Fields BIO_TITLE = new Fields("bio", "title");
    /** Text {@code raw} (first sentence included), label {@code title}. */
    public static final Fields RAW_TITLE = new Fields("raw", "title");
    /** Text {@code bio}, label {@code profession}. */
    public static final Fields BIO_PROFESSION = new Fields("bio", "profession");

    public Fields {
      if (text == null || text.isBlank() || label == null || label.isBlank() || text.equals(label)) {
        throw new IllegalArgumentException("text and label fields must be two different non-blank names, got "
            + text + ", " + label);
      }
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private BiosBiasReader() {}

  /**
   * @throws TextFileException on invalid UTF-8, an empty file, a line that is not a JSON object, a
   *     missing or non-string field, an unknown label or an empty text
   */
  public static TextDataset read(Path file, String name, Split split, LabelSet labels, Fields fields) {
    String sha256 = SourceFile.check(file, "a JSON object per line");
    SampleCollector rows = new SampleCollector(file, split, labels,
        "pass the label set of this export (BiosBiasReader.LABELS for occupation names) or correct the line");
    String expected = "a JSON object with string fields \"" + fields.text() + "\" and \"" + fields.label() + "\"";
    try (TextLines lines = TextLines.open(file, false)) {
      while (lines.hasNext()) {
        TextLines.Line l = lines.next();
        String[] v; // [text, label], null where the line lacks the field
        try {
          v = selectFields(l.text(), fields.text(), fields.label());
        } catch (IOException | RuntimeException e) {
          throw new TextFileException(file.toString(), "line " + l.number(), l.number(), expected,
              "unparseable content (" + rootMessage(e) + ")", "write one complete JSON object per line", e);
        }
        for (int i = 0; i < 2; i++) {
          if (v[i] == null) {
            throw TextFileException.atLine(file, l.number(), expected,
                "no field \"" + (i == 0 ? fields.text() : fields.label()) + "\"",
                "choose the fields this export uses (BiosBiasReader.Fields)");
          }
        }
        rows.add(l.number(), v[1], v[0]);
      }
    }
    return rows.build(name, sha256, "at least one JSON line");
  }

  /**
   * The values of the top-level fields {@code names} of one JSON object line, each null when absent; a string as it
   * is, a number as its decimal string (DataVec's {@code JacksonLineRecordReader} rule, which this reader used before);
   * any other value (boolean, null, array, object) is refused.
   */
  private static String[] selectFields(String line, String... names) throws IOException {
    Map<String, Object> map = JSON.readValue(line, OBJECT);
    if (map == null) {
      throw new IllegalStateException("a JSON null instead of an object");
    }
    String[] out = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      if (!map.containsKey(names[i])) continue;
      Object o = map.get(names[i]);
      if (o instanceof String str) {
        out[i] = str;
      } else if (o instanceof Number n) {
        out[i] = n.toString();
      } else {
        throw new IllegalStateException("Expected to find String on path [" + names[i] + "], found "
            + (o == null ? "null" : o.getClass() + " with value " + o));
      }
    }
    return out;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
