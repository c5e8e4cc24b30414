package org.llkd.models.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LLKD's weighted pseudo-label cross-entropy (LLKD_METHOD.md, "Selection and weighted loss"):
 *
 * <pre>
 *   L = sum_i w_i * CE(z_i, y_i) / max(1, |{i : w_i > 0}|),   CE(z, y) = -log softmax(z)[y]
 *   dL/dz_i = w_i / max(1, |{w > 0}|) * (softmax(z_i) - onehot(y_i))
 * </pre>
 *
 * The weights are constants (no gradient flows through them). The computation runs in double with a
 * max-shifted log-softmax, and the results are returned in the logits' data type. Batches are small
 * ([B, C] with C the number of labels), so this class works on Java arrays and allocates freely.
 */
public final class WeightedCrossEntropy {
  private WeightedCrossEntropy() {}

  /**
   * @param loss the scalar L
   * @param perSample unweighted CE_i, shape [B]
   * @param dLogits dL/dz, shape [B, C]
   */
  public record Result(double loss, INDArray perSample, INDArray dLogits) {}

  /**
   * @param logits  student logits [B, C], FLOAT or DOUBLE
   * @param labels  (pseudo-)labels [B], each in [0, C)
   * @param weights per-sample weights [B], finite and >= 0 (0 = not selected)
   */
  public static Result compute(INDArray logits /*[B,C]*/, int[] labels /*[B]*/, INDArray weights /*[B]*/) {
    double[][] z = LossChecks.logitsMatrix("logits", logits); // [B, C]
    int batch = z.length;
    int numClasses = z[0].length;
    if (labels == null || labels.length != batch) {
      throw new IllegalArgumentException("labels: expected " + batch + " labels (one per logits row), found "
          + (labels == null ? "null" : labels.length));
    }
    for (int i = 0; i < batch; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + ": expected a class index in [0, "
            + numClasses + ")");
      }
    }
    if (weights == null) throw new IllegalArgumentException("weights must not be null; pass ones for an unweighted CE");
    double[] w = LossChecks.weights(weights, batch); // [B]
    double norm = LossChecks.normaliser(w);

    double[][] logp = LossChecks.logSoftmax(z, 1.0); // [B, C]
    double[] ce = new double[batch];                 // [B]
    double[][] grad = new double[batch][numClasses]; // [B, C]
    double loss = 0;
    for (int i = 0; i < batch; i++) {
      ce[i] = -logp[i][labels[i]];
      loss += w[i] * ce[i];
      double scale = w[i] / norm;
      for (int c = 0; c < numClasses; c++) {
        grad[i][c] = scale * (Math.exp(logp[i][c]) - (c == labels[i] ? 1.0 : 0.0));
      }
    }
    loss /= norm;
    return new Result(loss, LossChecks.vector(ce, logits.dataType()), LossChecks.matrix(grad, logits.dataType()));
  }
}
