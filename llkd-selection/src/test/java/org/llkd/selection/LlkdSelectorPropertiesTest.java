package org.llkd.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llkd.selection.LlkdSelector.Config;
import org.llkd.selection.LlkdSelector.Uncertainty;
import org.llkd.selection.LlkdSelector.WeightForm;
import org.nd4j.linalg.factory.Nd4j;

/** Properties of the LLKD selector over random batches and many steps. */
class LlkdSelectorPropertiesTest {

    static final int C = 5;

    static List<Config> variants() {
        List<Config> v = new ArrayList<>();
        for (double lam : new double[] {0.0, 0.5, 0.95}) {
            for (Uncertainty u : Uncertainty.values()) {
                v.add(Config.defaults(C, lam).withUncertainty(u));
            }
            for (LlkdSelector.Ablation a : LlkdSelector.Ablation.values()) {
                v.add(Config.ablation(a, C, lam));
            }
        }
        return v;
    }

    static boolean inUnit(double x) {
        return x >= 0 && x <= 1;
    }

    @Test
    void thresholdsStayInUnitInterval() {
        SplittableRandom rng = new SplittableRandom(11);
        for (Config cfg : variants()) {
            LlkdSelector s = new LlkdSelector(cfg);
            for (int step = 0; step < 40; step++) {
                int b = 1 + rng.nextInt(12); // small batches leave classes absent
                Selection out = s.select(TestBatches.random(rng, b, C, step * 100L));
                String at = cfg + " step " + step;
                assertTrue(inUnit(s.tauT()) && inUnit(s.tauS()), at + ": tauT=" + s.tauT() + " tauS=" + s.tauS());
                for (int k = 0; k < C; k++) {
                    assertTrue(inUnit(s.mT()[k]) && inUnit(s.mS()[k]), at + " m[" + k + "]");
                    assertTrue(inUnit(s.teacherThresholds()[k]), at + " TT[" + k + "]=" + s.teacherThresholds()[k]);
                    assertTrue(inUnit(s.studentThresholds()[k]), at + " TS[" + k + "]=" + s.studentThresholds()[k]);
                    assertTrue(s.teacherThresholds()[k] <= s.tauT() + 1e-15, at + ": MaxNorm keeps TT ≤ tauT");
                    assertEquals(s.teacherThresholds()[k], out.diagnostic(Diagnostics.tauTClass(k)), 0.0);
                }
            }
        }
    }

    @Test
    void selectedWeightsHaveMeanOneAndUnselectedAreZero() {
        SplittableRandom rng = new SplittableRandom(12);
        int nonTrivial = 0;
        for (WeightForm w : WeightForm.values()) {
            LlkdSelector s = new LlkdSelector(Config.defaults(C, 0.9).withWeightForm(w));
            for (int step = 0; step < 40; step++) {
                Selection out = s.select(TestBatches.random(rng, 16, C, 0));
                double[] m = out.mask().toDoubleVector();
                double[] wt = out.weights().toDoubleVector();
                double sum = 0;
                int n = 0;
                for (int i = 0; i < m.length; i++) {
                    if (m[i] == 1) {
                        sum += wt[i];
                        n++;
                        assertTrue(wt[i] > 0, w + ": selected weight " + wt[i]);
                    } else {
                        assertEquals(0.0, wt[i], 0.0, w + ": unselected weight");
                    }
                }
                if (n > 0) {
                    assertEquals(1.0, sum / n, 1e-12, w + " step " + step);
                    assertEquals(1.0, out.diagnostic(Diagnostics.WEIGHT_MEAN), 1e-12);
                    if (w != WeightForm.UNIFORM && out.diagnostic(Diagnostics.WEIGHT_MAX) > out.diagnostic(Diagnostics.WEIGHT_MIN)) {
                        nonTrivial++;
                    }
                }
            }
        }
        assertTrue(nonTrivial > 80, "weights vary within a batch in most steps: " + nonTrivial);
    }

