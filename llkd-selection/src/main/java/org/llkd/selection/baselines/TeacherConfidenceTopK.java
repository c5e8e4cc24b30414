package org.llkd.selection.baselines;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;

/**
 * Baseline 3a: per batch, the k = round(f·B) rows of highest teacher confidence c_i (ties: lower row index first),
 * weight 1. The reference run found this baseline strong; keep it in every table. Stateless.
 */
public final class TeacherConfidenceTopK extends AbstractSelector {

    private final double fraction;

    /** @param fraction f ∈ [0,1] of each batch to keep */
    public TeacherConfidenceTopK(double fraction) {
        super("topk");
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("TeacherConfidenceTopK.fraction = " + fraction + ", expected [0,1]");
        }
        this.fraction = fraction;
    }

    @Override
    protected Decision decide(StepBatch b) {
        double[] c = b.teacherConfidence();
        int k = (int) Math.round(fraction * c.length);
        int[] order = IntStream.range(0, c.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -c[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        boolean[] mask = new boolean[c.length];
        for (int i = 0; i < k; i++) {
            mask[order[i]] = true;
        }
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put(Diagnostics.TARGET_RATIO, fraction);
        // The effective threshold: the k-th largest confidence (NaN when k = 0: no threshold exists).
        extra.put(Diagnostics.TAU_T, k == 0 ? Double.NaN : c[order[k - 1]]);
        return new Decision(mask, null, LossSpec.HARD_CE, extra);
    }

    @Override
    protected int stateVersion() {
        return 1;
    }

    @Override
    protected String configKey() {
        return "fraction=" + fraction;
    }

    @Override
    protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {
    }

    @Override
    protected void loadState(SelectorState s) {
    }
}
