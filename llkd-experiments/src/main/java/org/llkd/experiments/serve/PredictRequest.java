package org.llkd.experiments.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The body of {@code POST /v1/predict}: {@code {"text": "..."}} or {@code {"texts": ["...", ...]}}, nothing else.
 * Every refusal is a 400 naming what was expected and what was found (413 for too many texts).
 */
final class PredictRequest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private PredictRequest() {}

  /** The texts of {@code body}, in order. */
  static List<String> parse(byte[] body, int maxTexts) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new HttpError(400, "unreadable body: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new HttpError(400, "empty body; expected {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}");
    }
    if (!root.isObject()) {
      throw new HttpError(400, "expected a JSON object {\"text\": ...} or {\"texts\": [...]}, found " + kind(root));
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("text") && !f.equals("texts")) {
        throw new HttpError(400, "unknown field '" + f + "'; expected exactly one of 'text' (a string) or 'texts' (a list of strings)");
      }
    }
    if (root.has("text") == root.has("texts")) {
      throw new HttpError(400, root.has("text") ? "both 'text' and 'texts' given; send one of them"
          : "no 'text' or 'texts' field; expected {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}");
    }
    if (root.has("text")) {
      JsonNode t = root.get("text");
      if (!t.isTextual()) throw new HttpError(400, "'text': expected a string, found " + kind(t));
      return List.of(t.textValue());
    }
    JsonNode ts = root.get("texts");
    if (!ts.isArray()) throw new HttpError(400, "'texts': expected a list of strings, found " + kind(ts));
    if (ts.size() > maxTexts) {
      throw new HttpError(413, "'texts' holds " + ts.size() + " texts; the limit is " + maxTexts + " per request (split the list)");
    }
    List<String> out = new ArrayList<>(ts.size());
    for (int i = 0; i < ts.size(); i++) {
      JsonNode t = ts.get(i);
      if (!t.isTextual()) throw new HttpError(400, "'texts'[" + i + "]: expected a string, found " + kind(t));
      out.add(t.textValue());
    }
    return out;
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case NULL -> "null";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case STRING -> "a string";
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
