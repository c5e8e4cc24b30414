package org.llkd.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llkd.selection.LlkdSelector.Ablation;
import org.llkd.selection.LlkdSelector.Config;
import org.llkd.selection.LlkdSelector.WeightForm;
import org.llkd.selection.baselines.FreeMatchSelector;
import org.llkd.selection.baselines.RandomSelector;
import org.llkd.selection.baselines.SmallLossSelector;
import org.llkd.selection.baselines.SoftLabelSelector;
import org.llkd.selection.baselines.StudentUncertaintyOnly;
import org.llkd.selection.baselines.TeacherConfidenceThreshold;
import org.llkd.selection.baselines.TeacherConfidenceTopK;

class SelectorsTest {

    @Test
    void everyNameBuildsASelectorOfThatName() {
        // the built-ins (this module's test class path adds the example provider's "margin" after them)
        List<String> names = new org.llkd.selection.baselines.BuiltInSelectors().names();
        assertEquals(names, Selectors.names().subList(0, names.size()));
        assertEquals(List.of("llkd", "llkd-no-teacher", "llkd-no-student", "llkd-no-classwise", "llkd-no-weighting",
                "llkd-fixed", "all", "random", "topk", "threshold", "uncertainty", "freematch", "smallloss", "soft", "gold"),
                names);
        assertEquals(Selectors.NAMES_DOC, String.join(", ", names), "Javadoc list in sync");
        Selectors.Params p = Selectors.Params.defaults(3);
        for (String n : names) {
            assertEquals(n, Selectors.create(n, p).name());
        }
        assertInstanceOf(RandomSelector.class, Selectors.create("random", p));
        assertInstanceOf(TeacherConfidenceTopK.class, Selectors.create("topk", p));
        assertInstanceOf(TeacherConfidenceThreshold.class, Selectors.create("threshold", p));
        assertInstanceOf(StudentUncertaintyOnly.class, Selectors.create("uncertainty", p));
        assertInstanceOf(FreeMatchSelector.class, Selectors.create("freematch", p));
        assertInstanceOf(SmallLossSelector.class, Selectors.create("smallloss", p));
        assertEquals(4.0, ((SoftLabelSelector) Selectors.create("soft", p.withTemperature(4.0))).temperature());
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Selectors.create("llkd-nope", Selectors.Params.defaults(3)));
        assertTrue(e.getMessage().contains("'llkd-nope'"), e.getMessage());
        for (String n : Selectors.names()) {
            assertTrue(e.getMessage().contains(n), n + " missing from: " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Selectors.create(null, Selectors.Params.defaults(3)));
    }

    @Test
    void ablationPresetsFlipExactlyTheirSwitch() {
        Config full = Config.defaults(5, 0.9);
        assertSame(full, full.with(Ablation.FULL));
        Config noT = Config.ablation(Ablation.NO_TEACHER_CONF, 5, 0.9);
        assertFalse(noT.teacherGate());
        assertTrue(noT.studentGate());
        assertEquals(WeightForm.UNC, noT.weightForm());
        Config noS = Config.ablation(Ablation.NO_STUDENT_UNC, 5, 0.9);
        assertTrue(noS.teacherGate());
        assertFalse(noS.studentGate());
        assertEquals(WeightForm.CONF, noS.weightForm());
        assertEquals(full.withClassWise(false), Config.ablation(Ablation.NO_CLASSWISE, 5, 0.9));
        assertEquals(full.withWeightForm(WeightForm.UNIFORM), Config.ablation(Ablation.NO_WEIGHTING, 5, 0.9));
        assertEquals(full.withAdaptive(false), Config.ablation(Ablation.FIXED_THRESHOLDS, 5, 0.9));
        Set<String> keys = new java.util.HashSet<>();
        for (Ablation a : Ablation.values()) {
            keys.add(full.with(a).stateKey());
        }
        assertEquals(Ablation.values().length, keys.size(), "all six variants differ");
        // Registry variants carry the preset config.
        LlkdSelector s = (LlkdSelector) Selectors.create("llkd-no-classwise", Selectors.Params.defaults(5).withMomentum(0.9));
        assertEquals(full.withClassWise(false), s.config());
    }

