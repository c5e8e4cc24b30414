package org.llkd.selection.baselines;

import java.util.Map;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.SelectorState;

/**
 * A selector whose decision depends only on the current batch and its fixed configuration: its state is
 * the step counters {@link AbstractSelector} keeps, plus nothing of its own.
 */
abstract class StatelessSelector extends AbstractSelector {
    private final String configKey;

    /** {@code configKey} identifies the configuration in snapshots (e.g. "ratio=0.3"; "" if there is none). */
    StatelessSelector(String name, String configKey) {
        super(name);
        this.configKey = configKey;
    }

    @Override
    protected final int stateVersion() {
        return 1;
    }

    @Override
    protected final String configKey() {
        return configKey;
    }

    @Override
    protected final void saveState(Map<String, Double> scalars, Map<String, Long> counters,
            Map<String, double[]> arrays) {
    }

    @Override
    protected final void loadState(SelectorState s) {
    }
}
