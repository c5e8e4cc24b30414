package org.llkd.selection.baselines;

import java.util.Arrays;
import java.util.Map;
import org.llkd.selection.LossSpec;
import org.llkd.selection.StepBatch;

/**
 * Upper bound 8 (not a baseline): every row, weight 1, CE on the <em>gold</em> label
 * ({@link org.llkd.selection.LossKind#GOLD_CE}). The only selector whose loss uses gold labels; fails on a batch without
 * them.
 */
public final class GoldLabels extends StatelessSelector {

    public GoldLabels() {
        super("gold", "");
    }

    @Override
    protected Decision decide(StepBatch b) {
        if (!b.hasGold()) {
            throw new IllegalArgumentException("gold: the batch has no gold labels; the gold upper bound needs"
                    + " StepBatch.withGoldLabels(...) for every training batch");
        }
        boolean[] mask = new boolean[b.size()];
        Arrays.fill(mask, true);
        return new Decision(mask, null, LossSpec.GOLD_CE, Map.of());
    }

}