    /**
     * Raising a selected row's teacher confidence (p_j ← p_j + t(e_ŷ − p_j), t ∈ (0,1], which keeps ŷ_j and raises c_j
     * by Δ = t(1 − c_j)) never deselects it, <em>when both batches are evaluated from the same selector state</em> and
     * (1 − λ)(1/B + C) ≤ 1.
     *
     * <p>Why the condition: the EMA sees the batch, so raising c_j also raises τ^T by (1−λ)Δ/B and m^T[ŷ_j] by
     * (1−λ)Δ/n_ŷ (n_ŷ = rows of class ŷ_j in B); the other m^T are unchanged. With r = min(1, m^T[ŷ]/M), M = max of the
     * other classes' m^T, τ^T_t(ŷ) = τ^T·r, so its increase is at most (τ'−τ) + τ'(r'−r) ≤ (1−λ)Δ/B + (1−λ)Δ/(n_ŷ M).
     * From the spec's initial values every m^T stays ≥ 1/C (it averages confidences ≥ 1/C) and τ^T ≤ 1, so the increase
     * is ≤ (1−λ)(1/B + C)·Δ ≤ Δ: c_j rises at least as much as its threshold. The student gate does not move (u, ŷ and
     * hence τ^S, m^S are unchanged). Below that momentum the property can fail: see
     * {@link #monotonicityCanFailWhenTheMomentumIsSmall()}.
     */
    @Test
    void raisingTeacherConfidenceNeverDeselects() {
        SplittableRandom rng = new SplittableRandom(13);
        int b = 16;
        int checked = 0;
        int thresholdMoved = 0;
        int tight = 0;
        for (double lam : new double[] {0.81, 0.95}) {
            assertTrue((1 - lam) * (1.0 / b + C) <= 1, "test precondition");
            for (Config cfg : new Config[] {Config.defaults(C, lam),
                    Config.ablation(LlkdSelector.Ablation.NO_STUDENT_UNC, C, lam)}) {
                LlkdSelector s = new LlkdSelector(cfg);
                for (int step = 0; step < 25; step++) {
                    StepBatch base = sharpBatch(rng, b, step);
                    SelectorState before = s.snapshot();
                    Selection out = s.select(base); // s advances along the unperturbed stream
                    double ttBase = s.teacherThresholds()[0];
                    double[] tt = s.teacherThresholds();
                    double[] conf = base.teacherConfidence();
                    int[] y = base.pseudoLabels();
                    // The (up to) 3 selected rows closest to their teacher threshold: the ones that could flip.
                    int[] sel = java.util.Arrays.stream(out.selectedIndices()).boxed()
                            .sorted(java.util.Comparator.comparingDouble(i -> conf[i] - tt[y[i]]))
                            .limit(3).mapToInt(Integer::intValue).toArray();
                    for (int j : sel) {
                        double t = 0.02 + 0.98 * rng.nextDouble();
                        LlkdSelector other = new LlkdSelector(cfg);
                        other.restore(before);
                        StepBatch raised = raise(base, j, t);
                        assertArrayEquals(base.pseudoLabels(), raised.pseudoLabels());
                        Selection o2 = other.select(raised);
                        assertEquals(1.0, o2.mask().getDouble(j), 0.0,
                                cfg + " step " + step + ": row " + j + " deselected after raising its confidence (t=" + t + ")");
                        checked++;
                        if (other.teacherThresholds()[0] != ttBase) {
                            thresholdMoved++;
                        }
                        double c = base.teacherConfidence()[j];
                        if (c - s.teacherThresholds()[base.pseudoLabels()[j]] < 0.05) {
                            tight++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 250, "checked " + checked);
        assertTrue(thresholdMoved > checked / 2, "the perturbation moves the thresholds (else the test is vacuous)");
        assertTrue(tight > 30, "some selected rows sit close to their teacher threshold: " + tight);
    }

    /**
     * The counterexample behind the precondition above (C = 3, B = 2, λ = 0.2; the student is uniform, z = 0, so u = 1
     * and the student gate always passes). State: τ^T = 0.7, m^T = [1/3, 0.85, 0.52]. Row 0: p = [.05,.05,.9] (ŷ=2),
     * row 1: p = [.15,.7,.15] (ŷ=1, c=0.7).
     * <pre>
     *   τ'   = 0.2·0.7 + 0.8·(0.9+0.7)/2 = 0.78;  m1' = 0.2·0.85 + 0.8·0.7 = 0.73;  m2' = 0.2·0.52 + 0.8·0.9 = 0.824
     *   TT(1) = 0.78 · 0.73/0.824 = 0.69102 ≤ 0.7  → row 1 selected
     * raise row 1 to [.1,.8,.1] (t = 1/3, c = 0.8):
     *   τ'   = 0.14 + 0.8·0.85 = 0.82;  m1' = 0.17 + 0.64 = 0.81;  m2' = 0.824
     *   TT(1) = 0.82 · 0.81/0.824 = 0.80607 > 0.8  → row 1 deselected
     * </pre>
     * With λ = 0.75 ((1−λ)(1/2+3) = 0.875 ≤ 1) the raised row stays: TT(1) = 0.7375 ≤ 0.8.
     */
    @Test
    void monotonicityCanFailWhenTheMomentumIsSmall() {
        double[][] base = {{0.05, 0.05, 0.9}, {0.15, 0.7, 0.15}};
        double[][] raised = {{0.05, 0.05, 0.9}, {0.1, 0.8, 0.1}};
        double[] mT = {1.0 / 3, 0.85, 0.52};
        double[] mS = {0.5, 0.5, 0.5};
        Config small = Config.defaults(3, 0.2).withInit(0.7, 0.5, mT, mS);
        LlkdSelector a = new LlkdSelector(small);
        Selection sa = a.select(TestBatches.of(base, TestBatches.zeros(2, 3)));
        assertEquals(0.69102, a.teacherThresholds()[1], 1e-5);
        assertEquals(1.0, sa.mask().getDouble(1), 0.0, "selected before raising");
        LlkdSelector b = new LlkdSelector(small);
        Selection sb = b.select(TestBatches.of(raised, TestBatches.zeros(2, 3)));
        assertEquals(0.80607, b.teacherThresholds()[1], 1e-5);
        assertEquals(0.0, sb.mask().getDouble(1), 0.0, "deselected after raising, at λ = 0.2");

        LlkdSelector c = new LlkdSelector(small.withMomentum(0.75));
        Selection sc = c.select(TestBatches.of(raised, TestBatches.zeros(2, 3)));
        assertEquals(0.7375, c.teacherThresholds()[1], 1e-12);
        assertEquals(1.0, sc.mask().getDouble(1), 0.0, "kept at λ = 0.75");
    }

    /** Teacher rows sharp enough that the teacher gate binds for some rows once τ^T has adapted. */
    static StepBatch sharpBatch(SplittableRandom rng, int b, int step) {
        double[][] p = TestBatches.randomProbs(rng, b, C);
        double[][] z = TestBatches.randomLogits(rng, b, C);
        long[] ids = new long[b];
        for (int i = 0; i < b; i++) {
            ids[i] = (long) step * b + i;
        }
        return StepBatch.of(ids, Nd4j.createFromArray(p), Nd4j.createFromArray(z));
    }

    /** Row j's teacher probabilities moved a fraction t towards the one-hot of its pseudo-label. */
    static StepBatch raise(StepBatch b, int j, double t) {
        double[][] p = b.teacherMatrix();
        int y = b.pseudoLabels()[j];
        for (int k = 0; k < p[j].length; k++) {
            p[j][k] = p[j][k] + t * ((k == y ? 1.0 : 0.0) - p[j][k]);
        }
        return StepBatch.of(b.ids(), Nd4j.createFromArray(p), b.studentLogits());
    }

    @Test
    void nothingSelectedGivesZeroMaskAndWeightsAndIsCounted() {
        // Fixed thresholds at τ^T = 1 with equal m^T: every class threshold is 1, and no row of these batches has c = 1.
        double[] m = {0.5, 0.5, 0.5};
        LlkdSelector s = new LlkdSelector(Config.defaults(3, 0.9).withInit(1.0, 0.5, m, m).withAdaptive(false));
        double[][] p = {{0.6, 0.3, 0.1}, {0.2, 0.7, 0.1}};
        for (int step = 1; step <= 2; step++) {
            Selection out = s.select(TestBatches.of(p, TestBatches.zeros(2, 3)));
            assertTrue(out.isEmpty());
            assertArrayEquals(new double[] {0, 0}, out.mask().toDoubleVector(), 0.0);
            assertArrayEquals(new double[] {0, 0}, out.weights().toDoubleVector(), 0.0);
            assertEquals(1.0, out.diagnostic(Diagnostics.SKIPPED), 0.0);
            assertEquals(step, out.diagnostic(Diagnostics.SKIPPED_TOTAL), 0.0);
            assertEquals(0.0, out.diagnostic(Diagnostics.RATIO), 0.0);
            assertTrue(Double.isNaN(out.diagnostic(Diagnostics.WEIGHT_MEAN)), "undefined, not 0");
            assertEquals(step, s.skippedSteps());
        }
        // A batch with a certain row is selected again; the counter keeps its value.
        Selection out = s.select(TestBatches.of(new double[][] {{0, 1, 0}, {0.6, 0.3, 0.1}}, TestBatches.zeros(2, 3)));
        assertArrayEquals(new int[] {0}, out.selectedIndices());
        assertEquals(0.0, out.diagnostic(Diagnostics.SKIPPED), 0.0);
        assertEquals(2.0, out.diagnostic(Diagnostics.SKIPPED_TOTAL), 0.0);
        assertEquals(2, s.skippedSteps());
        assertEquals(3, s.stepsDone());
        assertEquals(2L, s.snapshot().counter("skipped"));
    }

    @Test
    void teacherAccuracyOfSelectedRowsIsLogged() {
        // Fixed thresholds: τ^T = 0.65 for every class (equal m^T), student gate at τ^S = 0.5 (u = 1 for z = 0 passes).
        double[] m = {0.5, 0.5, 0.5};
        LlkdSelector s = new LlkdSelector(Config.defaults(3, 0.9).withInit(0.65, 0.5, m, m).withAdaptive(false));
        double[][] p = {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.5, 0.3, 0.2}, {0.1, 0.2, 0.7}};
        // pseudo-labels 0,1,0,2; c = .7,.8,.5,.7 → selected rows 0,1,3 (c ≥ .65). Gold 0,2,0,2:
        // right on rows 0,2,3 → teacher accuracy all = 3/4, on selected {0,1,3} = 2/3.
        StepBatch b = TestBatches.of(p, TestBatches.zeros(4, 3)).withGoldLabels(new int[] {0, 2, 0, 2});
        Selection out = s.select(b);
        assertArrayEquals(new int[] {0, 1, 3}, out.selectedIndices());
        assertEquals(0.75, out.diagnostic(Diagnostics.TEACHER_ACC_ALL), 1e-15);
        assertEquals(2.0 / 3, out.diagnostic(Diagnostics.TEACHER_ACC_SELECTED), 1e-15);
        // weights ∝ c·u = c (u = 1): .7,.8,.7 / mean .7333 → .954545, 1.090909, .954545
        assertArrayEquals(new double[] {0.7 / (2.2 / 3), 0.8 / (2.2 / 3), 0, 0.7 / (2.2 / 3)},
                out.weights().toDoubleVector(), 1e-12);
        assertFalse(s.select(TestBatches.of(p, TestBatches.zeros(4, 3))).diagnostics()
                .containsKey(Diagnostics.TEACHER_ACC_SELECTED), "no gold, no accuracy");
    }
}
