package org.llkd.selection.baselines;

import java.util.Arrays;
import java.util.Map;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;

/**
 * Baseline 7, soft-label distillation: every row, weight 1, loss {@link org.llkd.selection.LossKind#SOFT_KL} against the
 * teacher's full probabilities at temperature T (applied by {@code org.llkd.models.loss.SoftLabelDistillation}).
 */
public final class SoftLabelSelector extends AbstractSelector {

    private final LossSpec loss;

    /** @param temperature T > 0 of the KL loss */
    public SoftLabelSelector(double temperature) {
        super("soft");
        this.loss = LossSpec.softKl(temperature);
    }

    /** The temperature. */
    public double temperature() {
        return loss.temperature();
    }

    @Override
    protected Decision decide(StepBatch b) {
        boolean[] mask = new boolean[b.size()];
        Arrays.fill(mask, true);
        return new Decision(mask, null, loss, Map.of(Diagnostics.TEMPERATURE, loss.temperature()));
    }

    @Override
    protected int stateVersion() {
        return 1;
    }

    @Override
    protected String configKey() {
        return "temperature=" + loss.temperature();
    }

    @Override
    protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {
    }

    @Override
    protected void loadState(SelectorState s) {
    }
}
