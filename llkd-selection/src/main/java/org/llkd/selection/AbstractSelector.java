package org.llkd.selection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Common skeleton of the selectors: step and skipped-step counters, weight normalisation to mean 1 over the selected
 * rows, the shared diagnostics, and snapshot/restore with an owner check. A subclass implements {@link #decide} (which
 * may update its adaptive state) and the state hooks.
 */
public abstract class AbstractSelector implements SampleSelector {

    private final String name;
    private long steps;
    private long skipped;
    private long uniformFallbacks;

    protected AbstractSelector(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("selector name is blank");
        }
        this.name = name;
    }

    /**
     * What a subclass decides for one step.
     *
     * @param mask selected rows [B]
     * @param rawWeights unnormalised weights ≥ 0 [B] (only the selected entries are read); {@code null} = uniform
     * @param loss loss to apply
     * @param extra selector-specific diagnostics (thresholds ...), appended after the common ones
     */
    public record Decision(boolean[] mask, double[] rawWeights, LossSpec loss, Map<String, Double> extra) {
    }

    /** Decides for batch {@code b}; {@link #stepsDone()} is the number of steps before this one. */
    protected abstract Decision decide(StepBatch b);

    /** Layout version of {@link #saveState}. */
    protected abstract int stateVersion();

    /** Canonical description of every setting that changes future decisions; restore requires an exact match. */
    protected abstract String configKey();

    /** Adds the subclass state to the maps. */
    protected abstract void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays);

    /** Reads the subclass state (owner already checked). */
    protected abstract void loadState(SelectorState s);

    @Override
    public final String name() {
        return name;
    }

    /** Steps completed so far. */
    public final long stepsDone() {
        return steps;
    }

    /** Steps so far with nothing selected (no update). */
    public final long skippedSteps() {
        return skipped;
    }

    @Override
    public final Selection select(StepBatch b) {
        Decision d = decide(b);
        boolean[] mask = d.mask();
        int bs = b.size();
        if (mask.length != bs) {
            throw new IllegalStateException(name + ": mask of length " + mask.length + " for a batch of " + bs);
        }
        double[] w = new double[bs];
        int n = 0;
        double sum = 0;
        for (int i = 0; i < bs; i++) {
            if (mask[i]) {
                double r = d.rawWeights() == null ? 1.0 : d.rawWeights()[i];
                if (!(r >= 0) || Double.isInfinite(r)) {
                    throw new IllegalStateException(name + ": raw weight " + r + " for row " + i + ", expected finite ≥ 0");
                }
                w[i] = r;
                sum += r;
                n++;
            }
        }
        boolean fallback = false;
        if (n > 0 && sum > 0) {
            double scale = n / sum; // w_i ← w_i · |S| / Σ_S w  ⇒ mean over S is 1
            for (int i = 0; i < bs; i++) {
                w[i] *= scale;
            }
        } else if (n > 0) {
            fallback = true; // every selected raw weight is 0: uniform, and logged
            uniformFallbacks++;
            for (int i = 0; i < bs; i++) {
                w[i] = mask[i] ? 1.0 : 0.0;
            }
        }
        steps++;
        if (n == 0) {
            skipped++;
        }
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put(Diagnostics.STEP, (double) steps);
        extra.put(Diagnostics.SKIPPED_TOTAL, (double) skipped);
        extra.put(Diagnostics.WEIGHT_UNIFORM_FALLBACK, fallback ? 1.0 : 0.0);
        if (d.extra() != null) {
            extra.putAll(d.extra());
        }
        return Selection.of(b, mask, w, d.loss(), extra);
    }

    @Override
    public final SelectorState snapshot() {
        Map<String, Double> scalars = new LinkedHashMap<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, double[]> arrays = new LinkedHashMap<>();
        counters.put("steps", steps);
        counters.put("skipped", skipped);
        counters.put("uniform_fallbacks", uniformFallbacks);
        saveState(scalars, counters, arrays);
        return new SelectorState(name, stateVersion(), configKey(), scalars, counters, arrays);
    }

    @Override
    public final void restore(SelectorState s) {
        if (s == null) {
            throw new IllegalArgumentException(name + ": cannot restore a null state");
        }
        s.requireOwner(name, stateVersion(), configKey());
        long st = s.counter("steps");
        long sk = s.counter("skipped");
        long uf = s.counter("uniform_fallbacks");
        if (st < 0 || sk < 0 || sk > st || uf < 0 || uf > st) {
            throw new IllegalArgumentException(name + ": inconsistent counters in state: steps=" + st + ", skipped=" + sk
                    + ", uniform_fallbacks=" + uf);
        }
        loadState(s);
        steps = st;
        skipped = sk;
        uniformFallbacks = uf;
    }

    @Override
    public String toString() {
        return name + "[" + configKey() + "]";
    }
}
