package org.llkd.experiments.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-set metrics of one model: accuracy, macro-F1 and per-class F1 from ND4J's {@link Evaluation}, and
 * the top-label expected calibration error ({@link TopLabelCalibration}).
 *
 * <p><b>F1 convention.</b> Per-class F1 = 2TP / (2TP + FP + FN), and 0 where that is 0/0 (a class absent
 * from the gold labels and never predicted); this is ND4J's {@code Evaluation.f1(int)}, which returns 0 when
 * precision or recall is undefined. Macro-F1 is the plain mean over <em>all</em> classes of the label set,
 * so a class that is never predicted counts with F1 = 0 — the convention of scikit-learn's
 * {@code f1_score(average="macro", labels=range(C), zero_division=0)} that papers report. ND4J's own
 * {@code Evaluation.f1(EvaluationAveraging.Macro)} differs: it leaves out every class whose precision or
 * recall is undefined (so a never-predicted class raises the average), and for two classes
 * {@code Evaluation.f1()} is the F1 of class 1 only; neither is used here (see the test).
 *
 * @param accuracy   fraction of rows whose argmax is the gold label
 * @param macroF1    mean per-class F1 over all classes
 * @param perClassF1 F1 by class name, in class-id order
 * @param ece        top-label expected calibration error with {@link #ECE_BINS} bins (unless given)
 * @param n          number of rows
 */
public record ClassificationMetrics(double accuracy, double macroF1, Map<String, Double> perClassF1, double ece, int n) {
  /** Bins for ECE: 15, as in Guo et al. 2017. */
  public static final int ECE_BINS = 15;

  public ClassificationMetrics {
    perClassF1 = Collections.unmodifiableMap(new LinkedHashMap<>(perClassF1));
    for (double v : new double[] {accuracy, macroF1, ece}) {
      if (!(v >= 0.0 && v <= 1.0)) {
        throw new IllegalArgumentException("metric outside [0, 1]: " + v);
      }
    }
    if (n <= 0) {
      throw new IllegalArgumentException("n must be > 0, got " + n);
    }
  }

  /** Metrics with {@link #ECE_BINS} ECE bins. */
  public static ClassificationMetrics of(int[] gold, INDArray probs, List<String> labelNames) {
    return of(gold, probs, labelNames, ECE_BINS);
  }

  /**
   * @param gold       gold class ids, [N]
   * @param probs      predicted probabilities, [N, C]; prediction = argmax (first index on ties)
   * @param labelNames class names in class-id order, C of them
   * @param eceBins    number of equal-width confidence bins for ECE
   */
  public static ClassificationMetrics of(int[] gold, INDArray probs, List<String> labelNames, int eceBins) {
    int numClasses = labelNames.size();
    INDArray p = Inputs.checkedProbabilities(gold, probs, numClasses); // [N, C] double
    INDArray oneHot = Nd4j.create(DataType.DOUBLE, gold.length, numClasses); // [N, C]
    for (int i = 0; i < gold.length; i++) {
      oneHot.putScalar(i, gold[i], 1.0);
    }
    Evaluation eval = new Evaluation(labelNames);
    eval.eval(oneHot, p);
    Map<String, Double> f1 = new LinkedHashMap<>();
    double sum = 0;
    for (int c = 0; c < numClasses; c++) {
      double v = eval.f1(c);
      f1.put(labelNames.get(c), v);
      sum += v;
    }
    double ece = TopLabelCalibration.of(gold, p, eceBins).ece();
    return new ClassificationMetrics(eval.accuracy(), sum / numClasses, f1, ece, gold.length);
  }
}
