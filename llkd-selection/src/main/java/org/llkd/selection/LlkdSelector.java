package org.llkd.selection;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llkd.models.label.PseudoLabel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LLKD selector: dual self-adaptive thresholds on teacher confidence and student uncertainty
 * (Li et al., "Learning with Less: Knowledge Distillation from Large Language Models via Unlabeled Data", NAACL 2025
 * Findings, arXiv 2411.08028), as reconstructed in {@code shared/LLKD_METHOD.md} in the FreeMatch family.
 *
 * <p>Per step, with batch B, c_i = max_k p^T_i[k], u_i = H(softmax(z_i)) / log C, ŷ_i = argmax_k p^T_i[k]:
 * <ol>
 *   <li>EMAs, <em>before</em> selecting: τ^T ← λτ^T + (1−λ) mean_B c; τ^S ← λτ^S + (1−λ) mean_B u; for every class c
 *       present among ŷ in B: m^T[c] ← λm^T[c] + (1−λ) mean_{ŷ_i=c} c_i, m^S[c] likewise with u (absent classes keep
 *       their value);</li>
 *   <li>class thresholds (MaxNorm): τ^T_t(c) = τ^T·m^T[c]/max_k m^T[k], τ^S_t(c) = τ^S·m^S[c]/max_k m^S[k];</li>
 *   <li>select i ⇔ c_i ≥ τ^T_t(ŷ_i) and u_i ≥ τ^S_t(ŷ_i);</li>
 *   <li>w_i = c_i·u_i on selected rows, rescaled to mean 1 over them; 0 elsewhere. Nothing selected: no update, counted.</li>
 * </ol>
 * {@link #decide} is these four steps in this order ({@code updateEmas} is step 1, {@code classThresholds} step 2;
 * the rescaling of step 4 and the count of empty steps are {@link AbstractSelector#select}'s). Every (R) choice of the
 * reconstruction is a {@link Config} field (at the end of this file); the five Figure-3 ablations are {@link Ablation}
 * presets of the same class. Checked value for value against {@code llkd_select_golden.json} and
 * {@code llkd_select_golden_n4.json} (λ = 0.7) in {@code LlkdGoldenConformanceTest}.
 */
public final class LlkdSelector extends AbstractSelector {

    /** State layout version. */
    public static final int STATE_VERSION = 1;

    private final Config config;
    // The only mutable state (besides the step counters of AbstractSelector).
    private double tauT;
    private double tauS;
    private final double[] mT; // [C]
    private final double[] mS; // [C]

    /** LLKD with {@code config}, registry name "llkd". */
    public LlkdSelector(Config config) {
        this("llkd", config);
    }

    /** A named variant (ablations and the student-only baseline use their registry names). */
    public LlkdSelector(String name, Config config) {
        super(name);
        if (config == null) {
            throw new IllegalArgumentException("LlkdSelector: config is null; use Config.defaults(numClasses)");
        }
        this.config = config;
        this.tauT = config.tauT0();
        this.tauS = config.tauS0();
        this.mT = config.mT0();
        this.mS = config.mS0();
    }

    // ---- one step: the class Javadoc's steps 1-4 ----

    @Override
    protected Decision decide(StepBatch b) {
        int bs = b.size();
        int numClasses = config.numClasses();
        if (b.numClasses() != numClasses) {
            throw new IllegalArgumentException(name() + ": batch has " + b.numClasses() + " classes, selector configured for "
                    + numClasses);
        }
        int[] y = b.pseudoLabels();          // ŷ [B]
        double[] c = b.teacherConfidence(); // [B]
        double[][] z = b.logitMatrix();     // [B][C]
        double[] u = new double[bs];        // [B]
        for (int i = 0; i < bs; i++) {
            u[i] = config.uncertainty().of(z[i]);
        }
        // 1. EMAs, before selecting
        if (config.adaptive()) {
            updateEmas(y, c, u);
        }
        // 2. class thresholds
        double[] tt = teacherThresholds(); // [C]
        double[] ts = studentThresholds(); // [C]
        // 3. mask, and 4. raw weight (AbstractSelector.select rescales it to mean 1 over the selected rows)
        boolean[] mask = new boolean[bs];
        double[] raw = new double[bs];
        for (int i = 0; i < bs; i++) {
            boolean teacherOk = !config.teacherGate() || c[i] >= tt[y[i]];
            boolean studentOk = !config.studentGate() || u[i] >= ts[y[i]];
            mask[i] = teacherOk && studentOk;
            raw[i] = config.weightForm().of(c[i], u[i]);
        }
        return new Decision(mask, raw, LossSpec.HARD_CE, diagnostics(tt, ts));
    }

    /** Step 1, the EMAs of the spec, with the whole batch (selected or not). */
    private void updateEmas(int[] y, double[] c, double[] u) {
        int bs = y.length;
        double lam = config.momentum();
        double sumC = 0;
        double sumU = 0;
        double[] classSumC = new double[mT.length];
        double[] classSumU = new double[mT.length];
        int[] classCount = new int[mT.length];
        for (int i = 0; i < bs; i++) {
            sumC += c[i];
            sumU += u[i];
            classSumC[y[i]] += c[i];
            classSumU[y[i]] += u[i];
            classCount[y[i]]++;
        }
        tauT = lam * tauT + (1 - lam) * (sumC / bs);
        tauS = lam * tauS + (1 - lam) * (sumU / bs);
        for (int k = 0; k < mT.length; k++) {
            if (classCount[k] > 0) { // absent classes keep their value
                mT[k] = lam * mT[k] + (1 - lam) * (classSumC[k] / classCount[k]);
                mS[k] = lam * mS[k] + (1 - lam) * (classSumU[k] / classCount[k]);
            }
        }
    }

    /**
     * Step 2, MaxNorm: τ·m[c]/max_k m[k] (τ for every class when class-wise is off, or when every m is 0 so all ratios
     * tie).
     */
    private double[] classThresholds(double tau, double[] m) {
        double[] t = new double[m.length];
        double max = StudentSignals.max(m);
        for (int k = 0; k < m.length; k++) {
            t[k] = (!config.classWise() || max == 0) ? tau : tau * m[k] / max;
        }
        return t;
    }

    /** τ^T, τ^S, then τ^T_t(c) and τ^S_t(c) for every class, appended to the common diagnostics. */
    private Map<String, Double> diagnostics(double[] tt, double[] ts) {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put(Diagnostics.TAU_T, tauT);
        extra.put(Diagnostics.TAU_S, tauS);
        for (int k = 0; k < tt.length; k++) {
            extra.put(Diagnostics.tauTClass(k), tt[k]);
        }
        for (int k = 0; k < ts.length; k++) {
            extra.put(Diagnostics.tauSClass(k), ts[k]);
        }
        return extra;
    }

    // ---- what the state is now ----

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** Current global τ^T. */
    public double tauT() {
        return tauT;
    }

    /** Current global τ^S. */
    public double tauS() {
        return tauS;
    }

    /** Copy of m^T [C]. */
    public double[] mT() {
        return mT.clone();
    }

    /** Copy of m^S [C]. */
    public double[] mS() {
        return mS.clone();
    }

    /** Current teacher thresholds τ^T_t(c) [C] (global τ^T for every class when class-wise is off). */
    public double[] teacherThresholds() {
        return classThresholds(tauT, mT);
    }

    /** Current student thresholds τ^S_t(c) [C]. */
    public double[] studentThresholds() {
        return classThresholds(tauS, mS);
    }

    // ---- snapshot / restore ----

    @Override
    protected int stateVersion() {
        return STATE_VERSION;
    }

    @Override
    protected String configKey() {
        return config.stateKey();
    }

    @Override
    protected void saveState(Map<String, Double> scalars, Map<String, Long> counters, Map<String, double[]> arrays) {
        scalars.put("tauT", tauT);
        scalars.put("tauS", tauS);
        arrays.put("mT", mT.clone());
        arrays.put("mS", mS.clone());
    }

    @Override
    protected void loadState(SelectorState s) {
        int numClasses = config.numClasses();
        double tT = s.scalar("tauT");
        double tS = s.scalar("tauS");
        double[] a = s.array("mT", numClasses);
        double[] bS = s.array("mS", numClasses);
        tauT = tT;
        tauS = tS;
        System.arraycopy(a, 0, mT, 0, numClasses);
        System.arraycopy(bS, 0, mS, 0, numClasses);
    }

    // ---- the configuration ----

    /** (R) How the student's uncertainty u_i ∈ [0,1] is measured from its logits. */
    public enum Uncertainty {
        /** H(softmax z)/log C (the spec's default). */
        ENTROPY,
        /** 1 − (p_(1) − p_(2)). */
        MARGIN,
        /** (1 − max p)·C/(C−1), scaled to [0,1]. */
        ONE_MINUS_MAXPROB;

        /** u for one row of logits. */
        public double of(double[] z) {
            return switch (this) {
                case ENTROPY -> StudentSignals.normalizedEntropy(z);
                case MARGIN -> StudentSignals.marginUncertainty(z);
                case ONE_MINUS_MAXPROB -> StudentSignals.oneMinusMaxProb(z);
            };
        }
    }

    /** (R) Raw weight of a selected row before rescaling to mean 1. */
    public enum WeightForm {
        /** c·u (the spec's default). */
        CONF_TIMES_UNC,
        /** c. */
        CONF,
        /** u. */
        UNC,
        /** 1 (the "w/o weighting" ablation). */
        UNIFORM;

        /** Raw weight for confidence c and uncertainty u. */
        public double of(double c, double u) {
            return switch (this) {
                case CONF_TIMES_UNC -> c * u;
                case CONF -> c;
                case UNC -> u;
                case UNIFORM -> 1.0;
            };
        }

        /** This form with the factor c taken out (c·u → u, c → 1). */
        WeightForm withoutConfidence() {
            return switch (this) {
                case CONF_TIMES_UNC -> UNC;
                case CONF -> UNIFORM;
                default -> this;
            };
        }

        /** This form with the factor u taken out (c·u → c, u → 1). */
        WeightForm withoutUncertainty() {
            return switch (this) {
                case CONF_TIMES_UNC -> CONF;
                case UNC -> UNIFORM;
                default -> this;
            };
        }
    }

    /** The Figure-3 ablations, each a switch of {@link Config}; {@link #FULL} is LLKD itself. */
    public enum Ablation {
        /** Full LLKD. */
        FULL("llkd"),
        /** w/o teacher confidence: no teacher gate, and c leaves the weight (c·u → u). */
        NO_TEACHER_CONF("llkd-no-teacher"),
        /** w/o student uncertainty: no student gate, and u leaves the weight (c·u → c). */
        NO_STUDENT_UNC("llkd-no-student"),
        /** w/o class-wise thresholds: global τ^T, τ^S only. */
        NO_CLASSWISE("llkd-no-classwise"),
        /** w/o weighting: w_i = 1. */
        NO_WEIGHTING("llkd-no-weighting"),
        /** Fixed thresholds: τ and m stay at their initial values. */
        FIXED_THRESHOLDS("llkd-fixed");

        private final String registryName;

        Ablation(String registryName) {
            this.registryName = registryName;
        }

        /** The {@link Selectors} name of this variant. */
        public String registryName() {
            return registryName;
        }
    }

    /**
     * LLKD configuration, validated here (convention 5). Build it from {@link #defaults} (or {@link #builder}) and
     * change it with the {@code with…} methods or {@link #toBuilder()}; the constructor is called in one place,
     * {@link Builder#build()}. The flat accessors ({@link #tauT0()}, {@link #uncertainty()}, …) read through the two
     * groups.
     *
     * @param numClasses C ≥ 2
     * @param momentum λ ∈ [0,1] of every EMA (spec default 0.999; see {@link #momentumForSteps})
     * @param init the EMA state before step 1: τ^T, τ^S, m^T, m^S
     * @param rule the (R) choices and the ablation switches: u, w, class-wise, adaptive, the two gates
     */
    public record Config(int numClasses, double momentum, Init init, Rule rule) {

        /** The spec's momentum. */
        public static final double DEFAULT_MOMENTUM = 0.999;

        /**
         * The EMA state before step 1 (checked against C by {@link Config}).
         *
         * @param tauT0 initial τ^T ∈ [0,1] (spec: 1/C)
         * @param tauS0 initial τ^S ∈ [0,1] (spec: 0.5)
         * @param mT0 initial m^T [C], each in (0,1] (spec: 1/C each)
         * @param mS0 initial m^S [C], each in (0,1] (spec: 0.5 each)
         */
        public record Init(double tauT0, double tauS0, double[] mT0, double[] mS0) {

            @Override
            public double[] mT0() {
                return mT0.clone();
            }

            @Override
            public double[] mS0() {
                return mS0.clone();
            }

            // A record compares its array components by identity; initial values compare by content.
            @Override
            public boolean equals(Object o) {
                return o instanceof Init i && Double.compare(i.tauT0, tauT0) == 0 && Double.compare(i.tauS0, tauS0) == 0
                        && Arrays.equals(i.mT0, mT0) && Arrays.equals(i.mS0, mS0);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(mT0) + 7 * Arrays.hashCode(mS0) + Double.hashCode(tauT0) + 3 * Double.hashCode(tauS0);
            }

            @Override
            public String toString() {
                return "tauT0=" + tauT0 + ",tauS0=" + tauS0 + ",mT0=" + Arrays.toString(mT0) + ",mS0="
                        + Arrays.toString(mS0);
            }
        }

        /**
         * How the state is used and evolved (validated by {@link Config}).
         *
         * @param uncertainty (R) student uncertainty measure
         * @param weightForm (R) raw weight
         * @param classWise class-wise MaxNorm thresholds (false: global τ^T, τ^S for every class)
         * @param adaptive EMA updates on (false: thresholds fixed at their initial values)
         * @param teacherGate apply c_i ≥ τ^T_t(ŷ_i)
         * @param studentGate apply u_i ≥ τ^S_t(ŷ_i)
         */
        public record Rule(Uncertainty uncertainty, WeightForm weightForm, boolean classWise, boolean adaptive,
                           boolean teacherGate, boolean studentGate) {
        }

        public Config {
            requireClasses(numClasses);
            if (!(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException("LlkdSelector.Config.momentum = " + momentum
                        + ", expected λ in [0,1] (e.g. momentumForSteps(totalSteps))");
            }
            if (init == null || rule == null) {
                throw new IllegalArgumentException("LlkdSelector.Config: init = " + init + ", rule = " + rule
                        + "; both are required");
            }
            requireUnit("tauT0", init.tauT0);
            requireUnit("tauS0", init.tauS0);
            init = new Init(init.tauT0, init.tauS0, requireClassVector("mT0", init.mT0, numClasses),
                    requireClassVector("mS0", init.mS0, numClasses));
            if (rule.uncertainty == null || rule.weightForm == null) {
                throw new IllegalArgumentException("LlkdSelector.Config: uncertainty = " + rule.uncertainty
                        + ", weightForm = " + rule.weightForm + "; both are required");
            }
            if (!rule.teacherGate && !rule.studentGate) {
                throw new IllegalArgumentException("LlkdSelector.Config: teacherGate = studentGate = false selects every"
                        + " row; use the 'all' baseline (AllPseudoLabels) for that");
            }
        }

        /** The spec's defaults: λ = 0.999, τ^T = m^T[c] = 1/C, τ^S = m^S[c] = 0.5, entropy, w = c·u, all switches on. */
        public static Config defaults(int numClasses) {
            return defaults(numClasses, DEFAULT_MOMENTUM);
        }

        /** {@link #defaults(int)} with momentum λ. */
        public static Config defaults(int numClasses, double momentum) {
            return builder(numClasses).momentum(momentum).build();
        }

        /** A builder holding {@link #defaults(int)}. */
        public static Builder builder(int numClasses) {
            return new Builder(numClasses);
        }

        /** A builder holding this config's values. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** Figure-3 preset: {@link #defaults(int, double)} with ablation {@code a} applied. */
        public static Config ablation(Ablation a, int numClasses, double momentum) {
            return defaults(numClasses, momentum).with(a);
        }

        /**
         * The spec's advice for λ given the run length: λ = 1 − 5/steps, so the EMAs cover ≈ 1 − e^{-5} of the way from
         * their initial values within the run. Requires steps ≥ 5.
         */
        public static double momentumForSteps(int steps) {
            if (steps < 5) {
                throw new IllegalArgumentException("momentumForSteps(" + steps + "): need at least 5 steps for λ = 1 − 5/steps ≥ 0");
            }
            return 1.0 - 5.0 / steps;
        }

        /**
         * {@code base} with τ^T and m^T initialised from the whole training set's teacher probabilities
         * {@code allTeacherProbs} [N, C] (the teacher is fixed, so these are known before step 1): τ^T = mean_i c_i,
         * m^T[c] = mean_{ŷ_i=c} c_i. A class that is never a pseudo-label keeps {@code base.mT0()[c]} (it is never
         * selected; its m^T only enters max_k m^T[k]). τ^S and m^S are untouched (the student is not trained yet).
         */
        public static Config initFromTeacher(INDArray allTeacherProbs, Config base) {
            if (allTeacherProbs == null || allTeacherProbs.rank() != 2 || allTeacherProbs.size(1) != base.numClasses
                    || allTeacherProbs.size(0) == 0) {
                throw new IllegalArgumentException("initFromTeacher: teacher probabilities of shape "
                        + (allTeacherProbs == null ? "null" : Arrays.toString(allTeacherProbs.shape())) + ", expected [N>0, "
                        + base.numClasses + "]");
            }
            double[][] p = allTeacherProbs.toDoubleMatrix();
            double[] sum = new double[base.numClasses];
            long[] count = new long[base.numClasses];
            double total = 0;
            for (int i = 0; i < p.length; i++) {
                int y = PseudoLabel.argmax(p[i]);
                double c = p[i][y];
                if (!(c >= 0 && c <= 1)) {
                    throw new IllegalArgumentException("initFromTeacher: row " + i + " has max probability " + c
                            + ", expected [0,1]");
                }
                sum[y] += c;
                count[y]++;
                total += c;
            }
            double[] mT = base.mT0();
            for (int k = 0; k < base.numClasses; k++) {
                if (count[k] > 0) {
                    mT[k] = sum[k] / count[k];
                }
            }
            return base.withInit(total / p.length, base.tauS0(), mT, base.mS0());
        }

        /** This config with ablation {@code a} applied (FULL: unchanged). */
        public Config with(Ablation a) {
            return switch (a) {
                case FULL -> this;
                case NO_TEACHER_CONF -> toBuilder().weightForm(rule.weightForm.withoutConfidence()).gates(false, true).build();
                case NO_STUDENT_UNC -> toBuilder().weightForm(rule.weightForm.withoutUncertainty()).gates(true, false).build();
                case NO_CLASSWISE -> withClassWise(false);
                case NO_WEIGHTING -> withWeightForm(WeightForm.UNIFORM);
                case FIXED_THRESHOLDS -> withAdaptive(false);
            };
        }

        /** This config with momentum λ. */
        public Config withMomentum(double lambda) {
            return toBuilder().momentum(lambda).build();
        }

        /** This config with initial values τ^T, τ^S, m^T [C], m^S [C]. */
        public Config withInit(double tauT, double tauS, double[] mT, double[] mS) {
            return toBuilder().init(tauT, tauS, mT, mS).build();
        }

        /** This config with uncertainty measure {@code u}. */
        public Config withUncertainty(Uncertainty u) {
            return toBuilder().uncertainty(u).build();
        }

        /** This config with weight form {@code w}. */
        public Config withWeightForm(WeightForm w) {
            return toBuilder().weightForm(w).build();
        }

        /** This config with class-wise thresholds on or off. */
        public Config withClassWise(boolean on) {
            return toBuilder().classWise(on).build();
        }

        /** This config with adaptive (EMA) thresholds on or off. */
        public Config withAdaptive(boolean on) {
            return toBuilder().adaptive(on).build();
        }

        /** This config with the two gates set. */
        public Config withGates(boolean teacher, boolean student) {
            return toBuilder().gates(teacher, student).build();
        }

        /** Initial τ^T. */
        public double tauT0() {
            return init.tauT0;
        }

        /** Initial τ^S. */
        public double tauS0() {
            return init.tauS0;
        }

        /** Initial m^T [C], a copy. */
        public double[] mT0() {
            return init.mT0();
        }

        /** Initial m^S [C], a copy. */
        public double[] mS0() {
            return init.mS0();
        }

        /** (R) student uncertainty measure. */
        public Uncertainty uncertainty() {
            return rule.uncertainty;
        }

        /** (R) raw weight. */
        public WeightForm weightForm() {
            return rule.weightForm;
        }

        /** Class-wise MaxNorm thresholds. */
        public boolean classWise() {
            return rule.classWise;
        }

        /** EMA updates on. */
        public boolean adaptive() {
            return rule.adaptive;
        }

        /** c_i ≥ τ^T_t(ŷ_i) applied. */
        public boolean teacherGate() {
            return rule.teacherGate;
        }

        /** u_i ≥ τ^S_t(ŷ_i) applied. */
        public boolean studentGate() {
            return rule.studentGate;
        }

        /**
         * Every setting that changes how the state evolves or is used (initial values excluded: after step 1 they live in
         * the state). A checkpoint restores only into a selector with the same key.
         */
        public String stateKey() {
            return "C=" + numClasses + ",momentum=" + momentum + ",uncertainty=" + rule.uncertainty + ",weight="
                    + rule.weightForm + ",classWise=" + rule.classWise + ",adaptive=" + rule.adaptive + ",teacherGate="
                    + rule.teacherGate + ",studentGate=" + rule.studentGate;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && stateKey().equals(c.stateKey()) && init.equals(c.init);
        }

        @Override
        public int hashCode() {
            return stateKey().hashCode() * 31 + init.hashCode();
        }

        @Override
        public String toString() {
            return "LlkdSelector.Config[" + stateKey() + "," + init + "]";
        }

        private static void requireClasses(int numClasses) {
            if (numClasses < 2) {
                throw new IllegalArgumentException("LlkdSelector.Config.numClasses = " + numClasses + ", expected ≥ 2");
            }
        }

        private static void requireUnit(String what, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("LlkdSelector.Config." + what + " = " + v + ", expected [0,1]");
            }
        }

        private static double[] requireClassVector(String what, double[] v, int c) {
            if (v == null || v.length != c) {
                throw new IllegalArgumentException("LlkdSelector.Config." + what + " has length "
                        + (v == null ? "null" : v.length) + ", expected numClasses = " + c);
            }
            for (int k = 0; k < c; k++) {
                if (!(v[k] > 0 && v[k] <= 1)) {
                    throw new IllegalArgumentException("LlkdSelector.Config." + what + "[" + k + "] = " + v[k]
                            + ", expected (0,1] (MaxNorm divides by the largest entry)");
                }
            }
            return v.clone();
        }

        /**
         * A mutable copy of a {@link Config}'s values (C fixed); {@link #build()} validates. Every {@code with…} of
         * {@link Config} is one builder call, so no method but {@code build} lists the components.
         */
        public static final class Builder {
            private final int numClasses;
            private double momentum;
            private double tauT0;
            private double tauS0;
            private double[] mT0;
            private double[] mS0;
            private Uncertainty uncertainty;
            private WeightForm weightForm;
            private boolean classWise;
            private boolean adaptive;
            private boolean teacherGate;
            private boolean studentGate;

            /** The spec's defaults for C = {@code numClasses}. */
            private Builder(int numClasses) {
                requireClasses(numClasses);
                this.numClasses = numClasses;
                momentum = DEFAULT_MOMENTUM;
                tauT0 = 1.0 / numClasses;
                tauS0 = 0.5;
                mT0 = new double[numClasses];
                mS0 = new double[numClasses];
                Arrays.fill(mT0, 1.0 / numClasses);
                Arrays.fill(mS0, 0.5);
                uncertainty = Uncertainty.ENTROPY;
                weightForm = WeightForm.CONF_TIMES_UNC;
                classWise = true;
                adaptive = true;
                teacherGate = true;
                studentGate = true;
            }

            private Builder(Config c) {
                numClasses = c.numClasses;
                momentum = c.momentum;
                tauT0 = c.init.tauT0;
                tauS0 = c.init.tauS0;
                mT0 = c.init.mT0;
                mS0 = c.init.mS0;
                uncertainty = c.rule.uncertainty;
                weightForm = c.rule.weightForm;
                classWise = c.rule.classWise;
                adaptive = c.rule.adaptive;
                teacherGate = c.rule.teacherGate;
                studentGate = c.rule.studentGate;
            }

            /** λ. */
            public Builder momentum(double lambda) {
                momentum = lambda;
                return this;
            }

            /** Initial τ^T, τ^S, m^T [C], m^S [C] (the arrays are copied by {@link #build()}). */
            public Builder init(double tauT, double tauS, double[] mT, double[] mS) {
                tauT0 = tauT;
                tauS0 = tauS;
                mT0 = mT;
                mS0 = mS;
                return this;
            }

            /** (R) u. */
            public Builder uncertainty(Uncertainty u) {
                uncertainty = u;
                return this;
            }

            /** (R) raw weight. */
            public Builder weightForm(WeightForm w) {
                weightForm = w;
                return this;
            }

            /** Class-wise MaxNorm thresholds on or off. */
            public Builder classWise(boolean on) {
                classWise = on;
                return this;
            }

            /** EMA updates on or off. */
            public Builder adaptive(boolean on) {
                adaptive = on;
                return this;
            }

            /** The teacher and student gates. */
            public Builder gates(boolean teacher, boolean student) {
                teacherGate = teacher;
                studentGate = student;
                return this;
            }

            /** The validated config. */
            public Config build() {
                return new Config(numClasses, momentum, new Init(tauT0, tauS0, mT0, mS0),
                        new Rule(uncertainty, weightForm, classWise, adaptive, teacherGate, studentGate));
            }
        }
    }
}
