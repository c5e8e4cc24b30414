package org.llkd.experiments.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.llkd.experiments.train.Tier;
import org.llkd.models.io.Sha256;
import org.llkd.selection.Selectors;

/**
 * A sweep file (JSON, or YAML for {@code .yaml}/{@code .yml}), validated once: every error names the file
 * and the field ({@code sweeps/x.json: parameters.learningRate.min: ...}). Format (docs/sweeps.md):
 * <pre>{@code
 * {
 *   "name": "fig5_emotion_quick",            // sweep name (provenance, tables)
 *   "description": "...",                    // optional
 *   "dataset": "emotion",                    // directory under the data root
 *   "teacher": "zeroshot-bge",               // teachers/<dataset>/<teacher>.jsonl
 *   "tier": "quick",                         // tiny | quick | full: the TrainConfig factory the trials start from
 *   "method": "llkd",                        // selector name (Selectors.names())
 *   "search": "one-at-a-time",               // random | grid | one-at-a-time
 *   "candidates": 20,                        // random: points drawn; grid/one-at-a-time: upper bound on trials
 *   "gridPoints": 3,                         // grid/one-at-a-time: points per range without explicit values
 *   "seed": 7,                               // random search's RNG seed (required for random)
 *   "seeds": [1, 2],                         // training seeds (nuisance): every point runs with each
 *   "workers": 1,                            // parallel trials in this JVM
 *   "fixed": {"trainRows": 1000},            // optional: fixed values applied to the tier's config
 *   "parameters": {                          // swept parameters (SweepParameter keys)
 *     "learningRate": {"role": "scientific", "min": 1e-5, "max": 1e-3, "scale": "log"},
 *     "batchSize":    {"role": "nuisance", "values": [16, 32, 64]}
 *   }
 * }
 * }</pre>
 */
public record SweepSpec(Origin origin, Study study, SearchPlan searchPlan, Space space, List<Long> seeds, int workers) {

  /**
   * Where the spec came from (provenance and messages; not a key of the file).
   *
   * @param file   the sweep file
   * @param sha256 SHA-256 of its bytes
   * @param source the parsed tree, as read
   */
  public record Origin(Path file, String sha256, JsonNode source) {}

  /**
   * What the sweep studies: the file's {@code name}, {@code description}, {@code dataset}, {@code teacher}, {@code tier}
   * and {@code method}.
   *
   * @param name        sweep name (provenance, tables)
   * @param description free text ("" when absent)
   * @param dataset     directory under the data root
   * @param teacher     teachers/&lt;dataset&gt;/&lt;teacher&gt;.jsonl
   * @param tier        the TrainConfig factory the trials start from
   * @param method      selector name
   */
  public record Study(String name, String description, String dataset, String teacher, Tier tier, String method) {}

  /**
   * How candidates are generated: the file's {@code search}, {@code candidates}, {@code gridPoints} and {@code seed}.
   *
   * @param search     random, grid or one-at-a-time
   * @param candidates random: points drawn; grid/one-at-a-time: upper bound on trials (null when absent)
   * @param gridPoints points per range without explicit values (null when absent)
   * @param rngSeed    random search's RNG seed (the file's {@code seed}; null when absent)
   */
  public record SearchPlan(Search search, Integer candidates, Integer gridPoints, Long rngSeed) {}

  /**
   * The values trials take: the file's {@code fixed} and {@code parameters}, in file order.
   *
   * @param fixed      fixed values applied to the tier's config
   * @param parameters swept parameters
   */
  public record Space(Map<SweepParameter, Serializable> fixed, List<ParameterRange> parameters) {
    public Space {
      fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
      parameters = List.copyOf(parameters);
    }
  }

  /** How candidates are generated. */
  public enum Search {
    /** Arbiter's RandomSearchGenerator: {@code candidates} distinct points. */
    RANDOM("random"),
    /** Arbiter's GridSearchCandidateGenerator (sequential): the full product. */
    GRID("grid"),
    /** Each parameter varied alone around the tier's defaults (a grid over the variants). */
    ONE_AT_A_TIME("one-at-a-time");

