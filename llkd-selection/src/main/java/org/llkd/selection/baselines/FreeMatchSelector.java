package org.llkd.selection.baselines;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llkd.models.label.PseudoLabel;
import org.llkd.selection.AbstractSelector;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SelectorState;
import org.llkd.selection.StepBatch;
import org.llkd.selection.StudentSignals;

/**
 * Baseline 5: FreeMatch's self-adaptive threshold (Wang et al., "FreeMatch: Self-adaptive Thresholding for
 * Semi-supervised Learning", ICLR 2023) on the <em>student's own</em> confidence, following USB's
 * {@code semilearn/algorithms/freematch/utils.py} ({@code FreeMatchThresholingHook}); the training label stays the
 * teacher's pseudo-label, weight 1.
 *
 * <p>State: global τ (init 1/C) and p̃ [C] (init 1/C each). Per step, with q_i = softmax(z_i), before masking:
 * <pre>
 *   τ ← λτ + (1−λ)·mean_i max_k q_i[k]          (or the 0.8-quantile, USB's use_quantile; clip to [0,0.95], USB's clip_thresh)
 *   p̃ ← λp̃ + (1−λ)·mean_i q_i                    (the full probability vectors, as USB does)
 *   keep i ⇔ max_k q_i[k] ≥ τ · p̃[k_i] / max_j p̃[j]   (MaxNorm; k_i = the student's argmax, as in USB)
 * </pre>
 * USB's label histogram only feeds FreeMatch's fairness loss, not the mask, and is not kept here.
 */
public final class FreeMatchSelector extends AbstractSelector {

    /** Which class indexes the class-wise threshold of row i. */
    public enum ClassIndex {
        /** The student's own argmax (USB's {@code mod[max_idx]}). */
        STUDENT_ARGMAX,
        /** The teacher's pseudo-label ŷ_i (the label trained on). */
        TEACHER_LABEL
    }

    /**
     * @param numClasses C ≥ 2
     * @param momentum λ ∈ [0,1] (USB default 0.999)
     * @param useQuantile update τ with the 0.8-quantile of the confidences instead of their mean (USB default false)
     * @param clipThreshold clip τ to [0, 0.95] after each update (USB default false)
     * @param classIndex which class indexes p̃ (USB: the student's argmax)
     */
    public record Config(int numClasses, double momentum, boolean useQuantile, boolean clipThreshold, ClassIndex classIndex) {
        public Config {
            if (numClasses < 2) {
                throw new IllegalArgumentException("FreeMatchSelector.Config.numClasses = " + numClasses + ", expected ≥ 2");
            }
            if (!(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException("FreeMatchSelector.Config.momentum = " + momentum + ", expected [0,1]");
            }
            if (classIndex == null) {
                throw new IllegalArgumentException("FreeMatchSelector.Config.classIndex is null; use one of "
                        + Arrays.toString(ClassIndex.values()));
            }
        }

        /** USB's defaults with momentum λ: mean (no quantile), no clipping, indexed by the student's argmax. */
        public static Config usb(int numClasses, double momentum) {
            return new Config(numClasses, momentum, false, false, ClassIndex.STUDENT_ARGMAX);
        }
    }

    /** USB's quantile level. */
    public static final double QUANTILE = 0.8;
    /** USB's clip bound. */
    public static final double CLIP = 0.95;

    private final Config config;
    private double tau;
    private final double[] pModel; // [C]

    public FreeMatchSelector(Config config) {
        super("freematch");
        if (config == null) {
            throw new IllegalArgumentException("FreeMatchSelector: config is null; use Config.usb(numClasses, momentum)");
        }
        this.config = config;
        this.tau = 1.0 / config.numClasses();
        this.pModel = new double[config.numClasses()];
        Arrays.fill(pModel, 1.0 / config.numClasses());
    }

    /** Current global τ. */
    public double tau() {
        return tau;
    }

    /** Copy of p̃ [C]. */
    public double[] pModel() {
        return pModel.clone();
    }

    @Override
    protected Decision decide(StepBatch b) {
        int numClasses = config.numClasses();
        if (b.numClasses() != numClasses) {
            throw new IllegalArgumentException("freematch: batch has " + b.numClasses() + " classes, selector configured for "
                    + numClasses);
        }
        int bs = b.size();
        double[][] z = b.logitMatrix(); // [B][C]
        int[] y = b.pseudoLabels();
        double[] conf = new double[bs]; // student max prob [B]
        int[] arg = new int[bs];
        double[] meanProbs = new double[numClasses]; // [C]
        for (int i = 0; i < bs; i++) {
            double[] q = StudentSignals.softmax(z[i]);
            arg[i] = PseudoLabel.argmax(q);
            conf[i] = q[arg[i]];
            for (int k = 0; k < numClasses; k++) {
                meanProbs[k] += q[k] / bs;
            }
        }
        double lam = config.momentum();
        double stat = config.useQuantile() ? quantile(conf, QUANTILE) : Arrays.stream(conf).sum() / bs;
        tau = lam * tau + (1 - lam) * stat;
        if (config.clipThreshold()) {
            tau = Math.min(CLIP, Math.max(0.0, tau));
        }
        for (int k = 0; k < numClasses; k++) {
            pModel[k] = lam * pModel[k] + (1 - lam) * meanProbs[k];
        }
        double max = StudentSignals.max(pModel);
        double[] thr = new double[numClasses]; // [C]
        for (int k = 0; k < numClasses; k++) {
            thr[k] = tau * pModel[k] / max;
        }
        boolean[] mask = new boolean[bs];
        for (int i = 0; i < bs; i++) {
            int k = config.classIndex() == ClassIndex.STUDENT_ARGMAX ? arg[i] : y[i];
            mask[i] = conf[i] >= thr[k];
        }
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put(Diagnostics.TAU_STUDENT_CONF, tau);
        for (int k = 0; k < numClasses; k++) {
            extra.put(Diagnostics.tauStudentConfClass(k), thr[k]);
        }
        return new Decision(mask, null, LossSpec.HARD_CE, extra);
    }

    /** torch.quantile's default (linear interpolation): sorted x at position q·(n−1). */
    static double quantile(double[] x, double q) {
        double[] s = x.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    @Override
    protected int stateVersion() {
        return 1;
    }

    @Override
    protected String configKey() {
        return "C=" + config.numClasses() + ",momentum=" + config.momentum() + ",quantile=" + config.useQuantile()
                + ",clip=" + config.clipThreshold() + ",classIndex=" + config.classIndex();
    }

    @Override
    protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {
        scalars.put("tau", tau);
        arrays.put("pModel", pModel.clone());
    }

    @Override
    protected void loadState(SelectorState s) {
        double t = s.scalar("tau");
        double[] p = s.array("pModel", config.numClasses());
        tau = t;
        System.arraycopy(p, 0, pModel, 0, p.length);
    }
}
