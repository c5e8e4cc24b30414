package org.llkd.selection.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LossKind;
import org.llkd.selection.Selection;
import org.llkd.selection.StepBatch;
import org.llkd.selection.TestBatches;

/** The stateless baselines on hand-made batches; expected answers worked out in the comments. */
class SimpleBaselinesTest {

    // Four rows, C = 3. Confidences c = max row: .7 (ŷ=0), .6 (ŷ=1), .4 (ŷ=0), .8 (ŷ=2).
    static final double[][] P = {{0.7, 0.2, 0.1}, {0.3, 0.6, 0.1}, {0.4, 0.35, 0.25}, {0.1, 0.1, 0.8}};

    static StepBatch batch() {
        return TestBatches.of(P, TestBatches.zeros(4, 3));
    }

    @Test
    void allPseudoLabelsKeepsEveryRowWithWeightOne() {
        Selection s = new AllPseudoLabels().select(batch());
        assertArrayEquals(new double[] {1, 1, 1, 1}, s.mask().toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, s.weights().toDoubleVector(), 0.0);
        assertEquals(LossKind.HARD_WEIGHTED_CE, s.loss().kind());
        assertEquals(1.0, s.diagnostic(Diagnostics.RATIO), 0.0);
    }

    @Test
    void fixedThresholdKeepsConfidencesAtOrAboveIt() {
        // τ = .6: .7 ✓, .6 ✓ (≥, the boundary row), .4 ✗, .8 ✓.
        Selection s = new TeacherConfidenceThreshold(0.6).select(batch());
        assertArrayEquals(new int[] {0, 1, 3}, s.selectedIndices());
        assertArrayEquals(new double[] {1, 1, 0, 1}, s.weights().toDoubleVector(), 0.0);
        assertEquals(0.6, s.diagnostic(Diagnostics.TAU_T), 0.0);
        assertEquals(0.75, s.diagnostic(Diagnostics.RATIO), 0.0);
        // τ = .85: nothing → an empty, counted step.
        TeacherConfidenceThreshold high = new TeacherConfidenceThreshold(0.85);
        Selection e = high.select(batch());
        assertEquals(0, e.numSelected());
        assertEquals(1.0, e.diagnostic(Diagnostics.SKIPPED_TOTAL), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new TeacherConfidenceThreshold(1.5));
    }

    @Test
    void topKKeepsTheMostConfidentRows() {
        // f = .5, B = 4 → k = round(2.0) = 2: the two largest c are .8 (row 3) and .7 (row 0); effective τ = .7.
        Selection s = new TeacherConfidenceTopK(0.5).select(batch());
        assertArrayEquals(new int[] {0, 3}, s.selectedIndices());
        assertEquals(0.7, s.diagnostic(Diagnostics.TAU_T), 0.0);
        // f = .3 → k = round(1.2) = 1: row 3 only.
        assertArrayEquals(new int[] {3}, new TeacherConfidenceTopK(0.3).select(batch()).selectedIndices());
        // f = .7 → k = round(2.8) = 3: rows 3, 0, 1 (c .8, .7, .6).
        assertArrayEquals(new int[] {0, 1, 3}, new TeacherConfidenceTopK(0.7).select(batch()).selectedIndices());
        // Ties: c = .5, .6, .6, .5 with k = 1 → the lower index of the tied .6 rows, row 1.
        double[][] tied = {{0.5, 0.5}, {0.4, 0.6}, {0.6, 0.4}, {0.5, 0.5}};
        Selection t = new TeacherConfidenceTopK(0.25).select(TestBatches.of(tied, TestBatches.zeros(4, 2)));
        assertArrayEquals(new int[] {1}, t.selectedIndices());
        // f = .1 → k = round(.4) = 0: empty step, τ undefined.
        Selection z = new TeacherConfidenceTopK(0.1).select(batch());
        assertEquals(0, z.numSelected());
        assertTrue(Double.isNaN(z.diagnostic(Diagnostics.TAU_T)));
    }

    @Test
    void softLabelsKeepEveryRowUnderKlAtItsTemperature() {
        Selection s = new SoftLabelSelector(2.0).select(batch());
        assertEquals(4, s.numSelected());
        assertEquals(LossKind.SOFT_KL, s.loss().kind());
        assertEquals(2.0, s.loss().temperature(), 0.0);
        assertEquals(2.0, s.diagnostic(Diagnostics.TEMPERATURE), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new SoftLabelSelector(0.0));
    }

    @Test
    void goldLabelsNeedGoldAndUseGoldCe() {
        GoldLabels g = new GoldLabels();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.select(batch()));
        assertTrue(e.getMessage().contains("no gold labels"), e.getMessage());
        // Gold 0,1,1,2 vs pseudo-labels 0,1,0,2: the teacher is right on 3 of 4 rows.
        Selection s = g.select(batch().withGoldLabels(new int[] {0, 1, 1, 2}));
        assertEquals(4, s.numSelected());
        assertEquals(LossKind.GOLD_CE, s.loss().kind());
        assertEquals(0.75, s.diagnostic(Diagnostics.TEACHER_ACC_ALL), 0.0);
    }
}