    /** Behavioural check of two presets on one batch (C = 2; hand arithmetic in the comments). */
    @Test
    void ablationsBehaveAsSwitched() {
        // Teacher rows: c = .9 (ŷ=0), .55 (ŷ=1); student z = 0 → u = 1 for both rows.
        double[][] p = {{0.9, 0.1}, {0.45, 0.55}};
        double[][] z = TestBatches.zeros(2, 2);
        double[] mT = {0.5, 0.5};
        double[] mS = {0.5, 0.5};
        // Fixed thresholds: τ^T = 0.6 for both classes (equal m^T) → row 1 (c = .55) fails the teacher gate.
        Config fixed = Config.defaults(2, 0.9).withInit(0.6, 0.5, mT, mS).withAdaptive(false);
        Selection a = new LlkdSelector(fixed).select(TestBatches.of(p, z));
        assertEquals(List.of(0), java.util.Arrays.stream(a.selectedIndices()).boxed().toList());
        // The same without the teacher gate keeps both; weights ∝ u = 1 → both 1.
        Selection b = new LlkdSelector(fixed.with(Ablation.NO_TEACHER_CONF)).select(TestBatches.of(p, z));
        assertEquals(2, b.numSelected());
        assertEquals(1.0, b.weights().getDouble(1), 1e-15);
        // Adaptive, λ = 0.5: τ^T = .5·.6 + .5·(.9+.55)/2 = .6625; m^T = [.5·.5+.5·.9, .5·.5+.5·.55] = [.7, .525];
        // class-wise TT(1) = .6625·.525/.7 = .496875 ≤ .55 → row 1 kept; without class-wise TT = .6625 > .55 → dropped.
        Config adaptive = fixed.withAdaptive(true).withMomentum(0.5);
        LlkdSelector cw = new LlkdSelector(adaptive);
        Selection c = cw.select(TestBatches.of(p, z));
        assertEquals(0.496875, cw.teacherThresholds()[1], 1e-12);
        assertEquals(2, c.numSelected());
        // weights ∝ c·u = .9, .55 → / mean .725 → 1.241379..., 0.758620...
        assertEquals(0.9 / 0.725, c.weights().getDouble(0), 1e-12);
        Selection d = new LlkdSelector(adaptive.withClassWise(false)).select(TestBatches.of(p, z));
        assertEquals(1, d.numSelected());
        assertEquals(1.0, d.weights().getDouble(0), 1e-15);
    }

    @Test
    void everySelectorEmitsTheCommonDiagnostics() {
        SplittableRandom rng = new SplittableRandom(3);
        StepBatch b = TestBatches.random(rng, 12, 4, 0);
        for (String n : Selectors.names()) {
            Selection s = Selectors.create(n, Selectors.Params.defaults(4).withMomentum(0.5)).select(b);
            for (String k : List.of(Diagnostics.RATIO, Diagnostics.N_SELECTED, Diagnostics.BATCH_SIZE, Diagnostics.SKIPPED,
                    Diagnostics.SKIPPED_TOTAL, Diagnostics.STEP, Diagnostics.WEIGHT_MIN, Diagnostics.WEIGHT_MEAN,
                    Diagnostics.WEIGHT_MAX, Diagnostics.TEACHER_ACC_ALL, Diagnostics.TEACHER_ACC_SELECTED,
                    Diagnostics.MEAN_CONF_ALL)) {
                assertTrue(s.diagnostics().containsKey(k), n + " lacks " + k);
            }
            assertEquals(s.numSelected() / 12.0, s.diagnostic(Diagnostics.RATIO), 1e-15, n);
            LossKind expected = switch (n) {
                case "soft" -> LossKind.SOFT_KL;
                case "gold" -> LossKind.GOLD_CE;
                default -> LossKind.HARD_WEIGHTED_CE;
            };
            assertEquals(expected, s.loss().kind(), n);
        }
    }
}
