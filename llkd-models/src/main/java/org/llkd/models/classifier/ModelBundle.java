package org.llkd.models.classifier;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.params.NamedParams;

/**
 * Everything a model directory holds, in memory: the architecture, the trained weights, the tokenizer.json bytes,
 * the label names (index i = class i of the head), the tokenizer's maximum length and the training provenance.
 *
 * @param config        the student's architecture; dropout is irrelevant for inference and stored as given
 * @param params        weights in {@code config.paramSpecs()} order, FLOAT or DOUBLE
 * @param tokenizerJson a HuggingFace WordPiece tokenizer.json whose vocabulary size is {@code config.vocabSize()}
 * @param labels        one distinct non-blank name per class, {@code config.numClasses()} of them
 * @param maxLength     tokens per text, [CLS] and [SEP] included; longer texts are truncated; 2..maxPositions
 * @param provenance    free JSON-serialisable map (inputs, config, commit, ...); may be empty
 */
public record ModelBundle(StudentConfig config, NamedParams params, byte[] tokenizerJson, List<String> labels,
    int maxLength, Map<String, Object> provenance) {

  public ModelBundle {
    if (config == null || params == null || tokenizerJson == null || labels == null) {
      throw new IllegalArgumentException("config, params, tokenizerJson and labels must not be null");
    }
    if (!config.paramSpecs().equals(params.specs())) {
      throw new IllegalArgumentException("params do not match the config's parameter list");
    }
    if (params.dataType() != config.dataType()) {
      throw new IllegalArgumentException("params are " + params.dataType() + ", the config says " + config.dataType());
    }
    labels = List.copyOf(labels);
    if (labels.size() != config.numClasses()) {
      throw new IllegalArgumentException("expected " + config.numClasses() + " label names (numClasses), found "
          + labels.size() + ": " + labels);
    }
    Set<String> seen = new HashSet<>();
    for (String l : labels) {
      if (l.isBlank()) throw new IllegalArgumentException("label names must not be blank, found " + labels);
      if (!seen.add(l)) throw new IllegalArgumentException("label names must be distinct, found '" + l + "' twice in " + labels);
    }
    if (maxLength < 2 || maxLength > config.maxPositions()) {
      throw new IllegalArgumentException("maxLength must be in 2.." + config.maxPositions() + " (maxPositions), found "
          + maxLength);
    }
    provenance = provenance == null ? Map.of() : provenance;
  }
}
