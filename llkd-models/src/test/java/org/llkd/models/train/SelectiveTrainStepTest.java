package org.llkd.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.optim.AdamW;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trainer's step: the chooser sees every row's logits and its CE against the pseudo-label, and the update is
 * {@link StudentTrainStep}'s on the chosen rows (SEPARATE: their own forward; SHARED: the kept activations).
 */
class SelectiveTrainStepTest {
  private static final StudentConfig CFG = StudentConfig.tiny(Pooling.MEAN, 0.1, DataType.DOUBLE);
  private static final long[][] IDS = {{1, 5, 7, 9, 11, 2}, {1, 4, 6, 2, 0, 0}, {1, 3, 3, 3, 3, 2}, {1, 8, 9, 10, 2, 0}};
  private static final long[][] MASK = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0}};
  private static final int[] PSEUDO = {0, 2, 1, 1};
  private static final double[] WEIGHTS = {0, 1.5, 0, 0.5};

  private static AdamW adam(StudentTransformer m) {
    return new AdamW(AdamW.Config.bert(1e-2, 0.01, 0, 10), m.params());
  }

  private static SelectiveTrainStep.Batch batch() {
    INDArray teacher = Nd4j.createFromArray(new double[][] {{0.6, 0.2, 0.2}, {0.1, 0.2, 0.7}, {0.2, 0.5, 0.3},
        {0.3, 0.4, 0.3}}); // [4, 3]
    return new SelectiveTrainStep.Batch(Nd4j.createFromArray(IDS), Nd4j.createFromArray(MASK).castTo(DataType.DOUBLE),
        null, teacher, PSEUDO);
  }

  @Test
  void eachForwardIsTheTrainStepOnTheChosenRowsAndTheChooserSeesEveryRow() {
    for (SelectionForward f : SelectionForward.values()) {
      StudentTransformer a = StudentTransformer.initRandom(CFG, 3);
      StudentTransformer b = StudentTransformer.initRandom(CFG, 3);
      int[] seen = new int[2];
      SelectiveTrainStep.Outcome o = new SelectiveTrainStep(a, adam(a), f).run(batch(), (logits, loss) -> {
        seen[0] = (int) logits.size(0);
        seen[1] = (int) loss.length();
        return new SelectiveTrainStep.Choice(new int[] {1, 3}, WEIGHTS, PSEUDO, null);
      }, 42L);
      StudentTrainStep manual = new StudentTrainStep(b, adam(b));
      StudentTrainStep.Result r;
      if (f == SelectionForward.SHARED) {
        manual.forwardShared(batch().inputIds(), batch().attentionMask(), null, 42L);
        r = manual.finishShared(PSEUDO, WEIGHTS);
      } else {
        r = manual.step(batch().inputIds(), batch().attentionMask(), null, PSEUDO, WEIGHTS, 42L);
      }
      assertArrayEquals(new int[] {4, 4}, seen, f + ": the chooser sees all 4 rows");
      assertEquals(2, o.selected(), f.name());
      assertEquals(r.loss(), o.loss(), 0.0, f.name());
      assertEquals(r.stats().gradNorm(), o.gradNorm(), 0.0, f.name());
      assertArrayEquals(b.params().flat().toDoubleVector(), a.params().flat().toDoubleVector(), 0.0, f.name());
    }
  }

  @Test
  void nothingChosenMakesNoUpdate() {
    StudentTransformer a = StudentTransformer.initRandom(CFG, 3);
    AdamW opt = adam(a);
    double[] before = a.params().flat().toDoubleVector();
    SelectiveTrainStep.Outcome o = new SelectiveTrainStep(a, opt, SelectionForward.SEPARATE).run(batch(),
        (logits, loss) -> new SelectiveTrainStep.Choice(new int[0], new double[4], PSEUDO, null), 42L);
    assertTrue(o.empty());
    assertTrue(Double.isNaN(o.loss()) && Double.isNaN(o.gradNorm()));
    assertEquals(opt.currentLearningRate(), o.learningRate(), 0.0);
    assertArrayEquals(before, a.params().flat().toDoubleVector(), 0.0);
  }
}
