package org.llkd.models.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape, dtype and value checks shared by the losses; every message names what was expected and what was found. */
final class LossChecks {
  private LossChecks() {}

  /** Checks {@code logits} is a floating [B, C] matrix with C >= 2 and returns it as row-major doubles. */
  static double[][] logitsMatrix(String what, INDArray logits) {
    if (logits == null) throw new IllegalArgumentException(what + " must not be null");
    if (logits.rank() != 2) {
      throw new IllegalArgumentException(what + ": expected rank 2 [batch, numClasses], found shape "
          + Arrays.toString(logits.shape()));
    }
    if (!logits.dataType().isFPType()) {
      throw new IllegalArgumentException(what + ": expected FLOAT or DOUBLE, found " + logits.dataType());
    }
    if (logits.size(0) < 1) {
      throw new IllegalArgumentException(what + ": empty batch, shape " + Arrays.toString(logits.shape())
          + "; a step with nothing selected must be skipped by the caller");
    }
    if (logits.size(1) < 2) {
      throw new IllegalArgumentException(what + ": expected numClasses >= 2, found shape " + Arrays.toString(logits.shape()));
    }
    double[][] z = logits.toDoubleMatrix(); // [B, C]
    for (int i = 0; i < z.length; i++) {
      for (int c = 0; c < z[i].length; c++) {
        if (!Double.isFinite(z[i][c])) {
          throw new IllegalArgumentException(what + " row " + i + ", class " + c + ": non-finite value " + z[i][c]
              + "; the student diverged or the input is corrupt");
        }
      }
    }
    return z;
  }

  /**
   * Per-sample weights {@code [batch]} (any vector of length batch); null means all 1. Weights must be
   * finite and >= 0.
   */
  static double[] weights(INDArray weights, int batch) {
    double[] w = new double[batch];
    if (weights == null) {
      Arrays.fill(w, 1.0);
      return w;
    }
    if (weights.length() != batch || !(weights.rank() == 1 || weights.isVector())) {
      throw new IllegalArgumentException("weights: expected shape [" + batch + "] (one per logits row), found "
          + Arrays.toString(weights.shape()));
    }
    double[] src = weights.toDoubleVector();
    for (int i = 0; i < batch; i++) {
      if (!Double.isFinite(src[i]) || src[i] < 0) {
        throw new IllegalArgumentException("weights[" + i + "] = " + src[i] + ": weights must be finite and >= 0"
            + " (0 for unselected samples)");
      }
      w[i] = src[i];
    }
    return w;
  }

  /** max(1, number of strictly positive weights): the LLKD normaliser |selected|. */
  static double normaliser(double[] w) {
    int n = 0;
    for (double v : w) if (v > 0) n++;
    return Math.max(1, n);
  }

  /** Numerically stable log-softmax of {@code z / temperature}, row-wise; returns a new [B, C] array. */
  static double[][] logSoftmax(double[][] z, double temperature) {
    double[][] out = new double[z.length][];
    for (int i = 0; i < z.length; i++) {
      double[] row = z[i];
      double max = Double.NEGATIVE_INFINITY;
      for (double v : row) max = Math.max(max, v / temperature);
      double sum = 0;
      for (double v : row) sum += Math.exp(v / temperature - max);
      double lse = max + Math.log(sum);
      out[i] = new double[row.length];
      for (int c = 0; c < row.length; c++) out[i][c] = row[c] / temperature - lse;
    }
    return out;
  }

  /** Builds [rows, cols] in {@code type} from a double matrix. */
  static INDArray matrix(double[][] v, DataType type) {
    return org.nd4j.linalg.factory.Nd4j.create(v).castTo(type);
  }

  static INDArray vector(double[] v, DataType type) {
    return org.nd4j.linalg.factory.Nd4j.createFromArray(v).castTo(type);
  }
}
