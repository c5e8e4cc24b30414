package org.llkd.selection;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A selector's decision for one step.
 *
 * @param mask [B], 1 for a selected row, 0 otherwise
 * @param weights [B], ≥ 0, 0 where mask is 0, and mean 1 over the selected rows (all zero if none is selected); constants
 *     for the loss (no gradient flows through them)
 * @param diagnostics step diagnostics, keys in {@link Diagnostics}; insertion-ordered, unmodifiable
 * @param loss which loss the trainer applies to the selected rows
 */
public record Selection(INDArray mask, INDArray weights, Map<String, Double> diagnostics, LossSpec loss) {

    /** Tolerance on "selected weights have mean 1": float32 weights carry rounding of order 1e-7 × B. */
    public static final double MEAN_ONE_TOLERANCE = 1e-5;

    public Selection {
        if (mask == null || weights == null || diagnostics == null || loss == null) {
            throw new IllegalArgumentException("Selection: mask, weights, diagnostics and loss are required");
        }
        if (mask.rank() != 1 || weights.rank() != 1 || mask.length() != weights.length()) {
            throw new IllegalArgumentException("Selection: mask shape " + Arrays.toString(mask.shape()) + " and weights shape "
                    + Arrays.toString(weights.shape()) + ", expected both [B]");
        }
        double[] m = mask.toDoubleVector();
        double[] w = weights.toDoubleVector();
        int n = 0;
        double sum = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] != 0 && m[i] != 1) {
                throw new IllegalArgumentException("Selection: mask[" + i + "] = " + m[i] + ", expected 0 or 1");
            }
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
                throw new IllegalArgumentException("Selection: weights[" + i + "] = " + w[i] + ", expected finite ≥ 0");
            }
            if (m[i] == 0 && w[i] != 0) {
                throw new IllegalArgumentException("Selection: weights[" + i + "] = " + w[i] + " on an unselected row, expected 0");
            }
            if (m[i] == 1) {
                n++;
                sum += w[i];
            }
        }
        if (n > 0 && Math.abs(sum / n - 1) > MEAN_ONE_TOLERANCE) {
            throw new IllegalArgumentException("Selection: selected weights have mean " + (sum / n) + ", expected 1 ± "
                    + MEAN_ONE_TOLERANCE);
        }
        diagnostics = Collections.unmodifiableMap(new LinkedHashMap<>(diagnostics));
    }

    /**
     * Builds a selection from float64 decisions, adding the common diagnostics (ratio, counts, weight stats, mean teacher
     * confidence, teacher accuracy of the selected rows when gold labels are given) in front of {@code extra}.
     * {@code weights} must already be 0 off the mask and mean 1 on it. Mask and weights get the dtype of the student
     * logits, since the loss multiplies them into per-row losses of that dtype.
     */
    public static Selection of(StepBatch b, boolean[] mask, double[] weights, LossSpec loss, Map<String, Double> extra) {
        int bs = b.size();
        if (mask.length != bs || weights.length != bs) {
            throw new IllegalArgumentException("Selection.of: mask length " + mask.length + ", weights length "
                    + weights.length + ", expected batch size " + bs);
        }
        double[] m = new double[bs];
        int n = 0;
        double wMin = Double.POSITIVE_INFINITY;
        double wMax = Double.NEGATIVE_INFINITY;
        double wSum = 0;
        double[] c = b.teacherConfidence();
        double confAll = 0;
        double confSel = 0;
        for (int i = 0; i < bs; i++) {
            confAll += c[i];
            if (mask[i]) {
                m[i] = 1;
                n++;
                wMin = Math.min(wMin, weights[i]);
                wMax = Math.max(wMax, weights[i]);
                wSum += weights[i];
                confSel += c[i];
            }
        }
        Map<String, Double> d = new LinkedHashMap<>();
        d.put(Diagnostics.RATIO, (double) n / bs);
        d.put(Diagnostics.N_SELECTED, (double) n);
        d.put(Diagnostics.BATCH_SIZE, (double) bs);
        d.put(Diagnostics.SKIPPED, n == 0 ? 1.0 : 0.0);
        d.put(Diagnostics.WEIGHT_MIN, n == 0 ? Double.NaN : wMin);
        d.put(Diagnostics.WEIGHT_MEAN, n == 0 ? Double.NaN : wSum / n);
        d.put(Diagnostics.WEIGHT_MAX, n == 0 ? Double.NaN : wMax);
        d.put(Diagnostics.MEAN_CONF_ALL, confAll / bs);
        d.put(Diagnostics.MEAN_CONF_SELECTED, n == 0 ? Double.NaN : confSel / n);
        if (b.hasGold()) {
            int[] gold = b.goldLabels();
            int[] y = b.pseudoLabels();
            int okAll = 0;
            int okSel = 0;
            for (int i = 0; i < bs; i++) {
                if (gold[i] == y[i]) {
                    okAll++;
                    if (mask[i]) {
                        okSel++;
                    }
                }
            }
            d.put(Diagnostics.TEACHER_ACC_ALL, (double) okAll / bs);
            d.put(Diagnostics.TEACHER_ACC_SELECTED, n == 0 ? Double.NaN : (double) okSel / n);
        }
        if (extra != null) {
            d.putAll(extra);
        }
        DataType t = b.studentLogits().dataType();
        return new Selection(Nd4j.createFromArray(m).castTo(t), Nd4j.createFromArray(weights.clone()).castTo(t), d, loss);
    }

    /** |selected|. */
    public int numSelected() {
        return (int) Math.round(mask.sumNumber().doubleValue());
    }

    /** True if nothing is selected: the trainer does no update this step. */
    public boolean isEmpty() {
        return numSelected() == 0;
    }

    /** Indices of the selected rows, ascending. */
    public int[] selectedIndices() {
        double[] m = mask.toDoubleVector();
        return java.util.stream.IntStream.range(0, m.length).filter(i -> m[i] == 1).toArray();
    }

    /** One diagnostic; fails (never a default) when the selector does not emit {@code key}. */
    public double diagnostic(String key) {
        Double v = diagnostics.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no diagnostic '" + key + "'; this selection has " + diagnostics.keySet());
        }
        return v;
    }
}
