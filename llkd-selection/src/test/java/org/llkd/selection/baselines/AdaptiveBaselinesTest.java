package org.llkd.selection.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.Selection;
import org.llkd.selection.StepBatch;
import org.llkd.selection.TestBatches;
import org.llkd.selection.baselines.FreeMatchSelector.ClassIndex;
import org.nd4j.linalg.factory.Nd4j;

/** FreeMatch, student-uncertainty-only and small-loss on hand-made batches (C = 2 or 3, arithmetic in comments). */
class AdaptiveBaselinesTest {

    static final double LN = Math.log(0.55 / 0.45);

    /**
     * Teacher ŷ = 0, 0, 1. Student softmax q: row 0 z=[0,0] → (.5,.5), argmax 0 (first on ties), conf .5;
     * row 1 z=[0, ln(.55/.45)] → (.45,.55), argmax 1, conf .55; row 2 z=[ln 19, 0] → (.95,.05), argmax 0, conf .95.
     */
    static StepBatch freeMatchBatch() {
        double[][] p = {{0.9, 0.1}, {0.7, 0.3}, {0.2, 0.8}};
        double[][] z = {{0, 0}, {0, LN}, {Math.log(19), 0}};
        return TestBatches.of(p, z);
    }

    @Test
    void freeMatchFollowsUsb() {
        FreeMatchSelector s = new FreeMatchSelector(FreeMatchSelector.Config.usb(2, 0.5));
        // Step 1 (init τ = 1/C = .5, p̃ = [.5,.5]):
        //   τ  = .5·.5 + .5·mean(.5,.55,.95) = .25 + .5·.666667 = .583333
        //   p̃ = .5·[.5,.5] + .5·mean(q) = [.25,.25] + .5·[1.9/3, 1.1/3] = [.566667, .433333]
        //   thresholds = τ·p̃/max p̃ = [.583333, .583333·.433333/.566667 = .446078]
        //   row 0: .5 < .583 ✗; row 1 (class 1 by the student's argmax): .55 ≥ .446 ✓; row 2: .95 ≥ .583 ✓
        Selection a = s.select(freeMatchBatch());
        assertEquals(0.25 + 0.5 * (2.0 / 3), s.tau(), 1e-12);
        assertArrayEquals(new double[] {0.25 + 0.5 * 1.9 / 3, 0.25 + 0.5 * 1.1 / 3}, s.pModel(), 1e-12);
        assertEquals((0.25 + 1.0 / 3) * (0.25 + 1.1 / 6) / (0.25 + 1.9 / 6),
                a.diagnostic(Diagnostics.tauStudentConfClass(1)), 1e-12);
        assertArrayEquals(new int[] {1, 2}, a.selectedIndices());
        assertArrayEquals(new double[] {0, 1, 1}, a.weights().toDoubleVector(), 0.0);
        // Step 2, same batch: τ = .5·.583333 + .5·.666667 = .625; p̃ = .5·[.566667,.433333] + .5·[.633333,.366667] = [.6,.4];
        //   thr(1) = .625·.4/.6 = .416667 → the same rows.
        Selection b = s.select(freeMatchBatch());
        assertEquals(0.625, s.tau(), 1e-12);
        assertArrayEquals(new double[] {0.6, 0.4}, s.pModel(), 1e-12);
        assertEquals(0.625 * 0.4 / 0.6, b.diagnostic(Diagnostics.tauStudentConfClass(1)), 1e-12);
        assertArrayEquals(new int[] {1, 2}, b.selectedIndices());
    }

