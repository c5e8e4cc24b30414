package org.llkd.selection.baselines;

import java.util.Map;
import java.util.SplittableRandom;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;

/**
 * Baseline 2: a uniformly random subset of each batch, weight 1, at a target ratio r (set to LLKD's measured mean
 * per-step ratio to compare at equal data).
 *
 * <p>Per step t, k = ⌊rB⌋ + Bernoulli(rB − ⌊rB⌋) rows (stochastic rounding, so E[k]/B = r exactly even for small B) are
 * drawn without replacement by a partial Fisher–Yates shuffle. The randomness of step t comes from
 * {@code new SplittableRandom(mix(seed, t))}, so the state is just the step counter: a restored selector continues the
 * same random stream bit for bit. {@code seed} is the run's "selector" stream (convention 4).
 */
public final class RandomSelector extends AbstractSelector {

    private final double ratio;
    private final long seed;

    /**
     * @param ratio target fraction r ∈ [0,1] of each batch
     * @param seed the run's selector seed
     */
    public RandomSelector(double ratio, long seed) {
        super("random");
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("RandomSelector.ratio = " + ratio + ", expected [0,1]"
                    + " (LLKD's mean per-step selection ratio)");
        }
        this.ratio = ratio;
        this.seed = seed;
    }

    /** The target ratio. */
    public double ratio() {
        return ratio;
    }

    @Override
    protected Decision decide(StepBatch b) {
        int bs = b.size();
        SplittableRandom rng = new SplittableRandom(mix(seed, stepsDone()));
        double target = ratio * bs;
        int k = (int) Math.floor(target);
        if (rng.nextDouble() < target - k) {
            k++;
        }
        int[] perm = new int[bs];
        for (int i = 0; i < bs; i++) {
            perm[i] = i;
        }
        boolean[] mask = new boolean[bs];
        for (int i = 0; i < k; i++) { // partial Fisher–Yates: perm[0..k) is a uniform k-subset
            int j = i + rng.nextInt(bs - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            mask[perm[i]] = true;
        }
        return new Decision(mask, null, LossSpec.HARD_CE, Map.of(Diagnostics.TARGET_RATIO, ratio));
    }

    /** SplitMix64 finaliser of seed + (t+1)·golden gamma: a distinct, well-mixed seed per step. */
    static long mix(long seed, long step) {
        long z = seed + (step + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    protected int stateVersion() {
        return 1;
    }

    @Override
    protected String configKey() {
        return "ratio=" + ratio + ",seed=" + seed;
    }

    @Override
    protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {
        // The step counter (saved by AbstractSelector) is the whole RNG position.
    }

    @Override
    protected void loadState(SelectorState s) {
    }
}