    private final String key;

    Search(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  private static final Set<String> TOP_KEYS = Set.of("name", "description", "dataset", "teacher", "tier", "method",
      "search", "candidates", "gridPoints", "seed", "seeds", "workers", "fixed", "parameters");
  private static final Set<String> PARAM_KEYS = Set.of("role", "values", "min", "max", "scale");

  public SweepSpec {
    seeds = List.copyOf(seeds);
  }

  /** Reads and validates {@code file}. */
  public static SweepSpec read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read sweep file " + file + ": " + e.getMessage(), e);
    }
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    JsonNode root;
    try {
      if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
        // YAML through ND4J's shaded Jackson YAML (already on the classpath), then into a plain Jackson tree.
        Object y = new org.nd4j.shade.jackson.databind.ObjectMapper(
            new org.nd4j.shade.jackson.dataformat.yaml.YAMLFactory()).readValue(text, Object.class);
        root = new ObjectMapper().valueToTree(y);
      } else {
        root = new ObjectMapper().readTree(text);
      }
    } catch (IOException e) {
      String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() + " at " + j.getLocation() : e.getMessage();
      throw new IllegalArgumentException(file + ": not valid " + (lower.endsWith(".json") ? "JSON" : "JSON/YAML")
          + ": " + msg, e);
    }
    return parse(file, Sha256.of(text.getBytes(StandardCharsets.UTF_8)), root);
  }

  /** Validates a parsed tree; {@code file} is used in messages only. */
  static SweepSpec parse(Path file, String sha256, JsonNode root) {
    Errors err = new Errors(file);
    if (root == null || !root.isObject()) throw err.at("(top level)", "expected a JSON object");
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!TOP_KEYS.contains(k)) throw err.at(k, "unknown field; expected one of " + String.join(", ", sorted(TOP_KEYS)));
    }
    String name = text(root, "name", err);
    String description = root.has("description") ? text(root, "description", err) : "";
    String dataset = text(root, "dataset", err);
    String teacher = text(root, "teacher", err);
    String tierText = text(root, "tier", err);
    Tier tier;
    try {
      tier = Tier.parse(tierText);
    } catch (IllegalArgumentException e) {
      throw err.at("tier", e.getMessage());
    }
    String method = text(root, "method", err);
    if (!Selectors.names().contains(method)) {
      throw err.at("method", "unknown method '" + method + "'; expected one of " + String.join(", ", Selectors.names()));
    }
    String searchText = text(root, "search", err);
    Search search = null;
    for (Search s : Search.values()) if (s.key.equals(searchText)) search = s;
    if (search == null) throw err.at("search", "unknown search '" + searchText + "'; expected random, grid or one-at-a-time");

    Integer candidates = root.has("candidates") ? integer(root, "candidates", 1, err) : null;
    if (search == Search.RANDOM && candidates == null) {
      throw err.at("candidates", "required for random search (the number of points to draw)");
    }
    Integer gridPoints = root.has("gridPoints") ? integer(root, "gridPoints", 2, err) : null;
    Long rngSeed = null;
    if (root.has("seed")) {
      if (!root.get("seed").canConvertToLong() || !root.get("seed").isIntegralNumber()) throw err.at("seed", "expected an integer");
      rngSeed = root.get("seed").asLong();
    }
    if (search == Search.RANDOM && rngSeed == null) throw err.at("seed", "required for random search (its RNG seed)");

    JsonNode seedsNode = root.get("seeds");
    if (seedsNode == null) throw err.at("seeds", "missing; give the training seeds, e.g. [1, 2]");
    if (!seedsNode.isArray() || seedsNode.isEmpty()) throw err.at("seeds", "expected a non-empty array of integers");
    List<Long> seeds = new ArrayList<>();
    for (int i = 0; i < seedsNode.size(); i++) {
      JsonNode s = seedsNode.get(i);
      if (!s.isIntegralNumber()) throw err.at("seeds[" + i + "]", "expected an integer, found " + s);
      if (seeds.contains(s.asLong())) throw err.at("seeds[" + i + "]", "duplicate seed " + s.asLong());
      seeds.add(s.asLong());
    }
    int workers = integer(root, "workers", 1, err);

    Map<SweepParameter, Serializable> fixed = new LinkedHashMap<>();
    if (root.has("fixed")) {
      JsonNode f = root.get("fixed");
      if (!f.isObject()) throw err.at("fixed", "expected an object of parameter: value");
      for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "fixed." + e.getKey();
        SweepParameter p = param(e.getKey(), field, err);
        fixed.put(p, value(p, e.getValue(), field, err));
      }
    }

    JsonNode ps = root.get("parameters");
    if (ps == null) throw err.at("parameters", "missing; give at least one swept parameter");
    if (!ps.isObject() || ps.isEmpty()) throw err.at("parameters", "expected a non-empty object of parameter: range");
    List<ParameterRange> ranges = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = "parameters." + e.getKey();
      SweepParameter p = param(e.getKey(), field, err);
      if (fixed.containsKey(p)) throw err.at(field, "is also under 'fixed'; a parameter is either swept or fixed");
      ranges.add(range(p, e.getValue(), field, err));
    }
    for (ParameterRange r : ranges) {
      SweepParameter p = r.parameter();
      boolean llkdOnly = p == SweepParameter.UNCERTAINTY || p == SweepParameter.WEIGHT_FORM
          || p == SweepParameter.CLASS_WISE;
      if (llkdOnly && !method.startsWith("llkd")) {
        throw err.at("parameters." + p.key(), "only llkd* selectors read it; method is '" + method + "'");
      }
      if (r.isRange() && search != Search.RANDOM && gridPoints == null) {
        throw err.at("gridPoints", "required: parameter '" + p.key() + "' is a range, and " + search.key
            + " search needs the number of points per range");
      }
    }
    return new SweepSpec(new Origin(file, sha256, root), new Study(name, description, dataset, teacher, tier, method),
        new SearchPlan(search, candidates, gridPoints, rngSeed), new Space(fixed, ranges), seeds, workers);
  }

  private static SweepParameter param(String key, String field, Errors err) {
    try {
      return SweepParameter.byKey(key, err.file + ": " + field);
    } catch (IllegalArgumentException e) {
      throw new SweepFileException(e.getMessage());
    }
  }

  private static ParameterRange range(SweepParameter p, JsonNode n, String field, Errors err) {
    if (!n.isObject()) throw err.at(field, "expected an object with role and values, or role, min, max (and scale)");
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!PARAM_KEYS.contains(k)) {
        throw err.at(field + "." + k, "unknown field; expected one of " + String.join(", ", sorted(PARAM_KEYS)));
      }
    }
    String roleText = text(n, "role", err, field + ".role");
    ParameterRange.Role role = switch (roleText) {
      case "scientific" -> ParameterRange.Role.SCIENTIFIC;
      case "nuisance" -> ParameterRange.Role.NUISANCE;
      default -> throw err.at(field + ".role", "unknown role '" + roleText + "'; expected scientific or nuisance"
          + " (fixed parameters go under 'fixed')");
    };
    boolean hasValues = n.has("values");
    boolean hasRange = n.has("min") || n.has("max") || n.has("scale");
    if (hasValues == hasRange) {
      throw err.at(field, hasValues ? "give either values or min/max, not both" : "give values, or min and max");
    }
    if (hasValues) {
      JsonNode vs = n.get("values");
      if (!vs.isArray() || vs.isEmpty()) throw err.at(field + ".values", "expected a non-empty array");
      List<Serializable> values = new ArrayList<>();
      for (int i = 0; i < vs.size(); i++) {
        Serializable v = value(p, vs.get(i), field + ".values[" + i + "]", err);
        if (values.contains(v)) throw err.at(field + ".values[" + i + "]", "duplicate value " + vs.get(i));
        values.add(v);
      }
      return new ParameterRange(p, role, values, null, null, null);
    }
    if (p.kind() != SweepParameter.Kind.CONTINUOUS && p.kind() != SweepParameter.Kind.INTEGER) {
      throw err.at(field, p.key() + " is " + p.kind().name().toLowerCase(Locale.ROOT) + ": list its values, e.g. "
          + "\"values\": " + (p.kind() == SweepParameter.Kind.BOOLEAN ? "[true, false]" : p.categories()));
    }
    if (!n.has("min") || !n.has("max")) throw err.at(field, "a range needs both min and max");
    Serializable min = value(p, n.get("min"), field + ".min", err);
    Serializable max = value(p, n.get("max"), field + ".max", err);
    double lo = ((Number) min).doubleValue();
    double hi = ((Number) max).doubleValue();
    if (!(lo < hi)) throw err.at(field, "bad range: min " + n.get("min") + " must be < max " + n.get("max"));
    ParameterRange.Scale scale;
    if (p.kind() == SweepParameter.Kind.INTEGER) {
      if (n.has("scale") && !"linear".equals(n.get("scale").asText())) {
        throw err.at(field + ".scale", "integer ranges are linear; found " + n.get("scale"));
      }
      scale = ParameterRange.Scale.LINEAR;
    } else {
      String s = text(n, "scale", err, field + ".scale");
      scale = switch (s) {
        case "linear" -> ParameterRange.Scale.LINEAR;
        case "log" -> ParameterRange.Scale.LOG;
        default -> throw err.at(field + ".scale", "unknown scale '" + s + "'; expected linear or log");
      };
      if (scale == ParameterRange.Scale.LOG && !(lo > 0)) {
        throw err.at(field + ".min", "log scale needs min > 0, found " + n.get("min"));
      }
    }
    return new ParameterRange(p, role, null, lo, hi, scale);
  }

  /** One value of {@code p} from JSON, typed and range-checked. */
  private static Serializable value(SweepParameter p, JsonNode n, String field, Errors err) {
    Serializable v = switch (p.kind()) {
      case CONTINUOUS -> n.isNumber() ? (Serializable) n.asDouble() : null;
      case INTEGER -> n.isIntegralNumber() || (n.isNumber() && n.asDouble() == Math.rint(n.asDouble())
          && Math.abs(n.asDouble()) < Integer.MAX_VALUE) ? (Serializable) (int) n.asDouble() : null;
      case CATEGORICAL -> n.isTextual() ? n.asText() : null;
      case BOOLEAN -> n.isBoolean() ? n.asBoolean() : null;
    };
    String why = v == null ? "a " + p.kind().name().toLowerCase(Locale.ROOT) + " value" : p.invalid(v);
    if (why != null) throw err.at(field, "bad value " + n + " for " + p.key() + ": expected " + why);
    return v;
  }

  private static String text(JsonNode n, String key, Errors err) {
    return text(n, key, err, key);
  }

  private static String text(JsonNode n, String key, Errors err, String field) {
    JsonNode v = n.get(key);
    if (v == null) throw err.at(field, "missing (required)");
    if (!v.isTextual() || v.asText().isBlank()) throw err.at(field, "expected a non-empty string, found " + v);
    return v.asText();
  }

  private static int integer(JsonNode n, String key, int min, Errors err) {
    JsonNode v = n.get(key);
    if (v == null) throw err.at(key, "missing (required)");
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > Integer.MAX_VALUE) {
      throw err.at(key, "expected an integer >= " + min + ", found " + v);
    }
    return v.asInt();
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  /** Builds messages of the form {@code <file>: <field>: <problem>}. */
  private record Errors(Path file) {
    SweepFileException at(String field, String problem) {
      return new SweepFileException(file + ": " + field + ": " + problem);
    }
  }

  /** An invalid sweep file (an {@link IllegalArgumentException}: the CLI prints it and exits 2). */
  public static final class SweepFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    SweepFileException(String message) {
      super(message);
    }
  }

  /** Parameter name → range, in file order (for columns and ids). */
  public Map<String, ParameterRange> parameterMap() {
    Map<String, ParameterRange> m = new LinkedHashMap<>();
    for (ParameterRange r : space.parameters()) m.put(r.parameter().key(), r);
    return m;
  }
}
