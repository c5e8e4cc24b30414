package org.llkd.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.llkd.models.optim.AdamW;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The step trains on exactly the rows with weight > 0, trimmed to their own length, and nothing else. */
class StudentTrainStepTest {
  private static final StudentConfig CFG = StudentConfig.tiny(Pooling.MEAN, 0.1, DataType.DOUBLE);
  // [4, 6] ids; rows 1 and 3 are the selected ones, their longest real length is 4
  private static final long[][] IDS = {{1, 5, 7, 9, 11, 2}, {1, 4, 6, 2, 0, 0}, {1, 3, 3, 3, 3, 2}, {1, 8, 9, 10, 2, 0}};
  private static final long[][] MASK = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0}};
  private static final int[] LABELS = {0, 2, 1, 1};
  private static final double[] WEIGHTS = {0, 1.5, 0, 0.5};

  private static AdamW adam(StudentTransformer m) {
    return new AdamW(AdamW.Config.bert(1e-2, 0.01, 0, 10), m.params());
  }

  @Test
  void equalsAManualStepOnTheSelectedRowsTrimmedToTheirLength() {
    StudentTransformer a = StudentTransformer.initRandom(CFG, 3);
    StudentTransformer b = StudentTransformer.initRandom(CFG, 3);
    StudentTrainStep.Result r = new StudentTrainStep(a, adam(a)).step(Nd4j.createFromArray(IDS),
        Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE), null, LABELS, WEIGHTS, 42L);
    assertEquals(2, r.rows());
    assertTrue(r.updated());

    // by hand: rows 1 and 3, columns 0..4 (row 3 has 5 real tokens), weights 1.5 and 0.5
    INDArray ids = Nd4j.createFromArray(new long[][] {{1, 4, 6, 2, 0}, {1, 8, 9, 10, 2}});
    INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 0}, {1, 1, 1, 1, 1}});
    AdamW opt = adam(b);
    b.grads().flat().assign(0);
    INDArray z = b.forwardTrain(ids, mask, null, 42L);
    WeightedCrossEntropy.Result ce = WeightedCrossEntropy.compute(z, new int[] {2, 1}, Nd4j.createFromArray(1.5, 0.5));
    b.backward(ce.dLogits());
    opt.step(b.params(), b.grads());

    assertEquals(ce.loss(), r.loss(), 0.0);
    assertArrayEquals(b.params().flat().toDoubleVector(), a.params().flat().toDoubleVector(), 0.0);
  }

  @Test
  void zeroWeightRowsDoNotInfluenceTheUpdate() {
    StudentTransformer a = StudentTransformer.initRandom(CFG, 5);
    StudentTransformer b = StudentTransformer.initRandom(CFG, 5);
    long[][] other = {{1, 15, 14, 13, 12, 2}, IDS[1], {1, 2, 2, 2, 2, 2}, IDS[3]}; // rows 0 and 2 differ
    new StudentTrainStep(a, adam(a)).step(Nd4j.createFromArray(IDS), Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE),
        null, LABELS, WEIGHTS, 7L);
    new StudentTrainStep(b, adam(b)).step(Nd4j.createFromArray(other), Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE),
        null, new int[] {1, 2, 0, 1}, WEIGHTS, 7L);
    assertArrayEquals(a.params().flat().toDoubleVector(), b.params().flat().toDoubleVector(), 0.0);
  }

  @Test
  void noPositiveWeightMeansNoUpdate() {
    StudentTransformer a = StudentTransformer.initRandom(CFG, 9);
    double[] before = a.params().flat().toDoubleVector();
    AdamW opt = adam(a);
    StudentTrainStep.Result r = new StudentTrainStep(a, opt).step(Nd4j.createFromArray(IDS),
        Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE), null, LABELS, new double[4], 1L);
    assertFalse(r.updated());
    assertEquals(0, opt.iteration());
    assertArrayEquals(before, a.params().flat().toDoubleVector(), 0.0);
    // and a step with weights does move the parameters
    new StudentTrainStep(a, opt).step(Nd4j.createFromArray(IDS), Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE),
        null, LABELS, WEIGHTS, 1L);
    assertNotEquals(before[before.length - 1], a.params().flat().toDoubleVector()[before.length - 1]);
  }

  @Test
  void negativeOrNonFiniteWeightsAreRejected() {
    StudentTransformer a = StudentTransformer.initRandom(CFG, 9);
    StudentTrainStep s = new StudentTrainStep(a, adam(a));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.step(Nd4j.createFromArray(IDS),
        Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE), null, LABELS, new double[] {0, -1, 0, 1}, 1L));
    assertTrue(e.getMessage().contains("weights[1] = -1.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.step(Nd4j.createFromArray(IDS),
        Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE), null, LABELS, new double[] {0, Double.NaN, 0, 1}, 1L));
  }
  /**
   * SHARED: one dropout forward of all rows; the update equals a manual one from the same forward whose
   * dL/dlogits is the weighted CE of the selected rows and zero elsewhere (no trimming, same dropout masks).
   */
  @Test
  void sharedForwardUpdatesLikeAFullBackwardWithZeroGradientOnUnselectedRows() {
    StudentTransformer a = StudentTransformer.initRandom(CFG, 3);
    StudentTransformer b = StudentTransformer.initRandom(CFG, 3);
    INDArray ids = Nd4j.createFromArray(IDS);
    INDArray mask = Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE);
    StudentTrainStep step = new StudentTrainStep(a, adam(a));
    INDArray logits = step.forwardShared(ids, mask, null, 42L);
    StudentTrainStep.Result r = step.finishShared(LABELS, WEIGHTS);
    assertEquals(2, r.rows());

    AdamW opt = adam(b);
    b.grads().flat().assign(0);
    INDArray z = b.forwardTrain(ids, mask, null, 42L); // [4, C]
    assertArrayEquals(z.reshape(-1).toDoubleVector(), logits.reshape(-1).toDoubleVector(), 0.0);
    WeightedCrossEntropy.Result ce = WeightedCrossEntropy.compute(Nd4j.pullRows(z, 1, new int[] {1, 3}),
        new int[] {2, 1}, Nd4j.createFromArray(1.5, 0.5));
    INDArray dz = Nd4j.zeros(DataType.DOUBLE, 4, CFG.numClasses());
    dz.putRow(1, ce.dLogits().getRow(0));
    dz.putRow(3, ce.dLogits().getRow(1));
    b.backward(dz);
    opt.step(b.params(), b.grads());

    assertEquals(ce.loss(), r.loss(), 1e-15);
    assertArrayEquals(b.params().flat().toDoubleVector(), a.params().flat().toDoubleVector(), 1e-12);

    // nothing selected: no update; finishing twice or without a forward is refused
    INDArray before = a.params().flat().dup();
    step.forwardShared(ids, mask, null, 43L);
    assertFalse(step.finishShared(LABELS, new double[4]).updated());
    assertArrayEquals(before.toDoubleVector(), a.params().flat().toDoubleVector(), 0.0);
    assertThrows(IllegalStateException.class, () -> step.finishShared(LABELS, WEIGHTS));
  }

  /**
   * With the word-embedding table updated lazily, a first step (no moments yet, no weight decay) equals the dense
   * step exactly; the touched rows are the selected rows' token ids (pad included), and zeroGrads leaves an all-zero
   * gradient after sparse clearing.
   */
  @Test
  void lazyWordEmbeddingStepEqualsDenseOnAFirstStepAndClearsItsRows() {
    StudentTransformer dense = StudentTransformer.initRandom(CFG, 11);
    StudentTransformer lazy = StudentTransformer.initRandom(CFG, 11);
    AdamW.Config cfg = AdamW.Config.bert(1e-2, 0.0, 0, 10);
    AdamW lazyOpt = new AdamW(cfg, lazy.params(), cfg.schedule(), java.util.Set.of(),
        StudentTransformer.WORD_EMBEDDINGS);
    INDArray ids = Nd4j.createFromArray(IDS);
    INDArray mask = Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE);
    new StudentTrainStep(dense, new AdamW(cfg, dense.params())).step(ids, mask, null, LABELS, WEIGHTS, 4L);
    new StudentTrainStep(lazy, lazyOpt).step(ids, mask, null, LABELS, WEIGHTS, 4L);
    assertArrayEquals(dense.params().flat().toDoubleVector(), lazy.params().flat().toDoubleVector(), 1e-15);
    // rows 1 and 3 trimmed to 5 columns: {1,4,6,2,0} and {1,8,9,10,2}
    assertArrayEquals(new int[] {0, 1, 2, 4, 6, 8, 9, 10}, lazy.touchedWordRows());
    assertNotEquals(0.0, lazy.grads().flat().norm2Number().doubleValue());
    lazy.zeroGrads();
    assertEquals(0.0, lazy.grads().flat().amaxNumber().doubleValue(), 0.0);
    assertEquals(0, lazy.touchedWordRows().length);
  }
}
