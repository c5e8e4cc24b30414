package org.llkd.experiments.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.llkd.models.io.Sha256;

/**
 * The zero-shot class descriptions of one dataset, from {@code teachers/label_descriptions.json}
 * (classpath) or a file, in the dataset's class-id order, with the dataset kind and the documented
 * default temperature.
 *
 * @param dataset            dataset name (key in the file)
 * @param kind               "topic", "emotion" or "sentence-role"
 * @param defaultTemperature documented default T for the zero-shot softmax
 * @param descriptions       one description per class, in {@code labelNames} order
 * @param source             where the file came from, with its SHA-256
 */
public record LabelDescriptions(String dataset, String kind, double defaultTemperature, List<String> labelNames,
    List<String> descriptions, String source) {
  public static final String RESOURCE = "/teachers/label_descriptions.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public LabelDescriptions {
    if (labelNames.size() != descriptions.size()) {
      throw new IllegalArgumentException(labelNames.size() + " labels but " + descriptions.size() + " descriptions");
    }
    if (!(defaultTemperature > 0)) throw new IllegalArgumentException("defaultTemperature must be > 0, got " + defaultTemperature);
    labelNames = List.copyOf(labelNames);
    descriptions = List.copyOf(descriptions);
  }

  /** Loads {@code dataset}'s descriptions from the bundled resource, ordered as {@code labelNames}. */
  public static LabelDescriptions forDataset(String dataset, List<String> labelNames) {
    try (InputStream in = LabelDescriptions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("classpath resource " + RESOURCE + " missing");
      byte[] bytes = in.readAllBytes();
      return parse(bytes, "classpath:" + RESOURCE + " sha256:" + Sha256.of(bytes), dataset, labelNames);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCE, e);
    }
  }

  /** Loads {@code dataset}'s descriptions from {@code file} (same format as the bundled resource). */
  public static LabelDescriptions fromFile(Path file, String dataset, List<String> labelNames) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return parse(bytes, file.toAbsolutePath() + " sha256:" + Sha256.of(bytes), dataset, labelNames);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read label descriptions " + file, e);
    }
  }

  static LabelDescriptions parse(byte[] json, String source, String dataset, List<String> labelNames) throws IOException {
    JsonNode root = JSON.readTree(json);
    JsonNode d = root.get(dataset);
    if (d == null) {
      List<String> known = new ArrayList<>();
      root.fieldNames().forEachRemaining(k -> { if (!k.startsWith("_")) known.add(k); });
      throw new IllegalArgumentException(source + ": no descriptions for dataset '" + dataset + "' (have " + known
          + "); add an entry, or pass --descriptions FILE");
    }
    JsonNode desc = d.get("descriptions");
    JsonNode t = d.get("defaultTemperature");
    JsonNode kind = d.get("kind");
    if (desc == null || t == null || kind == null) {
      throw new IllegalArgumentException(source + ": entry '" + dataset + "' needs kind, defaultTemperature and descriptions");
    }
    Map<String, String> byLabel = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = desc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byLabel.put(e.getKey(), e.getValue().asText());
    }
    if (!new TreeSet<>(byLabel.keySet()).equals(new TreeSet<>(labelNames))) {
      throw new IllegalArgumentException(source + ": descriptions for '" + dataset + "' cover labels " + byLabel.keySet()
          + " but labels.txt has " + labelNames + "; make the keys equal the lines of labels.txt");
    }
    List<String> ordered = new ArrayList<>();
    for (String l : labelNames) ordered.add(byLabel.get(l));
    return new LabelDescriptions(dataset, kind.asText(), t.asDouble(), labelNames, ordered, source);
  }
}
