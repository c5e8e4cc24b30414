package org.llkd.experiments.teacher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Zero-shot stand-in teacher: {@code p = softmax(cos(text, description_c) / T)} with one natural-language
 * description per class ({@link LabelDescriptions}), both embedded by the same encoder (bge-small-en-v1.5
 * by default, CLS pooling, no query instruction). Sees no gold labels unless the temperature is
 * {@code fit}, in which case the k shots are used for calibration only (argmax is unchanged by T).
 */
public final class ZeroShotTeacher implements Teacher {
  private final OnnxSentenceEncoder encoder;
  private final LabelDescriptions descriptions;
  private final float[][] classVectors;   // [numClasses][hidden], unit norm
  private final double temperature;
  private final Map<String, Object> temperatureInfo;

  private ZeroShotTeacher(OnnxSentenceEncoder encoder, LabelDescriptions descriptions, float[][] classVectors,
      double temperature, Map<String, Object> temperatureInfo) {
    this.encoder = encoder;
    this.descriptions = descriptions;
    this.classVectors = classVectors;
    this.temperature = temperature;
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
  public double temperature() {
    return temperature;
  }

  /** Cosines of {@code texts} with each class description, {@code [n][numClasses]}. */
  public double[][] scores(List<String> texts, IntConsumer progress) {
    return Prototypes.cosine(encoder.encode(texts, progress), classVectors);
  }

  @Override
  public double[][] predict(List<String> texts, IntConsumer progress) {
    return Prototypes.softmax(scores(texts, progress), temperature);
  }

  @Override
  public double[][] predictEmbeddings(float[][] embeddings) {
    return Prototypes.softmax(Prototypes.cosine(embeddings, classVectors), temperature);
  }

  @Override
  public EncoderModel encoder() {
    return encoder.model();
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

  @Override
  public void close() {
    encoder.close();
  }
}
