package org.llkd.selection.baselines;

import org.llkd.selection.LlkdSelector;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.Selection;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;

/**
 * Baseline 4, student uncertainty only (adaptive): LLKD's student gate alone — u_i ≥ τ^S_t(ŷ_i) with the same EMA and
 * class-wise MaxNorm thresholds — and weight 1. It differs from the "w/o teacher confidence" ablation only in its
 * weights (uniform here, u there). Delegates to {@link LlkdSelector} under the name "uncertainty".
 */
public final class StudentUncertaintyOnly implements SampleSelector {

    private final LlkdSelector delegate;

    /** The spec's initial values with momentum λ. */
    public StudentUncertaintyOnly(int numClasses, double momentum) {
        this(config(numClasses, momentum));
    }

    /** Any LLKD config with the teacher gate off. */
    public StudentUncertaintyOnly(LlkdSelector.Config config) {
        if (config.teacherGate() || !config.studentGate()) {
            throw new IllegalArgumentException("StudentUncertaintyOnly needs teacherGate = false and studentGate = true, got "
                    + config);
        }
        this.delegate = new LlkdSelector("uncertainty", config);
    }

    /** {@link LlkdSelector.Config#defaults(int, double)} without the teacher gate and with uniform weights. */
    public static LlkdSelector.Config config(int numClasses, double momentum) {
        return LlkdSelector.Config.defaults(numClasses, momentum).withGates(false, true)
                .withWeightForm(LlkdSelector.WeightForm.UNIFORM);
    }

    /** The underlying selector (thresholds, config). */
    public LlkdSelector delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Selection select(StepBatch b) {
        return delegate.select(b);
    }

    @Override
    public SelectorState snapshot() {
        return delegate.snapshot();
    }

    @Override
    public void restore(SelectorState s) {
        delegate.restore(s);
    }
}