    @Test
    void freeMatchVariants() {
        // Indexed by the teacher label, row 1 (ŷ = 0) faces thr(0) = .583333 > .55 → dropped.
        FreeMatchSelector t = new FreeMatchSelector(new FreeMatchSelector.Config(2, 0.5, false, false, ClassIndex.TEACHER_LABEL));
        assertArrayEquals(new int[] {2}, t.select(freeMatchBatch()).selectedIndices());
        // Quantile: sorted conf (.5,.55,.95), torch.quantile(.8) at position .8·2 = 1.6 → .55 + .6·(.95−.55) = .79;
        //   τ = .25 + .5·.79 = .645.
        FreeMatchSelector q = new FreeMatchSelector(new FreeMatchSelector.Config(2, 0.5, true, false, ClassIndex.STUDENT_ARGMAX));
        q.select(freeMatchBatch());
        assertEquals(0.645, q.tau(), 1e-12);
        // Clip: λ = 0 and every row at conf .99 (z = [ln 99, 0]) → τ = .99, clipped to .95.
        FreeMatchSelector c = new FreeMatchSelector(new FreeMatchSelector.Config(2, 0.0, false, true, ClassIndex.STUDENT_ARGMAX));
        c.select(TestBatches.of(new double[][] {{0.9, 0.1}}, new double[][] {{Math.log(99), 0}}));
        assertEquals(0.95, c.tau(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new FreeMatchSelector.Config(2, 1.5, false, false, ClassIndex.STUDENT_ARGMAX));
    }

    @Test
    void studentUncertaintyOnlyIsTheAdaptiveStudentGate() {
        // C = 2, λ = .5, spec init τ^S = .5, m^S = [.5,.5]. Teacher ŷ = 0, 1, 0 with c = .55, .8, .6 (no teacher gate).
        // u = H/ln2: z=[0,0] → 1; z=[ln4,0] (p .8/.2) → .721928; z=[ln19,0] (p .95/.05) → .286397.
        //   τ^S = .25 + .5·mean(1, .721928, .286397) = .584721
        //   m^S[0] = .25 + .5·(1 + .286397)/2 = .571599;  m^S[1] = .25 + .5·.721928 = .610964
        //   TS = [.584721·.571599/.610964 = .547047, .584721]
        //   row 0: 1 ≥ .547 ✓; row 1: .7219 ≥ .5847 ✓; row 2: .2864 < .547 ✗. Weights uniform.
        double[][] p = {{0.55, 0.45}, {0.2, 0.8}, {0.6, 0.4}};
        double[][] z = {{0, 0}, {Math.log(4), 0}, {Math.log(19), 0}};
        StudentUncertaintyOnly s = new StudentUncertaintyOnly(2, 0.5);
        Selection out = s.select(TestBatches.of(p, z));
        assertEquals(0.584720842000553, s.delegate().tauS(), 1e-12);
        assertArrayEquals(new double[] {0.5470469005115969, 0.584720842000553}, s.delegate().studentThresholds(), 1e-12);
        assertArrayEquals(new int[] {0, 1}, out.selectedIndices());
        assertArrayEquals(new double[] {1, 1, 0}, out.weights().toDoubleVector(), 0.0);
        assertEquals("uncertainty", s.snapshot().selector());
        assertThrows(IllegalArgumentException.class, () -> new StudentUncertaintyOnly(
                org.llkd.selection.LlkdSelector.Config.defaults(2)));
    }

    @Test
    void smallLossKeepsTheSmallestLossesOnASchedule() {
        // Given losses .3, 2.0, .1, .3 (rows 0..3); ascending: row 2 (.1), row 0 (.3), row 3 (.3, tie → later), row 1.
        StepBatch b = TestBatches.of(new double[][] {{0.6, 0.4}, {0.6, 0.4}, {0.6, 0.4}, {0.6, 0.4}}, TestBatches.zeros(4, 2))
                .withStudentLoss(Nd4j.createFromArray(0.3, 2.0, 0.1, 0.3));
        // Constant r = .5: k = round(.5·4) = 2 → rows 0, 2.
        Selection fixed = new SmallLossSelector(new SmallLossSelector.Config(0.5, 0)).select(b);
        assertArrayEquals(new int[] {0, 2}, fixed.selectedIndices());
        assertEquals(1.0, fixed.diagnostic("loss_from_batch"), 0.0);
        assertEquals(0.3, fixed.diagnostic("loss_threshold"), 0.0);
        // Co-teaching ramp r = .5 over T_k = 2 steps: R(0) = 1 → 4 rows; R(1) = 1 − .5·.5 = .75 → 3 rows {2,0,3};
        // R(2) = R(3) = .5 → 2 rows {2,0}.
        SmallLossSelector ramp = new SmallLossSelector(new SmallLossSelector.Config(0.5, 2));
        assertArrayEquals(new int[] {0, 1, 2, 3}, ramp.select(b).selectedIndices());
        Selection s1 = ramp.select(b);
        assertArrayEquals(new int[] {0, 2, 3}, s1.selectedIndices());
        assertEquals(0.75, s1.diagnostic(Diagnostics.TARGET_RATIO), 0.0);
        assertArrayEquals(new int[] {0, 2}, ramp.select(b).selectedIndices());
        assertArrayEquals(new int[] {0, 2}, ramp.select(b).selectedIndices());
    }

    @Test
    void smallLossComputesCeFromLogitsWhenNoLossIsGiven() {
        // ŷ = 0 for all rows. CE = log(1 + e^{z1 − z0}): z=[2,0] → .126928; z=[0,0] → .693147; z=[0,3] → 3.048587.
        // r = 1/3 → k = round(1) = 1 → row 0; r = .67 → k = round(2.01) = 2 → rows 0, 1.
        StepBatch b = TestBatches.of(new double[][] {{0.9, 0.1}, {0.9, 0.1}, {0.9, 0.1}},
                new double[][] {{2, 0}, {0, 0}, {0, 3}});
        Selection one = new SmallLossSelector(new SmallLossSelector.Config(1.0 / 3, 0)).select(b);
        assertArrayEquals(new int[] {0}, one.selectedIndices());
        assertEquals(Math.log(1 + Math.exp(-2)), one.diagnostic("loss_threshold"), 1e-15);
        assertEquals(0.0, one.diagnostic("loss_from_batch"), 0.0);
        assertArrayEquals(new int[] {0, 1}, new SmallLossSelector(new SmallLossSelector.Config(0.67, 0)).select(b).selectedIndices());
        assertThrows(IllegalArgumentException.class, () -> new SmallLossSelector.Config(0.5, -1));
    }
}
