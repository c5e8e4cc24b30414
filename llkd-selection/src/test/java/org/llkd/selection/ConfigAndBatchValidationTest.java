package org.llkd.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.llkd.selection.LlkdSelector.Config;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Configs and batches fail early, quoting the bad value (conventions 5 and 6). */
class ConfigAndBatchValidationTest {

    static void failsQuoting(String quoted, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(quoted), "message lacks '" + quoted + "': " + ex.getMessage());
    }

    @Test
    void llkdConfigRejectsBadValues() {
        Config ok = Config.defaults(3);
        failsQuoting("momentum = 1.5", () -> ok.withMomentum(1.5));
        failsQuoting("momentum = NaN", () -> ok.withMomentum(Double.NaN));
        failsQuoting("numClasses = 1", () -> Config.defaults(1));
        failsQuoting("tauT0 = -0.1", () -> ok.withInit(-0.1, 0.5, ok.mT0(), ok.mS0()));
        failsQuoting("tauS0 = 1.2", () -> ok.withInit(0.3, 1.2, ok.mT0(), ok.mS0()));
        failsQuoting("mT0 has length 2", () -> ok.withInit(0.3, 0.5, new double[] {0.5, 0.5}, ok.mS0()));
        failsQuoting("mS0[1] = 0.0", () -> ok.withInit(0.3, 0.5, ok.mT0(), new double[] {0.5, 0.0, 0.5}));
        failsQuoting("teacherGate = studentGate = false", () -> ok.withGates(false, false));
        failsQuoting("momentumForSteps(4)", () -> Config.momentumForSteps(4));
    }

    @Test
    void configPrintsTheFlatTextCheckpointsAndRunLogsHold() {
        Config c = Config.defaults(3).withInit(0.25, 0.5, new double[] {0.25, 0.5, 1.0}, new double[] {0.5, 0.5, 0.5})
                .withAdaptive(false);
        String key = "C=3,momentum=0.999,uncertainty=ENTROPY,weight=CONF_TIMES_UNC,classWise=true,adaptive=false,"
                + "teacherGate=true,studentGate=true";
        assertEquals(key, c.stateKey());
        assertEquals("LlkdSelector.Config[" + key + ",tauT0=0.25,tauS0=0.5,mT0=[0.25, 0.5, 1.0],mS0=[0.5, 0.5, 0.5]]",
                c.toString());
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.hashCode(), c.toBuilder().build().hashCode());
    }

    @Test
    void specDefaultsAndMomentumAdvice() {
        Config c = Config.defaults(4);
        assertEquals(0.999, c.momentum());
        assertEquals(0.25, c.tauT0());
        assertEquals(0.5, c.tauS0());
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, c.mT0());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, c.mS0());
        // 375 steps (the reference run): λ = 1 − 5/375 = 0.98666...
        assertEquals(1 - 5.0 / 375, Config.momentumForSteps(375), 0.0);
        assertEquals(0.0, Config.momentumForSteps(5), 0.0);
    }

    @Test
    void initFromTeacher() {
        // 4 training rows, C = 3: ŷ = 0 (c .6), 0 (c .8), 1 (c .5), 0 (c .7); class 2 never predicted.
        // τ^T = (.6+.8+.5+.7)/4 = .65; m^T = [(.6+.8+.7)/3, .5, keeps 1/3] = [.7, .5, .3333].
        double[][] all = {{0.6, 0.3, 0.1}, {0.8, 0.1, 0.1}, {0.3, 0.5, 0.2}, {0.7, 0.2, 0.1}};
        Config c = Config.initFromTeacher(Nd4j.createFromArray(all), Config.defaults(3, 0.9));
        assertEquals(0.65, c.tauT0(), 1e-15);
        assertArrayEquals(new double[] {0.7, 0.5, 1.0 / 3}, c.mT0(), 1e-15);
        assertEquals(0.5, c.tauS0());
        assertEquals(0.9, c.momentum());
        // The selector starts from them: TT = .65·m/.7 = [.65, .464286, .309524].
        LlkdSelector s = new LlkdSelector(c);
        assertArrayEquals(new double[] {0.65, 0.65 * 0.5 / 0.7, 0.65 / 3 / 0.7}, s.teacherThresholds(), 1e-15);
        failsQuoting("expected [N>0, 3]", () -> Config.initFromTeacher(Nd4j.createFromArray(new double[][] {{0.5, 0.5}}),
                Config.defaults(3)));
    }

    @Test
    void stepBatchRejectsBadInput() {
        double[][] p = {{0.7, 0.3}, {0.4, 0.6}};
        double[][] z = {{0, 0}, {1, 0}};
        var P = Nd4j.createFromArray(p);
        var Z = Nd4j.createFromArray(z);
        failsQuoting("sums to 1.2", () -> StepBatch.of(new long[] {0, 1}, Nd4j.createFromArray(new double[][] {{0.7, 0.5},
                {0.4, 0.6}}), Z));
        failsQuoting("teacherProbs[0][0] = 1.1", () -> StepBatch.of(new long[] {0, 1},
                Nd4j.createFromArray(new double[][] {{1.1, -0.1}, {0.4, 0.6}}), Z));
        failsQuoting("argmax is 0", () -> new StepBatch(new long[] {0, 1}, P, new int[] {1, 1}, Z, null, null));
        failsQuoting("expected [2, 2]", () -> StepBatch.of(new long[] {0, 1}, P, Nd4j.createFromArray(new double[][] {{0, 0, 0},
                {0, 0, 0}})));
        failsQuoting("studentLogits[1][0] = NaN", () -> StepBatch.of(new long[] {0, 1}, P,
                Nd4j.createFromArray(new double[][] {{0, 0}, {Double.NaN, 0}})));
        failsQuoting("dtype INT", () -> StepBatch.of(new long[] {0, 1}, P, Z.castTo(DataType.INT)));
        failsQuoting("goldLabels[1] = 2", () -> StepBatch.of(new long[] {0, 1}, P, Z).withGoldLabels(new int[] {0, 2}));
        failsQuoting("studentLoss[0] = -1.0", () -> StepBatch.of(new long[] {0, 1}, P, Z)
                .withStudentLoss(Nd4j.createFromArray(-1.0, 0.0)));
        failsQuoting("empty batch", () -> StepBatch.of(new long[0], Nd4j.create(DataType.DOUBLE, 0, 2),
                Nd4j.create(DataType.DOUBLE, 0, 2)));
        // Ties take the first index, like numpy.
        assertArrayEquals(new int[] {0}, StepBatch.of(new long[] {7}, Nd4j.createFromArray(new double[][] {{0.5, 0.5}}),
                Nd4j.createFromArray(new double[][] {{0, 0}})).pseudoLabels());
        // A wrong number of classes reaches the selector as a clear error.
        failsQuoting("selector configured for 3", () -> new LlkdSelector(Config.defaults(3)).select(
                StepBatch.of(new long[] {0, 1}, P, Z)));
    }

    @Test
    void lossSpecAndSelectionInvariants() {
        failsQuoting("temperature = 0.0", () -> LossSpec.softKl(0.0));
        failsQuoting("only meaningful for SOFT_KL", () -> new LossSpec(LossKind.GOLD_CE, 2.0));
        var m = Nd4j.createFromArray(1.0, 0.0);
        failsQuoting("weights[1] = 0.5 on an unselected row", () -> new Selection(m, Nd4j.createFromArray(1.0, 0.5),
                java.util.Map.of(), LossSpec.HARD_CE));
        failsQuoting("mean 2.0", () -> new Selection(m, Nd4j.createFromArray(2.0, 0.0), java.util.Map.of(), LossSpec.HARD_CE));
        failsQuoting("mask[0] = 0.5", () -> new Selection(Nd4j.createFromArray(0.5, 0.0), Nd4j.createFromArray(0.0, 0.0),
                java.util.Map.of(), LossSpec.HARD_CE));
        Selection s = new Selection(m, Nd4j.createFromArray(1.0, 0.0), java.util.Map.of("ratio", 0.5), LossSpec.HARD_CE);
        failsQuoting("no diagnostic 'tauT'", () -> s.diagnostic("tauT"));
    }
}
