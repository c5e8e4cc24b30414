package org.llkd.selection.teacher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the canonical JSONL teacher format:
 * <pre>
 * {"_meta": {"model": "...", "prompt_template": "...", "date": "..."}}     (optional, line 1 only)
 * {"id": "train-0", "probs": [0.1, 0.7, 0.2], "label_names": ["sadness", "joy", "love"]}
 * {"id": "train-1", "logits": [1.5, -0.3, 0.2]}                           ("logits" instead of "probs")
 * </pre>
 * Every data line has exactly one of {@code probs}/{@code logits} (the same one on every line); if any line
 * has {@code label_names}, every line has the identical list. Keys starting with {@code _} on data lines are
 * ignored (free annotations); any other key is an error. {@code NaN}/{@code Infinity} literals are parsed so
 * that the validation can report them as non-finite values rather than as malformed JSON.
 */
final class JsonlTeacherParser {
  static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private JsonlTeacherParser() {}

  static RawTeacher parse(Path file) {
    return parse(file, false);
  }

  /** As {@link #parse(Path)}; with {@code freeIds} an integral JSON number is an id too ({@code 17} = "17"). */
  static RawTeacher parse(Path file, boolean freeIds) {
    String src = file.toString();
    List<String> ids = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    State st = new State();
    String sha = StrictUtf8Lines.read(file, (lineNo, line) -> {
      if (line.isBlank()) {
        throw TeacherFormatException.in(src, "line " + lineNo)
            .problem("blank line")
            .expected("one JSON object per line")
            .found("an empty line")
            .fix("remove the blank line (blank lines are ignored only at the end of the file)")
            .build();
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw TeacherFormatException.in(src, "line " + lineNo)
            .problem("malformed JSON (" + e.getOriginalMessage().replace('\n', ' ') + ", column "
                + e.getLocation().getColumnNr() + ")")
            .expected("one complete JSON object per line")
            .found(snippet(line))
            .fix("write each row with json.dumps(obj) on its own line; do not pretty-print or split objects")
            .build(e);
      }
      if (node == null || !node.isObject()) {
        throw TeacherFormatException.in(src, "line " + lineNo)
            .problem("line is not a JSON object")
            .expected("{\"id\": ..., \"probs\"|\"logits\": [...]}")
            .found(snippet(line))
            .fix("write one JSON object per line")
            .build();
      }
      if (node.has("_meta")) {
        if (lineNo != 1 || node.size() != 1 || !node.get("_meta").isObject()) {
          throw TeacherFormatException.in(src, "line " + lineNo)
              .problem("misplaced or malformed _meta header")
              .expected("{\"_meta\": {...}} alone, on line 1 only")
              .found(snippet(line))
              .fix("write the provenance header once, as the first line, with no other keys")
              .build();
        }
        st.metadata = MAPPER.convertValue(node.get("_meta"), Metadata.MAP_TYPE);
        st.dataLineOffset = 2;
        return;
      }
      parseRow(src, lineNo, node, line, st, ids, values, freeIds);
    });
    if (ids.isEmpty()) {
      throw TeacherFormatException.in(src, "file")
          .problem(st.metadata == null ? "empty file" : "no data rows after the _meta header")
          .expected("at least one line {\"id\": ..., \"probs\"|\"logits\": [...]}")
          .found(st.metadata == null ? "no lines" : "only the _meta line")
          .fix("check that the teacher export finished and wrote its rows")
          .build();
    }
    Map<String, String> shas = new LinkedHashMap<>();
    shas.put(src, sha);
    return new RawTeacher(
        new RawTeacher.File(src, TeacherFormat.JSONL, st.metadata == null ? Map.of() : st.metadata, shas), ids,
        new RawTeacher.Labels(st.labelNames, st.labelNamesLocation), values.toArray(new double[0][]), st.kind,
        new RowLocator("line", st.dataLineOffset));
  }

