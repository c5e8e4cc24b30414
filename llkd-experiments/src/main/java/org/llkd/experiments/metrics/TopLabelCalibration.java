package org.llkd.experiments.metrics;

import org.nd4j.evaluation.classification.EvaluationCalibration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Top-label reliability bins and the expected calibration error of Guo et al. 2017 ("On Calibration of
 * Modern Neural Networks", ICML): confidence = max_k p[k], correct = (argmax_k p[k] == gold),
 * ECE = sum_b (n_b / N) |acc_b - conf_b| = sum_b |correct_b - sumConf_b| / N.
 *
 * <p>ND4J 1.0.0-M2.1's {@link EvaluationCalibration} has no ECE getter (its {@code getValue(IMetric)}
 * throws). Its reliability diagrams are one-vs-rest per class, so the top-label problem is fed to it as a
 * two-column problem: predictions [1 - conf, conf], labels [1 - correct, correct]; column 1 of its bin
 * arrays ({@code getRDiagBinTotalCount}, {@code getRDiagBinPosCount}, {@code getRDiagBinSumPredictions})
 * then holds n_b, correct_b and sumConf_b of the top-label bins, from which ECE is computed here.
 *
 * <p>Bin edges are ND4J's: bin j is [j*w, (j+1)*w) with w = 1.0/bins computed in double, the last bin closed
 * at 1. Because j*w is rounded (7 * 0.1 = 0.7000000000000001), a confidence lying exactly on a decimal
 * edge can fall in the lower bin (0.7 with 10 bins lands in [0.6, 0.7), while 0.9 lands in [0.9, 1]); see
 * the test. Guo et al. close bins on the right instead; the two agree except on exact edges.
 *
 * @param bins           number of equal-width bins over [0, 1]
 * @param count          n_b, rows per bin
 * @param correct        rows per bin whose argmax is the gold label
 * @param sumConfidence  sum of max probabilities per bin
 * @param n              number of rows
 */
public record TopLabelCalibration(int bins, long[] count, long[] correct, double[] sumConfidence, int n) {
  public TopLabelCalibration {
    count = count.clone();
    correct = correct.clone();
    sumConfidence = sumConfidence.clone();
  }

  /**
   * @param gold  gold class ids, [N]
   * @param probs predicted probabilities, [N, C], rows summing to 1
   * @param bins  number of bins, >= 1
   */
  public static TopLabelCalibration of(int[] gold, INDArray probs, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be >= 1, got " + bins);
    }
    INDArray p = Inputs.checkedProbabilities(gold, probs, (int) probs.size(1)); // [N, C] double
    int n = gold.length;
    INDArray conf = p.max(1);                          // [N]
    INDArray pred = p.argMax(1);                       // [N]
    INDArray binaryPred = Nd4j.create(DataType.DOUBLE, n, 2);   // [N, 2]: 1 - conf, conf
    INDArray binaryLabel = Nd4j.create(DataType.DOUBLE, n, 2);  // [N, 2]: 1 - correct, correct
    for (int i = 0; i < n; i++) {
      double c = conf.getDouble(i);
      int ok = pred.getInt(i) == gold[i] ? 1 : 0;
      binaryPred.putScalar(i, 0, 1.0 - c);
      binaryPred.putScalar(i, 1, c);
      binaryLabel.putScalar(i, 0, 1 - ok);
      binaryLabel.putScalar(i, 1, ok);
    }
    EvaluationCalibration cal = new EvaluationCalibration(bins, bins, false);
    cal.eval(binaryLabel, binaryPred);
    INDArray total = cal.getRDiagBinTotalCount();      // [bins, 2]
    INDArray pos = cal.getRDiagBinPosCount();          // [bins, 2]
    INDArray sum = cal.getRDiagBinSumPredictions();    // [bins, 2]
    long[] count = new long[bins];
    long[] correct = new long[bins];
    double[] sumConfidence = new double[bins];
    for (int b = 0; b < bins; b++) {
      count[b] = total.getLong(b, 1);
      correct[b] = pos.getLong(b, 1);
      sumConfidence[b] = sum.getDouble(b, 1);
    }
    return new TopLabelCalibration(bins, count, correct, sumConfidence, n);
  }

  /** Expected calibration error, in [0, 1]. */
  public double ece() {
    double e = 0;
    for (int b = 0; b < bins; b++) {
      e += Math.abs(correct[b] - sumConfidence[b]);
    }
    return e / n;
  }

  /** Accuracy of the rows in bin b, NaN for an empty bin (there is no accuracy to report). */
  public double accuracy(int b) {
    return count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
  }

  /** Mean confidence of the rows in bin b, NaN for an empty bin. */
  public double meanConfidence(int b) {
    return count[b] == 0 ? Double.NaN : sumConfidence[b] / count[b];
  }
}
