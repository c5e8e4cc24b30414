package org.llkd.experiments.teacher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Few-shot stand-in teacher: k labelled train examples per class ({@link Shots}, as an LLM prompt would
 * include), class prototype = normalised mean embedding, {@code p = softmax(cos(text, prototype_c) / T)}.
 * Prototypes, not k-NN votes (TEACHERS.md: votes at small k are nearly uninformative as confidences).
 *
 * <p>Built on all-MiniLM-L6-v2 by default ({@code fewshot-minilm}); <b>minilm is also the student's
 * initialisation</b>, so this teacher shares the student's prior. The temperature is fitted on the shots
 * by leave-one-out (each shot scored against prototypes without itself), so no other gold labels are
 * used. Shot rows that are themselves exported are scored against prototypes that include them.
 */
public final class FewShotTeacher extends CosineSoftmaxTeacher {
  private final List<String> labelNames;
  private final Shots shots;
  private final Map<String, Object> temperatureInfo;

  private FewShotTeacher(OnnxSentenceEncoder encoder, List<String> labelNames, Shots shots, float[][] prototypes,
      double temperature, Map<String, Object> temperatureInfo) {
    super(encoder, prototypes, temperature); // prototypes: [numClasses][hidden], unit norm
    this.labelNames = List.copyOf(labelNames);
    this.shots = shots;
    this.temperatureInfo = temperatureInfo;
  }

  /** Builds the teacher from {@code shots}; takes ownership of {@code encoder}. */
  public static FewShotTeacher create(OnnxSentenceEncoder encoder, List<String> labelNames, Shots shots, TemperatureSpec spec) {
    if (shots.numClasses() != labelNames.size()) {
      throw new IllegalArgumentException("shots cover " + shots.numClasses() + " classes, labels.txt has " + labelNames.size());
    }
    float[][] shotEmb = encoder.encode(shots.texts());  // [k * numClasses][hidden]
    float[][] protos = Prototypes.classPrototypes(shotEmb, shots.labels(), labelNames.size());
    Map<String, Object> info = new LinkedHashMap<>();
    double t;
    if (spec.mode() == TemperatureSpec.Mode.FIXED) {
      t = spec.value();
      info.put("choice", "fixed by the caller");
    } else {
      double[][] loo = Prototypes.leaveOneOutCosine(shotEmb, shots.labels(), labelNames.size());
      TemperatureFit.Result r = TemperatureFit.fit(loo, shots.labels(), TemperatureFit.DEFAULT_GRID);
      t = r.temperature();
      info.put("choice", "grid NLL minimum on the " + r.rows() + " shots, leave-one-out prototypes");
      info.put("fit", r);
    }
    info.put("value", t);
    return new FewShotTeacher(encoder, labelNames, shots, protos, t, info);
  }

  @Override
  public String name() {
    return "fewshot-" + encoder.model().shortName;
  }

  @Override
  public List<String> labelNames() {
    return labelNames;
  }

  public Shots shots() {
    return shots;
  }

  @Override
  public Map<String, Object> provenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("teacher", name());
    m.put("method", "few-shot prototypes: p = softmax(cos(text, normalised mean of the class's k shot embeddings) / T)");
    m.put("encoder", encoder.provenance());
    if (encoder.model() == EncoderModel.ALL_MINILM_L6_V2) {
      m.put("sharesStudentPrior", "all-MiniLM-L6-v2 is also the student's initialisation: this teacher shares the student's prior");
    }
    m.put("temperature", temperatureInfo);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("split", "train");
    s.put("k", shots.k());
    s.put("seed", shots.seed());
    s.put("draw", "per class in labels.txt order: the class's train rows (file order) shuffled with one shared java.util.Random(seed), first k taken");
    s.put("ids", shots.ids());
    m.put("shots", s);
    m.put("goldLabelsUsed", "the k shots per class only");
    return m;
  }
}
