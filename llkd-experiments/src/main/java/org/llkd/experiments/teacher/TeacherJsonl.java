package org.llkd.experiments.teacher;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.models.io.AtomicFiles;

/**
 * Writes (atomically) and reads the canonical teacher JSONL: optional first line {@code {"_meta": {...}}},
 * then {@code {"id":"train-0","probs":[...],"label_names":[...]}} per line. Probabilities are rounded to
 * {@link #SIGNIFICANT_DIGITS} significant digits.
 */
public final class TeacherJsonl {
  public static final int SIGNIFICANT_DIGITS = 7;
  private static final MathContext ROUND = new MathContext(SIGNIFICANT_DIGITS);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A teacher file as read: header, ids in file order, probabilities {@code [n][numClasses]}, label names. */
  public record Contents(Map<String, Object> meta, List<String> ids, List<double[]> probs, List<String> labelNames) {}

  private TeacherJsonl() {}

  /** Writes {@code ids} with {@code probs} ({@code [n][numClasses]}) to {@code file}, temp file + rename. */
  public static void write(Path file, Map<String, Object> meta, List<String> ids, double[][] probs, List<String> labelNames) {
    if (ids.size() != probs.length) throw new IllegalArgumentException(ids.size() + " ids but " + probs.length + " probability rows");
    AtomicFiles.write(file, out -> writeTo(out, meta, ids, probs, labelNames));
  }

  private static void writeTo(OutputStream os, Map<String, Object> meta, List<String> ids, double[][] probs,
      List<String> labelNames) throws IOException {
    try (JsonGenerator g = JSON.getFactory().createGenerator(os)) {
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      g.setRootValueSeparator(null);
      g.writeStartObject();
      g.writeFieldName("_meta");
      JSON.writeValue(g, meta);
      g.writeEndObject();
      g.writeRaw('\n');
      for (int i = 0; i < probs.length; i++) {
        g.writeStartObject();
        g.writeStringField("id", ids.get(i));
        g.writeArrayFieldStart("probs");
        for (double p : probs[i]) {
          if (!Double.isFinite(p)) throw new IllegalArgumentException("row " + ids.get(i) + ": non-finite probability " + p);
          g.writeNumber(new BigDecimal(p).round(ROUND).doubleValue());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("label_names");
        for (String l : labelNames) g.writeString(l);
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
      }
    }
  }

  /** Reads a teacher JSONL written by {@link #write} (or by hand in the same format). */
  public static Contents read(Path file) {
    Map<String, Object> meta = Map.of();
    List<String> ids = new ArrayList<>();
    List<double[]> probs = new ArrayList<>();
    List<String> labelNames = null;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line; (line = r.readLine()) != null; ) {
        lineNo++;
        JsonNode node = JSON.readTree(line);
        if (lineNo == 1 && node.has("_meta")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = JSON.convertValue(node.get("_meta"), LinkedHashMap.class);
          meta = m;
          continue;
        }
        if (!node.has("id") || !node.has("probs")) throw new IllegalArgumentException(file + " line " + lineNo + ": expected id and probs");
        ids.add(node.get("id").asText());
        JsonNode p = node.get("probs");
        double[] row = new double[p.size()];
        for (int c = 0; c < row.length; c++) row[c] = p.get(c).asDouble();
        probs.add(row);
        if (node.has("label_names")) {
          List<String> names = new ArrayList<>();
          node.get("label_names").forEach(n -> names.add(n.asText()));
          if (labelNames == null) labelNames = names;
          else if (!labelNames.equals(names)) throw new IllegalArgumentException(file + " line " + lineNo + ": label_names differ from earlier lines");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
    return new Contents(meta, ids, probs, labelNames);
  }
}
