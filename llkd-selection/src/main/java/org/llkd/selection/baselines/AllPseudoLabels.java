package org.llkd.selection.baselines;

import java.util.Arrays;
import java.util.Map;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;

/** Baseline 1, plain distillation: every row, weight 1, CE on the teacher's pseudo-label. Stateless. */
public final class AllPseudoLabels extends AbstractSelector {

    public AllPseudoLabels() {
        super("all");
    }

    @Override
    protected Decision decide(StepBatch b) {
        boolean[] mask = new boolean[b.size()];
        Arrays.fill(mask, true);
        return new Decision(mask, null, LossSpec.HARD_CE, Map.of());
    }

    @Override
    protected int stateVersion() {
        return 1;
    }

    @Override
    protected String configKey() {
        return "";
    }

    @Override
    protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {
    }

    @Override
    protected void loadState(SelectorState s) {
    }
}
