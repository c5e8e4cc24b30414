package org.llkd.models.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Soft-label knowledge distillation (Hinton et al. 2015, "Distilling the Knowledge in a Neural
 * Network"; baseline 7 of LLKD_METHOD.md):
 *
 * <pre>
 *   q_T = softmax(log p_T / tau)          (teacher probabilities p_T tempered: p^(1/tau), renormalised)
 *       or softmax(t / tau)               (teacher given as logits t)
 *   q_S = softmax(z / tau)
 *   KL_i = sum_c q_T[c] (log q_T[c] - log q_S[c])            (0 log 0 = 0)
 *   perSample_i = s * KL_i,  s = tau^2 if hintonScaling else 1
 *   L = sum_i w_i * perSample_i / max(1, |{i : w_i > 0}|)     (w = 1 when no weights are given)
 *   dL/dz_i = w_i / max(1, |{w > 0}|) * s / tau * (q_S - q_T)
 * </pre>
 *
 * The teacher distribution and the weights are constants. Computed in double with a max-shifted
 * log-softmax, returned in the student logits' data type.
 */
public final class SoftLabelDistillation {
  private SoftLabelDistillation() {}

  /** Tolerance on teacher probability row sums (they are renormalised anyway; this catches wrong inputs). */
  static final double PROB_SUM_TOLERANCE = 1e-3;

  /**
   * @param temperature   tau > 0
   * @param teacherLogits true: the teacher tensor holds logits; false: probabilities (rows sum to 1)
   * @param hintonScaling multiply the KL by tau^2 so gradient magnitudes do not shrink with tau
   */
  public record Config(double temperature, boolean teacherLogits, boolean hintonScaling) {
    public Config {
      if (!(temperature > 0) || !Double.isFinite(temperature)) {
        throw new IllegalArgumentException("temperature must be finite and > 0, found " + temperature);
      }
    }

    /** Teacher given as probabilities, tau^2 scaling on. */
    public static Config ofProbabilities(double temperature) { return new Config(temperature, false, true); }

    /** Teacher given as logits, tau^2 scaling on. */
    public static Config ofLogits(double temperature) { return new Config(temperature, true, true); }
  }

  /**
   * @param loss the scalar L
   * @param perSample s * KL_i, shape [B] (unweighted)
   * @param dLogits dL/dz, shape [B, C]
   */
  public record Result(double loss, INDArray perSample, INDArray dLogits) {}

  /** Unweighted, teacher probabilities, tau^2 scaling. */
  public static Result compute(INDArray studentLogits /*[B,C]*/, INDArray teacherProbs /*[B,C]*/, double temperature) {
    return compute(studentLogits, teacherProbs, null, Config.ofProbabilities(temperature));
  }

  /**
   * @param studentLogits [B, C], FLOAT or DOUBLE
   * @param teacher       [B, C] probabilities or logits (see {@link Config#teacherLogits()})
   * @param weights       [B], finite and >= 0, or null for all ones
   */
  public static Result compute(INDArray studentLogits /*[B,C]*/, INDArray teacher /*[B,C]*/, INDArray weights /*[B] or null*/,
      Config cfg) {
    if (cfg == null) throw new IllegalArgumentException("cfg must not be null");
    double[][] z = LossChecks.logitsMatrix("studentLogits", studentLogits); // [B, C]
    if (teacher == null || !Arrays.equals(teacher.shape(), studentLogits.shape())) {
      throw new IllegalArgumentException("teacher: expected shape " + Arrays.toString(studentLogits.shape())
          + " like studentLogits, found " + (teacher == null ? "null" : Arrays.toString(teacher.shape())));
    }
    int batch = z.length;
    int numClasses = z[0].length;
    double tau = cfg.temperature();
    double[] w = LossChecks.weights(weights, batch); // [B]
    double norm = LossChecks.normaliser(w);
    double scale = cfg.hintonScaling() ? tau * tau : 1.0;

    double[][] logqT; // [B, C]; -inf where the teacher gives probability 0
    if (cfg.teacherLogits()) {
      logqT = LossChecks.logSoftmax(LossChecks.logitsMatrix("teacher logits", teacher), tau);
    } else {
      double[][] p = teacher.toDoubleMatrix(); // [B, C]
      double[][] logp = new double[batch][numClasses];
      for (int i = 0; i < batch; i++) {
        double sum = 0;
        for (int c = 0; c < numClasses; c++) {
          double v = p[i][c];
          if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("teacher probabilities row " + i + ", class " + c + ": " + v
                + " is not a probability; pass Config.ofLogits(...) if these are logits");
          }
          sum += v;
          logp[i][c] = Math.log(v);
        }
        if (Math.abs(sum - 1) > PROB_SUM_TOLERANCE) {
          throw new IllegalArgumentException("teacher probabilities row " + i + " sums to " + sum
              + ", expected 1 within " + PROB_SUM_TOLERANCE + "; pass Config.ofLogits(...) if these are logits");
        }
      }
      logqT = temperedLogSoftmax(logp, tau);
    }
    double[][] logqS = LossChecks.logSoftmax(z, tau); // [B, C]

    double[] per = new double[batch];                 // [B]
    double[][] grad = new double[batch][numClasses];  // [B, C]
    double loss = 0;
    for (int i = 0; i < batch; i++) {
      double kl = 0;
      double g = w[i] / norm * scale / tau;
      for (int c = 0; c < numClasses; c++) {
        double qT = Math.exp(logqT[i][c]);
        if (qT > 0) kl += qT * (logqT[i][c] - logqS[i][c]);
        grad[i][c] = g * (Math.exp(logqS[i][c]) - qT);
      }
      per[i] = scale * kl;
      loss += w[i] * per[i];
    }
    loss /= norm;
    return new Result(loss, LossChecks.vector(per, studentLogits.dataType()),
        LossChecks.matrix(grad, studentLogits.dataType()));
  }

  /** log softmax(logp / tau) row-wise, where logp may hold -inf (zero probabilities stay zero). */
  private static double[][] temperedLogSoftmax(double[][] logp, double tau) {
    double[][] out = new double[logp.length][];
    for (int i = 0; i < logp.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : logp[i]) max = Math.max(max, v / tau);
      double sum = 0;
      for (double v : logp[i]) sum += Math.exp(v / tau - max); // exp(-inf) = 0
      double lse = max + Math.log(sum);
      out[i] = new double[logp[i].length];
      for (int c = 0; c < logp[i].length; c++) out[i][c] = logp[i][c] / tau - lse;
    }
    return out;
  }
}
