package org.llkd.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reproduces the independent numpy reference ({@code shared/ref/llkd_select_ref.py}) value for value: thresholds,
 * selected indices, weights, loss and dL/dz over all 5 steps of both golden files, in DOUBLE (≤ 1e-9 abs) and FLOAT
 * (≤ 1e-5 abs; the inputs are rounded to float32 first). λ, C, n and the initial state are read from each file. The n=4
 * file has classes absent from every batch (their m^T, m^S must keep their value); the n=16 file has the teacher gate
 * binding in steps 3–5 (closest margin 1.8e-4).
 */
class LlkdGoldenConformanceTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("llkd_select_golden.json", DataType.DOUBLE, 1e-9),
                Arguments.of("llkd_select_golden.json", DataType.FLOAT, 1e-5),
                Arguments.of("llkd_select_golden_n4.json", DataType.DOUBLE, 1e-9),
                Arguments.of("llkd_select_golden_n4.json", DataType.FLOAT, 1e-5));
    }

    static JsonNode load(String file) throws IOException {
        try (InputStream in = LlkdGoldenConformanceTest.class.getResourceAsStream("/fixtures/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource fixtures/" + file);
            }
            return new ObjectMapper().readTree(in);
        }
    }

    static double[] vec(JsonNode n) {
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asDouble();
        }
        return v;
    }

    static int[] ivec(JsonNode n) {
        int[] v = new int[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asInt();
        }
        return v;
    }

    static double[][] mat(JsonNode n) {
        double[][] m = new double[n.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vec(n.get(i));
        }
        return m;
    }

    static LlkdSelector.Config configFrom(JsonNode root, JsonNode state) {
        JsonNode params = root.get("params");
        int c = params.get("C").asInt();
        double lam = params.get("lam").asDouble();
        return LlkdSelector.Config.defaults(c, lam).withInit(state.get("tauT").asDouble(), state.get("tauS").asDouble(),
                vec(state.get("mT")), vec(state.get("mS")));
    }

    static StepBatch batch(JsonNode step, DataType dtype, int stepIndex) {
        double[][] p = mat(step.get("P_T"));
        double[][] z = mat(step.get("Z"));
        long[] ids = new long[p.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) stepIndex * p.length + i;
        }
        return StepBatch.of(ids, Nd4j.createFromArray(p).castTo(dtype), Nd4j.createFromArray(z).castTo(dtype));
    }

    static void close(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void reproducesAllStepsOfTheReference(String file, DataType dtype, double tol) throws IOException {
        JsonNode root = load(file);
        assertEquals(0.7, root.get("params").get("lam").asDouble(), 0.0, "fixture momentum (the test reads it, this guards the file)");
        int numClasses = root.get("params").get("C").asInt();
        LlkdSelector sel = new LlkdSelector(configFrom(root, root.get("init_state")));
        JsonNode steps = root.get("steps");
        assertEquals(root.get("params").get("steps").asInt(), steps.size());
        Selection last = null;
        StepBatch lastBatch = null;
        for (int s = 0; s < steps.size(); s++) {
            JsonNode st = steps.get(s);
            String at = file + " " + dtype + " step " + st.get("step").asInt() + ": ";
            StepBatch b = batch(st, dtype, s);

            // Inputs and signals: pseudo-labels (argmax, first on ties), c, u.
            assertArrayEquals(ivec(st.get("yhat")), b.pseudoLabels(), at + "yhat");
            close(at + "c", vec(st.get("c")), b.teacherConfidence(), tol);
            double[][] z = b.logitMatrix();
            double[] u = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                u[i] = StudentSignals.normalizedEntropy(z[i]);
            }
            close(at + "u", vec(st.get("u")), u, tol);

            // State before the step (carried over from the previous step).
            JsonNode before = st.get("state_before");
            assertEquals(before.get("tauT").asDouble(), sel.tauT(), tol, at + "tauT before");
            assertEquals(before.get("tauS").asDouble(), sel.tauS(), tol, at + "tauS before");
            close(at + "mT before", vec(before.get("mT")), sel.mT(), tol);
            close(at + "mS before", vec(before.get("mS")), sel.mS(), tol);

            Selection out = sel.select(b);

            // Updated EMAs and MaxNorm thresholds.
            assertEquals(st.get("tauT").asDouble(), sel.tauT(), tol, at + "tauT");
            assertEquals(st.get("tauS").asDouble(), sel.tauS(), tol, at + "tauS");
            close(at + "mT", vec(st.get("mT")), sel.mT(), tol);
            close(at + "mS", vec(st.get("mS")), sel.mS(), tol);
            close(at + "TT", vec(st.get("TT")), sel.teacherThresholds(), tol);
            close(at + "TS", vec(st.get("TS")), sel.studentThresholds(), tol);
            assertEquals(st.get("tauT").asDouble(), out.diagnostic(Diagnostics.TAU_T), tol, at + "diag tauT");
            assertEquals(st.get("tauS").asDouble(), out.diagnostic(Diagnostics.TAU_S), tol, at + "diag tauS");
            double[] tt = vec(st.get("TT"));
            double[] ts = vec(st.get("TS"));
            for (int k = 0; k < numClasses; k++) {
                assertEquals(tt[k], out.diagnostic(Diagnostics.tauTClass(k)), tol, at + "diag TT c" + k);
                assertEquals(ts[k], out.diagnostic(Diagnostics.tauSClass(k)), tol, at + "diag TS c" + k);
            }

            // Selection: exact indices and count; weights on all n rows (0 off the mask).
            assertArrayEquals(ivec(st.get("selected")), out.selectedIndices(), at + "selected");
            assertEquals(st.get("n_selected").asInt(), out.numSelected(), at + "n_selected");
            assertEquals(st.get("n_selected").asDouble(), out.diagnostic(Diagnostics.N_SELECTED), 0.0, at + "diag n");
            assertEquals(dtype, out.weights().dataType(), at + "weights dtype follows the logits");
            close(at + "weights", vec(st.get("weights")), out.weights().toDoubleVector(), tol);

            // Loss through the project's loss (selectors decide, losses apply).
            WeightedCrossEntropy.Result r = WeightedCrossEntropy.compute(b.studentLogits(), b.pseudoLabels(), out.weights());
            assertEquals(st.get("loss").asDouble(), r.loss(), tol, at + "loss");
            close(at + "ce", vec(st.get("ce")), r.perSample().toDoubleVector(), tol);
            last = out;
            lastBatch = b;
        }
        // dL/dz of step 5: w_i / max(1, nsel) · (softmax(z_i) − onehot(ŷ_i)), weights held constant.
        WeightedCrossEntropy.Result r = WeightedCrossEntropy.compute(lastBatch.studentLogits(), lastBatch.pseudoLabels(),
                last.weights());
        double[][] expected = mat(root.get("step5_grad_dLoss_dZ"));
        double[][] actual = r.dLogits().toDoubleMatrix();
        for (int i = 0; i < expected.length; i++) {
            close(file + " " + dtype + " dL/dz row " + i, expected[i], actual[i], tol);
        }
        assertEquals(0, sel.skippedSteps(), "no empty step in the fixtures");
    }

    /** Each step in isolation: a fresh selector initialised with the step's {@code state_before} reproduces it. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void eachStepFromItsStateBefore(String file, DataType dtype, double tol) throws IOException {
        JsonNode root = load(file);
        JsonNode steps = root.get("steps");
        for (int s = 0; s < steps.size(); s++) {
            JsonNode st = steps.get(s);
            LlkdSelector sel = new LlkdSelector(configFrom(root, st.get("state_before")));
            Selection out = sel.select(batch(st, dtype, s));
            String at = file + " " + dtype + " isolated step " + (s + 1) + ": ";
            close(at + "TT", vec(st.get("TT")), sel.teacherThresholds(), tol);
            close(at + "TS", vec(st.get("TS")), sel.studentThresholds(), tol);
            assertArrayEquals(ivec(st.get("selected")), out.selectedIndices(), at + "selected");
            close(at + "weights", vec(st.get("weights")), out.weights().toDoubleVector(), tol);
        }
    }

    /** The n=4 file must exercise absent classes (else the "absent classes keep their value" branch is untested). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fixtureCoverage(String file, DataType dtype, double tol) throws IOException {
        JsonNode root = load(file);
        int numClasses = root.get("params").get("C").asInt();
        boolean someAbsent = false;
        for (JsonNode st : root.get("steps")) {
            someAbsent |= st.get("classes_present").size() < numClasses;
        }
        assertEquals(file.contains("_n4"), someAbsent, file + ": classes absent from some batch");
        assertTrue(tol > 0);
        assertTrue(dtype == DataType.FLOAT || dtype == DataType.DOUBLE);
    }

}
