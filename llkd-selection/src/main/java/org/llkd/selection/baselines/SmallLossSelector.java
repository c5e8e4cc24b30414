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
import org.llkd.selection.StudentSignals;

/**
 * Baseline 6, small-loss selection in the style of Co-teaching (Han et al., NeurIPS 2018): keep the k rows with the
 * smallest student loss against the teacher's pseudo-label, weight 1 (ties: lower row index first).
 *
 * <p>Keep ratio at step t (0-based) follows Co-teaching's schedule R(t) = 1 − min(t/T_k, 1)·(1 − r): from 1 down to r over
 * T_k = {@code rampSteps} steps, then r (T_k = 0: r from the first step). k = round(R(t)·B). The loss is the batch's
 * {@link StepBatch#studentLoss()} when given, else CE(z_i, ŷ_i) computed here from the logits (diagnostic
 * {@code loss_from_batch} says which).
 */
public final class SmallLossSelector extends AbstractSelector {

    /**
     * @param keepRatio r ∈ [0,1], the final fraction kept (Co-teaching's 1 − forget rate)
     * @param rampSteps T_k ≥ 0, steps over which the keep ratio falls from 1 to r
     */
    public record Config(double keepRatio, int rampSteps) {
        public Config {
            if (!(keepRatio >= 0 && keepRatio <= 1)) {
                throw new IllegalArgumentException("SmallLossSelector.Config.keepRatio = " + keepRatio + ", expected [0,1]");
            }
            if (rampSteps < 0) {
                throw new IllegalArgumentException("SmallLossSelector.Config.rampSteps = " + rampSteps + ", expected ≥ 0");
            }
        }

        /** R(t). */
        public double keepAt(long step) {
            double progress = rampSteps == 0 ? 1.0 : Math.min(1.0, (double) step / rampSteps);
            return 1.0 - progress * (1.0 - keepRatio);
        }
    }

    private final Config config;

    public SmallLossSelector(Config config) {
        super("smallloss");
        if (config == null) {
            throw new IllegalArgumentException("SmallLossSelector: config is null");
        }
        this.config = config;
    }

    @Override
    protected Decision decide(StepBatch b) {
        int bs = b.size();
        double[] loss;
        boolean fromBatch = b.studentLoss() != null;
        if (fromBatch) {
            loss = b.studentLoss().toDoubleVector();
        } else {
            double[][] z = b.logitMatrix();
            int[] y = b.pseudoLabels();
            loss = new double[bs];
            for (int i = 0; i < bs; i++) {
                loss[i] = StudentSignals.crossEntropy(z[i], y[i]);
            }
        }
        double keep = config.keepAt(stepsDone());
        int k = (int) Math.round(keep * bs);
        double[] l = loss;
        int[] order = IntStream.range(0, bs).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> l[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        boolean[] mask = new boolean[bs];
        for (int i = 0; i < k; i++) {
            mask[order[i]] = true;
        }
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put(Diagnostics.TARGET_RATIO, keep);
        extra.put("loss_from_batch", fromBatch ? 1.0 : 0.0);
        extra.put("loss_threshold", k == 0 ? Double.NaN : l[order[k - 1]]);
        return new Decision(mask, null, LossSpec.HARD_CE, extra);
    }

    @Override
    protected int stateVersion() {
        return 1;
    }

    @Override
    protected String configKey() {
        return "keepRatio=" + config.keepRatio() + ",rampSteps=" + config.rampSteps();
    }

    @Override
    protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {
        // The schedule depends only on the step counter, saved by AbstractSelector.
    }

    @Override
    protected void loadState(SelectorState s) {
    }
}
