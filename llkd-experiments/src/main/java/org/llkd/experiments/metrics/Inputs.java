package org.llkd.experiments.metrics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Validation of gold labels and predicted probabilities shared by the metrics. */
final class Inputs {
  /** Largest accepted |row sum - 1| of a probability row (float32 softmax rows are within ~1e-6). */
  static final double ROW_SUM_TOLERANCE = 1e-4;

  private Inputs() {}

  /**
   * Checks {@code probs} is [N, C] with N = gold.length > 0, finite entries in [0, 1], rows summing to 1,
   * and gold labels in [0, C); returns probs as DOUBLE (a copy only if it was not DOUBLE).
   */
  static INDArray checkedProbabilities(int[] gold, INDArray probs, int numClasses) {
    if (gold == null || probs == null) {
      throw new IllegalArgumentException("gold labels and probabilities are required");
    }
    if (gold.length == 0) {
      throw new IllegalArgumentException("no samples: gold labels are empty");
    }
    long[] shape = probs.shape();
    if (probs.rank() != 2 || shape[0] != gold.length || shape[1] != numClasses) {
      throw new IllegalArgumentException("probabilities must be [N=" + gold.length + ", C=" + numClasses + "], found "
          + java.util.Arrays.toString(shape) + "; pass softmax outputs, one row per gold label");
    }
    INDArray p = probs.dataType() == DataType.DOUBLE ? probs : probs.castTo(DataType.DOUBLE); // [N, C]
    for (int i = 0; i < gold.length; i++) {
      if (gold[i] < 0 || gold[i] >= numClasses) {
        throw new IllegalArgumentException("gold label of row " + i + " is " + gold[i] + ", expected a class id in [0, "
            + numClasses + ")");
      }
      double sum = 0;
      for (int c = 0; c < numClasses; c++) {
        double v = p.getDouble(i, c);
        if (!(v >= 0.0 && v <= 1.0)) {
          throw new IllegalArgumentException("probability [" + i + ", " + c + "] is " + v
              + ", expected a finite value in [0, 1]; pass softmax outputs, not logits");
        }
        sum += v;
      }
      if (Math.abs(sum - 1.0) > ROW_SUM_TOLERANCE) {
        throw new IllegalArgumentException("probabilities of row " + i + " sum to " + sum + ", expected 1 +- "
            + ROW_SUM_TOLERANCE + "; pass softmax outputs");
      }
    }
    return p;
  }
}
