package org.llkd.experiments.teacher;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.metrics.ClassificationMetrics;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How good a teacher's probabilities are against gold, on one split: accuracy, macro-F1, per-class F1 and
 * top-label ECE (15 bins) from {@link ClassificationMetrics}; plus NLL, mean confidence, the split's
 * majority-class rate (a teacher near it is weak) and the AUROC of max probability as a detector of
 * correct predictions (what a confidence-based selector relies on). Jackson writes it as one flat row
 * ({@code @JsonUnwrapped}: the provenance keys and their order are those of the flat record it replaced).
 */
public record TeacherQuality(int n, @JsonUnwrapped Agreement agreement, @JsonUnwrapped Calibration calibration,
    @JsonUnwrapped Majority majority, double confidenceAuroc) {

  /** Agreement with gold: accuracy, macro-F1, F1 per class name. */
  public record Agreement(double accuracy, double macroF1, Map<String, Double> perClassF1) {
  }

  /** Top-label ECE (15 bins), mean NLL of gold, mean max probability. */
  public record Calibration(double ece, double nll, double meanConfidence) {
  }

  /** The split's most frequent gold class and its rate (a teacher near it is weak). */
  public record Majority(String majorityClass, double majorityRate) {
  }

  /** Measures {@code probs} ({@code [n][numClasses]}) against {@code gold} ({@code [n]}). */
  public static TeacherQuality of(double[][] probs, int[] gold, List<String> labelNames) {
    int n = probs.length;
    int k = labelNames.size();
    if (n == 0 || gold.length != n) throw new IllegalArgumentException("need n > 0 rows and as many gold labels, got " + n + ", " + gold.length);
    ClassificationMetrics m = ClassificationMetrics.of(gold, Nd4j.createFromArray(probs), labelNames);  // probs [n, k]
    int[] goldCount = new int[k];
    double[] conf = new double[n];
    boolean[] correct = new boolean[n];
    double nll = 0;
    for (int i = 0; i < n; i++) {
      double[] p = probs[i];
      int arg = 0;
      for (int c = 1; c < k; c++) if (p[c] > p[arg]) arg = c;
      conf[i] = p[arg];
      correct[i] = arg == gold[i];
      goldCount[gold[i]]++;
      nll -= Math.log(Math.max(p[gold[i]], 1e-12));
    }
    int maj = 0;
    for (int c = 1; c < k; c++) if (goldCount[c] > goldCount[maj]) maj = c;
    return new TeacherQuality(n, new Agreement(m.accuracy(), m.macroF1(), m.perClassF1()),
        new Calibration(m.ece(), nll / n, Arrays.stream(conf).average().orElseThrow()),
        new Majority(labelNames.get(maj), (double) goldCount[maj] / n), auroc(conf, correct));
  }

  public double accuracy() { return agreement.accuracy(); }

  public double macroF1() { return agreement.macroF1(); }

  public Map<String, Double> perClassF1() { return agreement.perClassF1(); }

  public double ece() { return calibration.ece(); }

  public double nll() { return calibration.nll(); }

  public double meanConfidence() { return calibration.meanConfidence(); }

  public String majorityClass() { return majority.majorityClass(); }

  public double majorityRate() { return majority.majorityRate(); }

  /**
   * Probability that a random correct row has higher confidence than a random wrong one (ties count 1/2); NaN if a group
   * is empty. Hand-written (Mann-Whitney U over average ranks) rather than ND4J's {@code ROC}: ND4J 1.0.0-M2.1's exact
   * ROC ({@code new ROC(0)}) does not split tied scores, e.g. one correct and one wrong row at the same confidence give
   * it AUC 1.0 instead of 0.5; confidences tie often (rounded teacher outputs). {@code TeacherQualityTest} shows both.
   */
  static double auroc(double[] score, boolean[] positive) {
    int n = score.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    Arrays.sort(idx, (a, b) -> Double.compare(score[a], score[b]));
    double rankSumPos = 0;
    long pos = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) j++;
      double avgRank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        if (positive[idx[t]]) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) return Double.NaN;
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
