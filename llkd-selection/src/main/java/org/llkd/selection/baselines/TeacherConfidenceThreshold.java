package org.llkd.selection.baselines;

import java.util.Map;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;

/** Baseline 3b: keep row i ⇔ c_i = max_k p^T_i[k] ≥ τ (fixed), weight 1. Stateless. */
public final class TeacherConfidenceThreshold extends AbstractSelector {

    private final double threshold;

    /** @param threshold τ ∈ [0,1] */
    public TeacherConfidenceThreshold(double threshold) {
        super("threshold");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("TeacherConfidenceThreshold.threshold = " + threshold + ", expected [0,1]");
        }
        this.threshold = threshold;
    }

    @Override
    protected Decision decide(StepBatch b) {
        double[] c = b.teacherConfidence();
        boolean[] mask = new boolean[c.length];
        for (int i = 0; i < c.length; i++) {
            mask[i] = c[i] >= threshold;
        }
        return new Decision(mask, null, LossSpec.HARD_CE, Map.of(Diagnostics.TAU_T, threshold));
    }

    @Override
    protected int stateVersion() {
        return 1;
    }

    @Override
    protected String configKey() {
        return "threshold=" + threshold;
    }

    @Override
    protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {
    }

    @Override
    protected void loadState(SelectorState s) {
    }
}
