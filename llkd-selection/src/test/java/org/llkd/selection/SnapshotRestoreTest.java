package org.llkd.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A resumed selector (restored from a snapshot, directly or through JSON) selects exactly as the unbroken one. */
class SnapshotRestoreTest {

    static final int C = 4;

    static List<String> names() {
        return Selectors.names();
    }

    static Selectors.Params params() {
        return Selectors.Params.defaults(C).withMomentum(0.8).withRatio(0.4).withSeed(99).withRampSteps(6)
                .withConfidenceThreshold(0.5);
    }

    static List<StepBatch> stream(long seed, int steps) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<StepBatch> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            out.add(TestBatches.random(rng, 6 + rng.nextInt(6), C, s * 100L));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("names")
    void resumedEqualsUnbroken(String name) {
        List<StepBatch> batches = stream(5, 16);
        SampleSelector unbroken = Selectors.create(name, params());
        List<Selection> expected = new ArrayList<>();
        SelectorState atEight = null;
        for (int s = 0; s < batches.size(); s++) {
            if (s == 8) {
                atEight = unbroken.snapshot();
            }
            expected.add(unbroken.select(batches.get(s)));
        }
        String json = atEight.toJson();
        SelectorState fromJson = SelectorState.fromJson(json);
        assertEquals(atEight, fromJson, "JSON round trip is exact");
        assertEquals(json, fromJson.toJson());
        for (SelectorState st : new SelectorState[] {atEight, fromJson}) {
            SampleSelector resumed = Selectors.create(name, params());
            resumed.restore(st);
            for (int s = 8; s < batches.size(); s++) {
                Selection a = expected.get(s);
                Selection b = resumed.select(batches.get(s));
                assertArrayEquals(a.mask().toDoubleVector(), b.mask().toDoubleVector(), 0.0, name + " step " + s + " mask");
                assertArrayEquals(a.weights().toDoubleVector(), b.weights().toDoubleVector(), 0.0, name + " step " + s + " weights");
                assertEquals(a.diagnostics().keySet(), b.diagnostics().keySet());
                for (String k : a.diagnostics().keySet()) {
                    assertEquals(a.diagnostics().get(k), b.diagnostics().get(k), 0.0, name + " step " + s + " " + k);
                }
                assertEquals(a.loss(), b.loss());
            }
            assertEquals(unbroken.snapshot(), resumed.snapshot(), name + ": same final state");
        }
    }

    /** The check above is not vacuous: the adaptive selectors' states do move between step 8 and the end. */
    @Test
    void adaptiveStatesMove() {
        List<StepBatch> batches = stream(5, 16);
        for (String name : new String[] {"llkd", "freematch", "uncertainty"}) {
            SampleSelector s = Selectors.create(name, params());
            SelectorState fresh = s.snapshot();
            for (StepBatch b : batches) {
                s.select(b);
            }
            SelectorState end = s.snapshot();
            assertNotEquals(fresh.scalars(), end.scalars(), name);
            // A fresh selector (no restore) would decide differently on the later batches.
            SampleSelector fresh2 = Selectors.create(name, params());
            boolean differs = false;
            for (StepBatch b : batches.subList(8, 16)) {
                differs |= !java.util.Arrays.equals(s.select(b).weights().toDoubleVector(),
                        fresh2.select(b).weights().toDoubleVector());
            }
            assertTrue(differs, name + ": state matters for later selections");
        }
    }

    @Test
    void snapshotIsACopy() {
        LlkdSelector s = new LlkdSelector(LlkdSelector.Config.defaults(C, 0.5));
        SelectorState before = s.snapshot();
        String json = before.toJson();
        s.select(stream(1, 1).get(0));
        assertEquals(json, before.toJson(), "a later step does not change an earlier snapshot");
        before.arrays().get("mT")[0] = 0.123; // writing into an accessor's array
        assertEquals(json, before.toJson(), "does not reach the state");
        double[] mine = {0.5, 0.5};
        SelectorState st = new SelectorState("x", 1, "", null, null, java.util.Map.of("m", mine));
        mine[0] = 0.9; // nor does writing into the array it was built from
        assertEquals(0.5, st.array("m", 2)[0], 0.0);
    }

    @Test
    void rejectsForeignOrMismatchedState() {
        SelectorState llkd = Selectors.create("llkd", params()).snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Selectors.create("freematch", params()).restore(llkd));
        assertTrue(e.getMessage().contains("'llkd'") && e.getMessage().contains("'freematch'"), e.getMessage());

        // Same class, other registry name (an ablation).
        e = assertThrows(IllegalArgumentException.class, () -> Selectors.create("llkd-no-teacher", params()).restore(llkd));
        assertTrue(e.getMessage().contains("llkd-no-teacher"), e.getMessage());

        // Same name, other momentum.
        e = assertThrows(IllegalArgumentException.class,
                () -> Selectors.create("llkd", params().withMomentum(0.9)).restore(llkd));
        assertTrue(e.getMessage().contains("momentum=0.8") && e.getMessage().contains("momentum=0.9"), e.getMessage());

        // Other number of classes.
        e = assertThrows(IllegalArgumentException.class,
                () -> Selectors.create("llkd", Selectors.Params.defaults(C + 1).withMomentum(0.8)).restore(llkd));
        assertTrue(e.getMessage().contains("C=4") && e.getMessage().contains("C=5"), e.getMessage());

        // Other seed for the random baseline.
        SelectorState random = Selectors.create("random", params()).snapshot();
        e = assertThrows(IllegalArgumentException.class,
                () -> Selectors.create("random", params().withSeed(100)).restore(random));
        assertTrue(e.getMessage().contains("seed=99") && e.getMessage().contains("seed=100"), e.getMessage());

        // A tampered state of the right owner but the wrong array length.
        SelectorState bad = new SelectorState(llkd.selector(), llkd.version(), llkd.config(), llkd.scalars(),
                llkd.counters(), java.util.Map.of("mT", new double[] {0.1, 0.1, 0.1}, "mS", new double[] {0.5, 0.5, 0.5, 0.5}));
        e = assertThrows(IllegalArgumentException.class, () -> Selectors.create("llkd", params()).restore(bad));
        assertTrue(e.getMessage().contains("'mT' has length 3, expected 4"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> SelectorState.fromJson("{\"selector\": 3"));
    }
}
