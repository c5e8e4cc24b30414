package org.llkd.selection.baselines;

import java.util.Arrays;
import java.util.Map;
import org.llkd.selection.LossSpec;
import org.llkd.selection.StepBatch;

/** Baseline 1, plain distillation: every row, weight 1, CE on the teacher's pseudo-label. Stateless. */
public final class AllPseudoLabels extends StatelessSelector {

    public AllPseudoLabels() {
        super("all", "");
    }

    @Override
    protected Decision decide(StepBatch b) {
        boolean[] mask = new boolean[b.size()];
        Arrays.fill(mask, true);
        return new Decision(mask, null, LossSpec.HARD_CE, Map.of());
    }

}
