package org.llkd.models.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class AdamWTest {
  private static final List<ParamSpec> SPECS = List.of(new ParamSpec("w", new long[] {2}), new ParamSpec("b.bias", new long[] {1}));

  /** lr 0.1 then 0.09 (no warm-up, T = 10), wd 0.01 on "w" only, betas 0.9/0.999, eps 1e-8, no clipping. */
  private static AdamW.Config twoStepConfig() {
    return new AdamW.Config(0.1, 0.9, 0.999, 1e-8, 0.01, 0, 10, Double.POSITIVE_INFINITY, false);
  }

  private static NamedParams params(DataType dt) {
    NamedParams p = new NamedParams(SPECS, dt);
    p.get("w").assign(Nd4j.createFromArray(1.0, -2.0));
    p.get("b.bias").assign(0.5);
    return p;
  }

  private static void setGrads(NamedParams g, int step) {
    if (step == 0) {
      g.get("w").assign(Nd4j.createFromArray(0.1, -0.2));
    } else {
      g.get("w").assign(Nd4j.createFromArray(-0.05, 0.4));
    }
    g.get("b.bias").assign(0.3);
  }

  /**
   * Hand computation (t = 1, 2; lr_1 = 0.1, lr_2 = 0.09):
   * step 1, w[0]: p = 1 * (1 - 0.1*0.01) = 0.999; m = 0.01, v = 1e-5; m^ = 0.1, sqrt(v^) = 0.1;
   *   p = 0.999 - 0.1 * 0.1 / (0.1 + 1e-8) = 0.89900001. b: 0.5 - 0.1 * 0.3/(0.3 + 1e-8) = 0.40000000333.
   * step 2, w[0]: p = 0.89900001 * (1 - 0.0009); m = 0.9*0.01 + 0.1*(-0.05) = 0.004;
   *   v = 0.999e-5 + 0.001*0.0025 = 1.249e-5; m^ = 0.004/0.19; sqrt(v^) = sqrt(1.249e-5/0.001999);
   *   p -= 0.09 * m^ / (sqrt(v^) + 1e-8) -> 0.87422057945405.
   * Same rule for the other entries (evaluated in double with a scalar script).
   */
  @Test void twoStepsMatchHandComputation() {
    NamedParams p = params(DataType.DOUBLE);
    NamedParams g = p.zerosLike();
    AdamW opt = new AdamW(twoStepConfig(), p);
    assertEquals(0.1, opt.currentLearningRate(), 0.0);

    setGrads(g, 0);
    AdamW.StepStats s1 = opt.step(p, g);
    assertEquals(0, s1.iteration());
    assertEquals(0.1, s1.learningRate(), 0.0);
    assertEquals(Math.sqrt(0.01 + 0.04 + 0.09), s1.gradNorm(), 1e-15);
    assertFalse(s1.clipped());
    assertArrayEquals(new double[] {0.8990000099999991, -1.8980000049999997}, p.get("w").toDoubleVector(), 1e-13);
    assertArrayEquals(new double[] {0.4000000033333332}, p.get("b.bias").toDoubleVector(), 1e-13);

    setGrads(g, 1);
    AdamW.StepStats s2 = opt.step(p, g);
    assertEquals(0.09, s2.learningRate(), 1e-17);
    assertEquals(2, opt.iteration());
    assertEquals(0.08, opt.currentLearningRate(), 1e-17);
    assertArrayEquals(new double[] {0.8742205794540517, -1.929241121386933}, p.get("w").toDoubleVector(), 1e-13);
    assertArrayEquals(new double[] {0.31000000633333374}, p.get("b.bias").toDoubleVector(), 1e-13);
    AdamW.State st = opt.snapshot();
    assertArrayEquals(new double[] {0.004, 0.022, 0.057}, st.m().toDoubleVector(), 1e-15);
    assertArrayEquals(new double[] {1.249e-5, 1.9996e-4, 1.7991e-4}, st.v().toDoubleVector(), 1e-18);
  }

  @Test void floatMatchesDouble() {
    NamedParams pd = params(DataType.DOUBLE), pf = params(DataType.FLOAT);
    NamedParams gd = pd.zerosLike(), gf = pf.zerosLike();
    AdamW od = new AdamW(twoStepConfig(), pd), of = new AdamW(twoStepConfig(), pf);
    for (int i = 0; i < 2; i++) {
      setGrads(gd, i);
      setGrads(gf, i);
      od.step(pd, gd);
      of.step(pf, gf);
    }
    assertArrayEquals(pd.flat().toDoubleVector(), pf.flat().toDoubleVector(), 1e-6);
  }

  @Test void clipsByGlobalNormAndReportsPreClipNorm() {
    NamedParams p = new NamedParams(List.of(new ParamSpec("a", new long[] {1}), new ParamSpec("c", new long[] {1})), DataType.DOUBLE);
    NamedParams g = p.zerosLike();
    AdamW opt = new AdamW(AdamW.Config.bert(1e-3, 0.0, 0, 100), p); // maxGradNorm 1.0
    g.get("a").assign(3.0);
    g.get("c").assign(4.0);
    AdamW.StepStats s = opt.step(p, g);
    assertEquals(5.0, s.gradNorm(), 1e-15);
    assertEquals(5.0, opt.lastGradNorm(), 1e-15);
    assertTrue(s.clipped());
    double coef = 1.0 / (5.0 + 1e-6); // torch clip_grad_norm_: max_norm / (norm + 1e-6)
    assertArrayEquals(new double[] {3 * coef, 4 * coef}, g.flat().toDoubleVector(), 1e-15);

    g.get("a").assign(0.3);
    g.get("c").assign(0.4);
    AdamW.StepStats s2 = opt.step(p, g);
    assertFalse(s2.clipped());
    assertArrayEquals(new double[] {0.3, 0.4}, g.flat().toDoubleVector(), 0.0);
  }

  /**
   * The clipping norm of a student-sized float32 gradient (3.8M values, the trainable part of a 2-layer MiniLM) equals
   * the norm summed in double to 1e-6. libnd4j's {@code norm2Number()} missed it by -0.20% (1 thread) and -0.07%
   * (2 threads), which changed every clipped step's scale with the thread count.
   */
  @Test void gradNormOfMillionsOfFloatsMatchesADoubleSum() {
    int n = 3_800_000;
    NamedParams p = new NamedParams(List.of(new ParamSpec("w", new long[] {n})), DataType.FLOAT);
    NamedParams g = p.zerosLike();
    java.util.Random r = new java.util.Random(3);
    float[] x = new float[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * 6e-4);
      sum += (double) x[i] * x[i];
    }
    g.get("w").assign(Nd4j.createFromArray(x));
    AdamW opt = new AdamW(new AdamW.Config(1e-4, 0.9, 0.999, 1e-8, 0.0, 0, 10, Double.POSITIVE_INFINITY, false), p);
    double exact = Math.sqrt(sum); // about 1.17
    assertEquals(exact, opt.step(p, g).gradNorm(), 1e-6 * exact);
  }

  @Test void decayMaskFollowsBertRule() {
    List<ParamSpec> specs = List.of(new ParamSpec("encoder.layer.0.attention.self.query.weight", new long[] {2, 2}),
        new ParamSpec("encoder.layer.0.attention.self.query.bias", new long[] {2}),
        new ParamSpec("encoder.layer.0.output.LayerNorm.weight", new long[] {2}),
        new ParamSpec("embeddings.word_embeddings.weight", new long[] {3, 2}));
    NamedParams p = new NamedParams(specs, DataType.DOUBLE);
    AdamW bert = new AdamW(AdamW.Config.bert(1e-3, 0.01, 0, 10), p);
    assertArrayEquals(new double[] {1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, bert.decayMask().toDoubleVector(), 0.0);
    AdamW all = new AdamW(AdamW.Config.bert(1e-3, 0.01, 0, 10).withDecayBiasAndLayerNorm(true), p);
    assertEquals(14.0, all.decayMask().sumNumber().doubleValue(), 0.0);

    // With zero gradients only the decay moves the parameters: excluded tensors stay put.
    p.flat().assign(2.0);
    NamedParams g = p.zerosLike();
    bert.step(p, g);
    assertEquals(2.0 * (1 - 1e-3 * 0.01), p.get("encoder.layer.0.attention.self.query.weight").getDouble(0, 0), 1e-15);
    assertEquals(2.0, p.get("encoder.layer.0.attention.self.query.bias").getDouble(0), 0.0);
    assertEquals(2.0, p.get("encoder.layer.0.output.LayerNorm.weight").getDouble(1), 0.0);

    // Every tensor decays when the exclusion is off.
    p.flat().assign(2.0);
    all.step(p, g);
    for (int i = 0; i < 14; i++) assertEquals(2.0 * (1 - 1e-3 * 0.01), p.flat().getDouble(i), 1e-15, "element " + i);
  }

  @Test void snapshotRestoreContinuesBitwise() {
    NamedParams unbroken = params(DataType.DOUBLE);
    NamedParams g = unbroken.zerosLike();
    AdamW a = new AdamW(twoStepConfig(), unbroken);
    setGrads(g, 0);
    a.step(unbroken, g);
    AdamW.State afterOne = a.snapshot();
    NamedParams resumed = NamedParams.wrap(SPECS, unbroken.flat().dup());
    setGrads(g, 1);
    a.step(unbroken, g);

    AdamW b = new AdamW(twoStepConfig(), resumed);
    b.restore(afterOne);
    assertEquals(1, b.iteration());
    assertEquals(0.09, b.currentLearningRate(), 1e-17);
    setGrads(g, 1);
    b.step(resumed, g);
    assertArrayEquals(unbroken.flat().toDoubleVector(), resumed.flat().toDoubleVector(), 0.0);
    assertArrayEquals(a.snapshot().v().toDoubleVector(), b.snapshot().v().toDoubleVector(), 0.0);
  }

  @Test void rejectsForeignLayoutsStateAndNonFiniteGradients() {
    NamedParams p = params(DataType.DOUBLE);
    AdamW opt = new AdamW(twoStepConfig(), p);
    NamedParams other = new NamedParams(List.of(new ParamSpec("w", new long[] {2}), new ParamSpec("c.bias", new long[] {1})), DataType.DOUBLE);
    String msg = assertThrows(IllegalArgumentException.class, () -> opt.step(p, other)).getMessage();
    assertTrue(msg.contains("expected b.bias [1], found c.bias [1]"), msg);
    assertThrows(IllegalArgumentException.class, () -> opt.step(params(DataType.FLOAT), p));
    assertThrows(IllegalArgumentException.class,
        () -> opt.restore(new AdamW.State(1, Nd4j.zeros(DataType.DOUBLE, 1, 4), Nd4j.zeros(DataType.DOUBLE, 1, 4))));

    NamedParams g = p.zerosLike();
    g.get("b.bias").assign(Double.NaN);
    msg = assertThrows(IllegalStateException.class, () -> opt.step(p, g)).getMessage();
    assertTrue(msg.contains("first non-finite tensor: b.bias"), msg);
    assertEquals(0, opt.iteration());

    assertThrows(IllegalArgumentException.class, () -> new AdamW.Config(1e-3, 1.0, 0.999, 1e-8, 0, 0, 10, 1, false));
    assertThrows(IllegalArgumentException.class, () -> new AdamW.Config(1e-3, 0.9, 0.999, 0, 0, 0, 10, 1, false));
    assertThrows(IllegalArgumentException.class, () -> new AdamW.Config(1e-3, 0.9, 0.999, 1e-8, -1, 0, 10, 1, false));
    assertThrows(IllegalArgumentException.class, () -> new AdamW.Config(1e-3, 0.9, 0.999, 1e-8, 0, 0, 10, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new AdamW.Config(1e-3, 0.9, 0.999, 1e-8, 0, 10, 10, 1, false));
  }
  /**
   * Warm-up step 0 has lr = 0: torch moves the moments and leaves the parameters (libnd4j's fused op would
   * substitute eps for a zero step size, so the update must be skipped, not applied).
   */
  @Test void zeroLearningRateMovesMomentsButNotParameters() {
    NamedParams p = params(DataType.DOUBLE);
    NamedParams g = p.zerosLike();
    AdamW opt = new AdamW(new AdamW.Config(0.1, 0.9, 0.999, 1e-8, 0.01, 2, 10, Double.POSITIVE_INFINITY, false), p);
    setGrads(g, 0);
    AdamW.StepStats s = opt.step(p, g);
    assertEquals(0.0, s.learningRate(), 0.0);
    assertArrayEquals(params(DataType.DOUBLE).flat().toDoubleVector(), p.flat().toDoubleVector(), 0.0);
    assertArrayEquals(new double[] {0.01, -0.02, 0.03}, opt.snapshot().m().toDoubleVector(), 1e-15);
    assertArrayEquals(new double[] {1e-5, 4e-5, 9e-5}, opt.snapshot().v().toDoubleVector(), 1e-18);
  }

  /** Decay runs: the decayed tensors separated by an undecayed one are each scaled, the other is not. */
  @Test void decayTouchesOnlyDecayedTensorsAcrossRuns() {
    List<ParamSpec> specs = List.of(new ParamSpec("a.weight", new long[] {2}), new ParamSpec("a.bias", new long[] {1}),
        new ParamSpec("b.weight", new long[] {1}), new ParamSpec("c.weight", new long[] {2}));
    NamedParams p = new NamedParams(specs, DataType.DOUBLE);
    p.flat().assign(1.0);
    AdamW opt = new AdamW(new AdamW.Config(0.1, 0.9, 0.999, 1e-8, 0.5, 0, 10, Double.POSITIVE_INFINITY, false), p);
    opt.step(p, p.zerosLike()); // zero gradient: only the decay moves parameters (m = v = 0, update 0)
    assertArrayEquals(new double[] {0.95, 0.95, 1.0, 0.95, 0.95, 0.95}, p.flat().toDoubleVector(), 1e-15);
  }
}
