package org.llkd.experiments.product;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.llkd.models.classifier.Prediction;

/**
 * Writes one output row per input row: id, predicted label, the probability of every label.
 * <pre>
 *   jsonl  {"id":"7","label":"positive","probabilities":{"negative":0.01,"neutral":0.04,"positive":0.95}}
 *   csv    id,label,p:negative,p:neutral,p:positive   (RFC 4180, header first)
 * </pre>
 */
public final class PredictionWriter implements AutoCloseable {
  /** Output formats. */
  public enum Format { JSONL, CSV }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Format format;
  private final List<String> labels;
  private final Writer out;
  private final CSVPrinter csv;

  public PredictionWriter(OutputStream out, Format format, List<String> labels) throws IOException {
    this.format = format;
    this.labels = List.copyOf(labels);
    this.out = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    if (format == Format.CSV) {
      List<String> header = new ArrayList<>(List.of("id", "label"));
      for (String l : labels) header.add("p:" + l);
      csv = new CSVPrinter(this.out, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get());
      csv.printRecord(header);
    } else {
      csv = null;
    }
  }

  public void write(String id, Prediction p) throws IOException {
    if (format == Format.CSV) {
      List<Object> rec = new ArrayList<>();
      rec.add(id);
      rec.add(p.label());
      for (String l : labels) rec.add(p.probabilities().get(l));
      csv.printRecord(rec);
    } else {
      java.io.StringWriter sw = new java.io.StringWriter();
      try (JsonGenerator g = JSON.getFactory().createGenerator(sw)) {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("label", p.label());
        g.writeObjectFieldStart("probabilities");
        for (String l : labels) g.writeNumberField(l, p.probabilities().get(l));
        g.writeEndObject();
        g.writeEndObject();
      }
      out.write(sw.toString());
      out.write('\n');
    }
  }

  /** Flushes what was written so far (streaming output). */
  public void flush() throws IOException {
    out.flush();
  }

  @Override public void close() throws IOException {
    out.flush();
  }
}
