package org.llkd.experiments.data;

import java.nio.file.Path;
import java.util.List;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.impl.jackson.FieldSelection;
import org.datavec.api.records.reader.impl.jackson.JacksonLineRecordReader;
import org.datavec.api.writable.NullWritable;
import org.datavec.api.writable.Writable;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads BiosBias (De-Arteaga et al. 2019, "Bias in Bios: A Case Study of Semantic Representation Bias in
 * a High-Stakes Setting", FAT*) as JSON lines: one object per line with a text field and a label field.
 * De-Arteaga et al.'s records carry {@code bio} (the biography without its first sentence, which names the
 * occupation: the usual input), {@code raw} (with it) and {@code title} (the occupation); other exports name
 * the label {@code profession}. Which fields to use is an explicit {@link Fields} choice; a line missing a
 * chosen field is an error, never a fallback to another field.
 *
 * <p>Lines are parsed by DataVec's {@link JacksonLineRecordReader} with a {@link FieldSelection} of the two
 * fields; a label is a profession name in the label set (a JSON number is read as its decimal string, so
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

  private BiosBiasReader() {}

  /**
   * @throws DatasetFormatException on invalid UTF-8, an empty file, a line that is not a JSON object, a
   *     missing or non-string field, an unknown label or an empty text
   */
  public static TextDataset read(Path file, String name, Split split, LabelSet labels, Fields fields) {
    String sha256 = SourceFile.check(file, "a JSON object per line");
    SampleCollector rows = new SampleCollector(file, split, labels,
        "pass the label set of this export (BiosBiasReader.LABELS for occupation names) or correct the line");
    FieldSelection selection = new FieldSelection.Builder()
        .addField(NullWritable.INSTANCE, fields.text())
        .addField(NullWritable.INSTANCE, fields.label())
        .build();
    String expected = "a JSON object with string fields \"" + fields.text() + "\" and \"" + fields.label() + "\"";
    JacksonLineRecordReader reader = new JacksonLineRecordReader(selection, new ObjectMapper());
    try (DataVecLines lines = DataVecLines.open(file, reader)) {
      // The JSON reader has no line-level access once a parse fails, so line numbers are counted here too.
      long line = 0;
      while (lines.hasNext()) {
        line++;
        Record r;
        try {
          r = reader.nextRecord();
        } catch (RuntimeException e) {
          throw new DatasetFormatException(file, line, expected, "unparseable content (" + rootMessage(e) + ")",
              "write one complete JSON object per line", e);
        }
        line = ((RecordMetaDataLine) r.getMetaData()).getLineNumber() + 1L;
        List<Writable> v = r.getRecord();
        for (int i = 0; i < 2; i++) {
          if (v.get(i) instanceof NullWritable) {
            throw new DatasetFormatException(file, line, expected,
                "no field \"" + (i == 0 ? fields.text() : fields.label()) + "\"",
                "choose the fields this export uses (BiosBiasReader.Fields)");
          }
        }
        rows.add(line, v.get(1).toString(), v.get(0).toString());
      }
    }
    return rows.build(name, sha256, "at least one JSON line");
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
