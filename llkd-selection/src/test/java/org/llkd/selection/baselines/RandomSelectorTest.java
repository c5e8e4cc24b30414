package org.llkd.selection.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.llkd.selection.Selection;
import org.llkd.selection.StepBatch;
import org.llkd.selection.TestBatches;

class RandomSelectorTest {

    static StepBatch batch(int b) {
        double[][] p = new double[b][];
        for (int i = 0; i < b; i++) {
            p[i] = new double[] {0.6, 0.4};
        }
        return TestBatches.of(p, TestBatches.zeros(b, 2));
    }

    @Test
    void integerTargetsGiveExactCounts() {
        // r = .5, B = 4 → rB = 2.0, no fractional part → exactly 2 rows every step; r = .3, B = 10 → exactly 3.
        RandomSelector half = new RandomSelector(0.5, 42);
        RandomSelector third = new RandomSelector(0.3, 42);
        for (int s = 0; s < 50; s++) {
            Selection a = half.select(batch(4));
            assertEquals(2, a.numSelected());
            assertArrayEquals(a.mask().toDoubleVector(), a.weights().toDoubleVector(), 0.0, "weight 1 on selected rows");
            assertEquals(3, third.select(batch(10)).numSelected());
        }
        assertEquals(0, new RandomSelector(0.0, 1).select(batch(4)).numSelected());
        assertEquals(4, new RandomSelector(1.0, 1).select(batch(4)).numSelected());
        assertThrows(IllegalArgumentException.class, () -> new RandomSelector(1.01, 1));
    }

    @Test
    void meanRatioAndPerRowRateMatchTheTarget() {
        // r = .3, B = 4 → rB = 1.2: k = 1, or 2 with probability .2; E[k]/B = 1.2/4 = .3.
        // Over 3000 steps: sd of the mean ratio = sqrt(.2·.8)/4/sqrt(3000) ≈ .0018 → ±.01 is > 5 sd.
        // Each row is chosen with probability .3: sd = sqrt(.21/3000) ≈ .0084 → ±.04 is > 4.5 sd.
        RandomSelector s = new RandomSelector(0.3, 7);
        int steps = 3000;
        double sumRatio = 0;
        int[] perRow = new int[4];
        StepBatch b = batch(4);
        for (int t = 0; t < steps; t++) {
            Selection sel = s.select(b);
            sumRatio += sel.numSelected() / 4.0;
            for (int i : sel.selectedIndices()) {
                perRow[i]++;
            }
        }
        assertEquals(0.3, sumRatio / steps, 0.01);
        for (int i = 0; i < 4; i++) {
            assertEquals(0.3, perRow[i] / (double) steps, 0.04, "row " + i);
        }
    }

    @Test
    void sameSeedSameStreamOtherSeedOtherStream() {
        RandomSelector a = new RandomSelector(0.5, 123);
        RandomSelector b = new RandomSelector(0.5, 123);
        RandomSelector c = new RandomSelector(0.5, 124);
        boolean differs = false;
        for (int t = 0; t < 20; t++) {
            double[] ma = a.select(batch(8)).mask().toDoubleVector();
            assertArrayEquals(ma, b.select(batch(8)).mask().toDoubleVector(), 0.0);
            differs |= !Arrays.equals(ma, c.select(batch(8)).mask().toDoubleVector());
        }
        assertEquals(true, differs);
        // Different steps draw different subsets (the stream advances).
        RandomSelector d = new RandomSelector(0.5, 123);
        assertFalse(Arrays.equals(d.select(batch(16)).mask().toDoubleVector(), d.select(batch(16)).mask().toDoubleVector()));
    }
}
