package org.llkd.selection;

import java.util.Arrays;
import org.llkd.models.label.PseudoLabel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a selector sees at one training step. Validated once, here; selectors trust it.
 *
 * @param ids dataset indices of the rows [B] (used for "data used" bookkeeping by the trainer; selectors never decide on
 *     them)
 * @param teacherProbs teacher class probabilities p^T [B, C], FLOAT or DOUBLE; each row in [0,1] summing to 1 (±1e-3)
 * @param pseudoLabels teacher pseudo-labels ŷ [B]: an argmax of each teacher row (checked)
 * @param studentLogits the student's current logits z [B, C] from a no-gradient forward pass, FLOAT or DOUBLE
 * @param studentLoss optional per-row student loss [B] (≥ 0), e.g. CE(z_i, ŷ_i) from the trainer; {@code null} if absent
 * @param goldLabels optional gold labels [B], analysis only (diagnostics) and the gold upper bound; {@code null} if absent
 */
public record StepBatch(long[] ids, INDArray teacherProbs, int[] pseudoLabels, INDArray studentLogits,
                        INDArray studentLoss, int[] goldLabels) {

    /** Tolerance on |Σ_k p^T_ik − 1|: float32 exports of softmax sum to 1 only within a few ulps × C. */
    public static final double PROB_SUM_TOLERANCE = 1e-3;

    public StepBatch {
        if (ids == null || teacherProbs == null || pseudoLabels == null || studentLogits == null) {
            throw new IllegalArgumentException("StepBatch: ids, teacherProbs, pseudoLabels and studentLogits are required"
                    + " (null: ids=" + (ids == null) + ", teacherProbs=" + (teacherProbs == null) + ", pseudoLabels="
                    + (pseudoLabels == null) + ", studentLogits=" + (studentLogits == null) + ")");
        }
        int b = ids.length;
        if (b == 0) {
            throw new IllegalArgumentException("StepBatch: empty batch (0 ids); the trainer must not call a selector on it");
        }
        requireMatrix("teacherProbs", teacherProbs, b);
        int c = (int) teacherProbs.size(1);
        if (c < 2) {
            throw new IllegalArgumentException("StepBatch: teacherProbs has " + c + " classes, expected at least 2");
        }
        requireMatrix("studentLogits", studentLogits, b);
        if (studentLogits.size(1) != c) {
            throw new IllegalArgumentException("StepBatch: studentLogits shape " + Arrays.toString(studentLogits.shape())
                    + ", expected [" + b + ", " + c + "] to match teacherProbs");
        }
        if (pseudoLabels.length != b) {
            throw new IllegalArgumentException("StepBatch: " + pseudoLabels.length + " pseudoLabels, expected " + b
                    + " (one per id)");
        }
        double[][] p = teacherProbs.toDoubleMatrix();
        for (int i = 0; i < b; i++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                double v = p[i][k];
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("StepBatch: teacherProbs[" + i + "][" + k + "] = " + v
                            + " (id " + ids[i] + "), expected a probability in [0,1]; check the teacher export");
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > PROB_SUM_TOLERANCE) {
                throw new IllegalArgumentException("StepBatch: teacherProbs row " + i + " (id " + ids[i] + ") sums to "
                        + sum + ", expected 1 ± " + PROB_SUM_TOLERANCE + "; re-export probabilities, not logits");
            }
            int y = pseudoLabels[i];
            if (y < 0 || y >= c) {
                throw new IllegalArgumentException("StepBatch: pseudoLabels[" + i + "] = " + y + ", expected [0, " + c + ")");
            }
            if (p[i][y] != StudentSignals.max(p[i])) {
                throw new IllegalArgumentException("StepBatch: pseudoLabels[" + i + "] = " + y + " (id " + ids[i]
                        + ") but the teacher row's argmax is " + PseudoLabel.argmax(p[i]) + " (p=" + p[i][y] + " vs max "
                        + StudentSignals.max(p[i]) + "); pseudo-labels must be argmax_k p^T[k]");
            }
        }
        double[][] z = studentLogits.toDoubleMatrix();
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c; k++) {
                if (!Double.isFinite(z[i][k])) {
                    throw new IllegalArgumentException("StepBatch: studentLogits[" + i + "][" + k + "] = " + z[i][k]
                            + " (id " + ids[i] + "); the student diverged");
                }
            }
        }
        if (studentLoss != null) {
            if (studentLoss.rank() != 1 || studentLoss.length() != b) {
                throw new IllegalArgumentException("StepBatch: studentLoss shape " + Arrays.toString(studentLoss.shape())
                        + ", expected [" + b + "]");
            }
            requireFloating("studentLoss", studentLoss);
            double[] l = studentLoss.toDoubleVector();
            for (int i = 0; i < b; i++) {
                if (!(l[i] >= 0) || Double.isInfinite(l[i])) {
                    throw new IllegalArgumentException("StepBatch: studentLoss[" + i + "] = " + l[i] + " (id " + ids[i]
                            + "), expected a finite value ≥ 0");
                }
            }
        }
        if (goldLabels != null) {
            if (goldLabels.length != b) {
                throw new IllegalArgumentException("StepBatch: " + goldLabels.length + " goldLabels, expected " + b);
            }
            for (int i = 0; i < b; i++) {
                if (goldLabels[i] < 0 || goldLabels[i] >= c) {
                    throw new IllegalArgumentException("StepBatch: goldLabels[" + i + "] = " + goldLabels[i]
                            + ", expected [0, " + c + ")");
                }
            }
        }
        ids = ids.clone();
        pseudoLabels = pseudoLabels.clone();
        goldLabels = goldLabels == null ? null : goldLabels.clone();
    }

    /** A batch whose pseudo-labels are the teacher's argmax (first index on ties), without loss or gold labels. */
    public static StepBatch of(long[] ids, INDArray teacherProbs, INDArray studentLogits) {
        if (teacherProbs == null || ids == null) {
            throw new IllegalArgumentException("StepBatch.of: ids and teacherProbs are required");
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("StepBatch: empty batch (0 ids); the trainer must not call a selector on it");
        }
        requireMatrix("teacherProbs", teacherProbs, teacherProbs.rank() == 2 ? teacherProbs.size(0) : -1);
        double[][] p = teacherProbs.toDoubleMatrix();
        int[] y = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            y[i] = PseudoLabel.argmax(p[i]);
        }
        return new StepBatch(ids, teacherProbs, y, studentLogits, null, null);
    }

    /** This batch with a per-row student loss [B]. */
    public StepBatch withStudentLoss(INDArray loss) {
        return new StepBatch(ids, teacherProbs, pseudoLabels, studentLogits, loss, goldLabels);
    }

    /** This batch with gold labels [B] (analysis and the gold upper bound only). */
    public StepBatch withGoldLabels(int[] gold) {
        return new StepBatch(ids, teacherProbs, pseudoLabels, studentLogits, studentLoss, gold);
    }

    /** B. */
    public int size() {
        return ids.length;
    }

    /** C. */
    public int numClasses() {
        return (int) teacherProbs.size(1);
    }

    /** Teacher confidences c_i = max_k p^T_i[k] = p^T_i[ŷ_i], [B], float64. */
    public double[] teacherConfidence() {
        double[][] p = teacherProbs.toDoubleMatrix();
        double[] c = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i][pseudoLabels[i]];
        }
        return c;
    }

    /** Teacher probabilities as float64 [B][C]. */
    public double[][] teacherMatrix() {
        return teacherProbs.toDoubleMatrix();
    }

    /** Student logits as float64 [B][C]. */
    public double[][] logitMatrix() {
        return studentLogits.toDoubleMatrix();
    }

    /** Ids copy. */
    @Override
    public long[] ids() {
        return ids.clone();
    }

    /** Pseudo-labels copy. */
    @Override
    public int[] pseudoLabels() {
        return pseudoLabels.clone();
    }

    /** Gold labels copy, or {@code null}. */
    @Override
    public int[] goldLabels() {
        return goldLabels == null ? null : goldLabels.clone();
    }

    /** Whether gold labels are present. */
    public boolean hasGold() {
        return goldLabels != null;
    }

    private static void requireMatrix(String what, INDArray a, long rows) {
        if (a.rank() != 2 || a.size(0) != rows) {
            throw new IllegalArgumentException("StepBatch: " + what + " shape " + Arrays.toString(a.shape())
                    + ", expected [" + rows + ", numClasses]");
        }
        requireFloating(what, a);
    }

    private static void requireFloating(String what, INDArray a) {
        DataType t = a.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException("StepBatch: " + what + " has dtype " + t + ", expected FLOAT or DOUBLE");
        }
    }
}
