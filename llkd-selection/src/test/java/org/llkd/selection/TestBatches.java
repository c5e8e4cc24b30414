package org.llkd.selection;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-made and random batches for the selector tests (DOUBLE unless stated). */
public final class TestBatches {

    private TestBatches() {
    }

    /** Batch with ids 0..B−1, pseudo-labels = teacher argmax. */
    public static StepBatch of(double[][] teacherProbs, double[][] logits) {
        return of(teacherProbs, logits, DataType.DOUBLE);
    }

    public static StepBatch of(double[][] teacherProbs, double[][] logits, DataType dtype) {
        long[] ids = new long[teacherProbs.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return StepBatch.of(ids, Nd4j.createFromArray(teacherProbs).castTo(dtype), Nd4j.createFromArray(logits).castTo(dtype));
    }

    /** B×C zero logits (a uniform student: u = 1 under every uncertainty measure). */
    public static double[][] zeros(int b, int c) {
        return new double[b][c];
    }

    /** Random teacher rows: softmax of N(0,1)·s with s ∈ [0.2, 5) per row, so confidences span 1/C..1. */
    public static double[][] randomProbs(SplittableRandom rng, int b, int c) {
        double[][] p = new double[b][];
        for (int i = 0; i < b; i++) {
            double s = 0.2 + 4.8 * rng.nextDouble();
            double[] z = new double[c];
            for (int k = 0; k < c; k++) {
                z[k] = s * gaussian(rng);
            }
            p[i] = StudentSignals.softmax(z);
        }
        return p;
    }

    /** Random logits N(0,1)·s with s ∈ [0, 6) per batch. */
    public static double[][] randomLogits(SplittableRandom rng, int b, int c) {
        double s = 6 * rng.nextDouble();
        double[][] z = new double[b][c];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < c; k++) {
                z[i][k] = s * gaussian(rng);
            }
        }
        return z;
    }

    /** A random batch, with gold labels (the teacher's label 70% of the time) and a per-row CE as student loss. */
    public static StepBatch random(SplittableRandom rng, int b, int c, long firstId) {
        double[][] p = randomProbs(rng, b, c);
        double[][] z = randomLogits(rng, b, c);
        long[] ids = new long[b];
        int[] gold = new int[b];
        double[] loss = new double[b];
        for (int i = 0; i < b; i++) {
            ids[i] = firstId + i;
            int y = org.llkd.models.label.PseudoLabel.argmax(p[i]);
            gold[i] = rng.nextDouble() < 0.7 ? y : rng.nextInt(c);
            loss[i] = StudentSignals.crossEntropy(z[i], y);
        }
        return StepBatch.of(ids, Nd4j.createFromArray(p), Nd4j.createFromArray(z)).withGoldLabels(gold)
                .withStudentLoss(Nd4j.createFromArray(loss));
    }

    static double gaussian(SplittableRandom rng) {
        // Box–Muller, one draw.
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
