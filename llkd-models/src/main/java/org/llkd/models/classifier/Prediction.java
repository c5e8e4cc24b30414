package org.llkd.models.classifier;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llkd.models.label.PseudoLabel;

/**
 * One text's prediction.
 *
 * @param label         the most probable label (the first one on a tie: {@link PseudoLabel#argmax})
 * @param labelIndex    its class index in the model's label list
 * @param probabilities label -> probability for every label, in the model's label order (an unmodifiable
 *                      insertion-ordered map); the values sum to 1 up to float rounding
 */
public record Prediction(String label, int labelIndex, Map<String, Double> probabilities) {

  /** Builds a prediction from one softmax row {@code p} [C] over {@code labels} [C]. */
  static Prediction of(List<String> labels, double[] p) {
    if (p.length != labels.size()) {
      throw new IllegalArgumentException("expected " + labels.size() + " probabilities, found " + p.length);
    }
    int best = PseudoLabel.argmax(p);
    Map<String, Double> m = new LinkedHashMap<>();
    for (int c = 0; c < p.length; c++) {
      m.put(labels.get(c), p[c]);
    }
    return new Prediction(labels.get(best), best, Collections.unmodifiableMap(m));
  }

  /** The probability of {@link #label()}. */
  public double confidence() { return probabilities.get(label); }
}
