package org.llkd.experiments.teacher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot stand-in teacher: {@code p = softmax(cos(text, description_c) / T)} with one natural-language
 * description per class ({@link LabelDescriptions}), both embedded by the same encoder (bge-small-en-v1.5
 * by default, CLS pooling, no query instruction). Sees no gold labels unless the temperature is
 * {@code fit}, in which case the k shots are used for calibration only (argmax is unchanged by T).
 */
public final class ZeroShotTeacher extends CosineSoftmaxTeacher {
  private final LabelDescriptions descriptions;
  private final Map<String, Object> temperatureInfo;

  private ZeroShotTeacher(OnnxSentenceEncoder encoder, LabelDescriptions descriptions, float[][] classVectors,
      double temperature, Map<String, Object> temperatureInfo) {
    super(encoder, classVectors, temperature); // description embeddings: [numClasses][hidden], unit norm
    this.descriptions = descriptions;
    this.temperatureInfo = temperatureInfo;
  }

  /**
   * Builds the teacher; takes ownership of {@code encoder}. {@code shots} is needed only for
   * {@link TemperatureSpec.Mode#FIT} and may be null otherwise.
   */
  public static ZeroShotTeacher create(OnnxSentenceEncoder encoder, LabelDescriptions descriptions, TemperatureSpec spec,
      Shots shots) {
    float[][] classVectors = encoder.encode(descriptions.descriptions());  // [numClasses][hidden]
    Map<String, Object> info = new LinkedHashMap<>();
    double t;
    switch (spec.mode()) {
      case AUTO -> {
        t = descriptions.defaultTemperature();
        info.put("choice", "documented default for a '" + descriptions.kind() + "' dataset (TEACHERS.md: bge best calibrated"
            + " near 0.02 on topic/emotion data, 0.05 on sentence-role data); no labels used");
      }
      case FIXED -> {
        t = spec.value();
        info.put("choice", "fixed by the caller");
      }
      case FIT -> {
        if (shots == null) throw new IllegalArgumentException("temperature 'fit' needs labelled shots");
        double[][] cos = Prototypes.cosine(encoder.encode(shots.texts()), classVectors);
        TemperatureFit.Result r = TemperatureFit.fit(cos, shots.labels(), TemperatureFit.DEFAULT_GRID);
        t = r.temperature();
        info.put("choice", "grid NLL minimum on the " + r.rows() + " few-shot rows (calibration only)");
        info.put("fit", r);
        info.put("shotIds", shots.ids());
      }
      default -> throw new IllegalStateException("unhandled mode " + spec.mode());
    }
    info.put("value", t);
    return new ZeroShotTeacher(encoder, descriptions, classVectors, t, info);
  }

  @Override
  public String name() {
    return "zeroshot-" + encoder.model().shortName;
  }

  @Override
  public List<String> labelNames() {
    return descriptions.labelNames();
  }

  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("teacher", name());
    m.put("method", "zero-shot: p = softmax(cos(text, description_c) / T), one description per class, no query instruction");
    m.put("encoder", encoder.provenance());
    m.put("temperature", temperatureInfo);
    m.put("labelDescriptions", Map.of("source", descriptions.source(), "kind", descriptions.kind(),
        "byLabel", byLabel()));
    m.put("goldLabelsUsed", temperatureInfo.containsKey("shotIds")
        ? "k shots per class, for the temperature only" : "none");
    return m;
  }

  private Map<String, String> byLabel() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int c = 0; c < descriptions.labelNames().size(); c++) {
      m.put(descriptions.labelNames().get(c), descriptions.descriptions().get(c));
    }
    return m;
  }
}