  private static void parseRow(String src, int lineNo, JsonNode node, String line, State st, List<String> ids,
      List<double[]> values, boolean freeIds) {
    String at = "line " + lineNo;
    if (lineNo - st.dataLineOffset != ids.size()) {
      throw new IllegalStateException("line bookkeeping");
    }
    Iterator<String> keys = node.fieldNames();
    while (keys.hasNext()) {
      String k = keys.next();
      if (!k.equals("id") && !k.equals("probs") && !k.equals("logits") && !k.equals("label_names")
          && !k.startsWith("_")) {
        throw TeacherFormatException.in(src, at)
            .problem("unknown key '" + k + "'")
            .expected("only id, probs or logits, label_names (and keys starting with '_', which are ignored)")
            .found("keys " + fieldNames(node))
            .fix("remove '" + k + "' or rename it to '_" + k + "'")
            .build();
      }
    }
    JsonNode id = node.get("id");
    if (freeIds && id != null && id.isIntegralNumber()) {
      id = com.fasterxml.jackson.databind.node.TextNode.valueOf(id.asText()); // pandas writes integer ids as numbers
    }
    if (id == null || !id.isTextual()) {
      throw TeacherFormatException.in(src, at)
          .problem("missing or non-string id")
          .expected("\"id\": \"<split>-<rowIndex>\" (a JSON string)")
          .found(id == null ? "no id key" : "id " + id)
          .fix("write the dataset sample id as a string, e.g. \"train-0\"")
          .build();
    }
    boolean hasProbs = node.has("probs");
    boolean hasLogits = node.has("logits");
    if (hasProbs == hasLogits) {
      throw TeacherFormatException.in(src, at)
          .problem(hasProbs ? "both probs and logits" : "neither probs nor logits")
          .expected("exactly one of \"probs\" or \"logits\"")
          .found(hasProbs ? "both keys" : "keys " + fieldNames(node))
          .fix(hasProbs ? "keep only one of the two arrays (logits if the teacher produced logits)"
              : "add the class values as \"probs\" (probabilities) or \"logits\"")
          .build();
    }
    TeacherValueKind kind = hasProbs ? TeacherValueKind.PROBS : TeacherValueKind.LOGITS;
    String key = hasProbs ? "probs" : "logits";
    if (st.kind == null) {
      st.kind = kind;
      st.kindLine = lineNo;
    } else if (st.kind != kind) {
      throw TeacherFormatException.in(src, at)
          .problem("mixes probs and logits across lines")
          .expected("\"" + (st.kind == TeacherValueKind.PROBS ? "probs" : "logits") + "\" as on line " + st.kindLine)
          .found("\"" + key + "\"")
          .fix("write the same kind of values on every line")
          .build();
    }
    JsonNode arr = node.get(key);
    if (!arr.isArray()) {
      throw TeacherFormatException.in(src, at)
          .problem("\"" + key + "\" is not an array")
          .expected("a JSON array of numbers")
          .found(snippet(arr.toString()))
          .fix("write \"" + key + "\": [v0, v1, ...] with one number per class")
          .build();
    }
    double[] v = new double[arr.size()];
    for (int k = 0; k < v.length; k++) {
      JsonNode x = arr.get(k);
      if (!x.isNumber()) {
        throw TeacherFormatException.in(src, at)
            .problem("non-numeric " + key + " entry at class " + k)
            .expected("a JSON number")
            .found(snippet(x.toString()))
            .fix("write numbers, not strings or null (json.dumps of a float list)")
            .build();
      }
      v[k] = x.doubleValue();
    }
    JsonNode names = node.get("label_names");
    List<String> lineNames = null;
    if (names != null) {
      if (!names.isArray()) {
        throw TeacherFormatException.in(src, at)
            .problem("label_names is not an array")
            .expected("a JSON array of strings")
            .found(snippet(names.toString()))
            .fix("write \"label_names\": [\"name0\", \"name1\", ...]")
            .build();
      }
      lineNames = new ArrayList<>(names.size());
      for (JsonNode s : names) {
        if (!s.isTextual()) {
          throw TeacherFormatException.in(src, at)
              .problem("non-string entry in label_names")
              .expected("a JSON string per class")
              .found(snippet(s.toString()))
              .fix("write class names as strings")
              .build();
        }
        lineNames.add(s.asText());
      }
    }
    if (ids.isEmpty()) {
      st.labelNames = lineNames == null ? null : List.copyOf(lineNames);
      st.labelNamesLocation = at;
    } else if (lineNames == null ? st.labelNames != null : !lineNames.equals(st.labelNames)) {
      throw TeacherFormatException.in(src, at)
          .problem("label_names differ from the first data line")
          .expected(st.labelNames == null ? "no label_names, as on " + st.labelNamesLocation
              : "label_names " + st.labelNames + " as on " + st.labelNamesLocation)
          .found(lineNames == null ? "no label_names" : "label_names " + lineNames)
          .fix("write the same label_names on every line, or on none")
          .build();
    }
    ids.add(id.asText());
    values.add(v);
  }

  private static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.toString();
  }

  static String snippet(String s) {
    String t = s.length() > 120 ? s.substring(0, 117) + "..." : s;
    return "'" + t + "'";
  }

  private static final class State {
    TeacherValueKind kind;
    int kindLine;
    List<String> labelNames;
    String labelNamesLocation;
    Map<String, Object> metadata;
    int dataLineOffset = 1;
  }
}
