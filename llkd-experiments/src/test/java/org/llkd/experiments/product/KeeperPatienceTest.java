package org.llkd.experiments.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llkd.experiments.metrics.ClassificationMetrics;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.nd4j.linalg.api.buffer.DataType;

/** {@code llkd train --patience N}: training stops after N dev evaluations without a better macro-F1, mid-epoch too. */
class KeeperPatienceTest {
  private static ClassificationMetrics dev(double macroF1) {
    return new ClassificationMetrics(0.5, macroF1, Map.of("a", macroF1), 0.1, 10);
  }

  @Test void stopsAfterPatienceEvaluationsWithoutImprovementAndKeepsTheBest() {
    StudentTransformer model = StudentTransformer.initRandom(StudentConfig.tiny(Pooling.MEAN, 0.0, DataType.FLOAT), 1);
    UserTraining.Keeper keeper = new UserTraining.Keeper(3, 2);
    assertFalse(keeper.evalAfterStep(1));
    assertTrue(keeper.evalAfterStep(2), "every 3rd step (0-based step 2) is evaluated");
    assertFalse(keeper.onDevEval(0, 2, dev(0.50), model));
    assertFalse(keeper.onDevEval(0, 5, dev(0.60), model));      // new best
    model.params().flat().addi(1.0);                            // the model moves on after the best evaluation
    assertFalse(keeper.onDevEval(0, 8, dev(0.55), model), "1 evaluation without improvement < patience 2");
    assertTrue(keeper.onDevEval(1, 11, dev(0.58), model), "2 evaluations without improvement = patience: stop");
    assertEquals(0.60, keeper.bestF1, 0.0);
    assertEquals(5, keeper.bestStep);
    assertEquals(0, keeper.bestEpoch);
    double moved = model.params().flat().sub(keeper.best).meanNumber().doubleValue();
    assertEquals(1.0, moved, 1e-6, "the kept best parameters are those of the best evaluation, not the last");
  }

  @Test void zeroPatienceNeverStopsAndNegativeValuesAreRefused() {
    StudentTransformer model = StudentTransformer.initRandom(StudentConfig.tiny(Pooling.MEAN, 0.0, DataType.FLOAT), 1);
    UserTraining.Keeper keeper = new UserTraining.Keeper(0, 0);
    keeper.onDevEval(0, 0, dev(0.9), model);
    for (int i = 1; i < 20; i++) assertFalse(keeper.onDevEval(0, i, dev(0.1), model));
    assertFalse(keeper.evalAfterStep(4), "--eval-every 0: epoch ends only");
    assertThrows(IllegalArgumentException.class, () -> new UserTraining.Keeper(0, -1));
    assertThrows(IllegalArgumentException.class, () -> new UserTraining.Keeper(-1, 0));
  }

  /** The ETA counts the dev evaluations still to come and the final scoring, not only the steps. */
  @Test void etaIncludesEvaluation() {
    UserTraining.Keeper k = new UserTraining.Keeper(0, 0);
    // 40 rows, batch 4: 10 steps per epoch, 2 epochs = 20 steps; 100 dev rows; 300 rows scored at the end
    k.plan(40, 4, 2, 100, 300, 10, null);
    k.measured(2.0, 0.01, 3); // steps 0..3 done: 2 s a step, 10 ms a dev row
    // 16 steps x 2 s + (2 epoch-end evaluations x 100 rows + 300 final rows) x 0.01 s
    assertEquals(16 * 2.0 + (2 * 100 + 300) * 0.01, k.etaSeconds(), 1e-9);
    UserTraining.Keeper every5 = new UserTraining.Keeper(5, 0);
    every5.plan(40, 4, 2, 100, 300, 10, null);
    every5.measured(2.0, 0.01, 3);
    // --eval-every 5 adds the evaluations after steps 5, 10, 15, 20 (counted apart from the epoch ends: an upper bound)
    assertEquals(16 * 2.0 + (6 * 100 + 300) * 0.01, every5.etaSeconds(), 1e-9);
    assertEquals("0:00:37", UserTraining.Keeper.clock(37.4));
    assertEquals("1:02:05", UserTraining.Keeper.clock(3725));
  }

  /** The epoch ends (1..epochs) at which a keeper planned with {@code minutes} asks for a checkpoint, one epoch a minute. */
  private static java.util.List<Integer> checkpointEpochs(double minutes, int epochs, double minutesPerEpoch) {
    long[] now = {0};
    UserTraining.Keeper k = new UserTraining.Keeper(0, 0, () -> now[0]);
    k.plan(40, 4, epochs, 0, 0, minutes, null); // 10 steps an epoch
    java.util.List<Integer> at = new java.util.ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      now[0] += (long) (minutesPerEpoch * 60e9);
      if (k.checkpointAfterEpoch(e)) {
        at.add(e);
        k.onCheckpoint(e); // the trainer calls it once the checkpoint is written
      }
    }
    return at;
  }

  /**
   * --checkpoint-minutes: the default (10) writes none in a run shorter than 10 minutes; N writes one at the first epoch
   * end at least N minutes after the last one (or the start); 0 at every epoch end; never after the last epoch.
   */
  @Test void checkpointCadenceFollowsTheMinutesBetweenEpochEnds() {
    assertEquals(java.util.List.of(), checkpointEpochs(UserTraining.DEFAULT_CHECKPOINT_MINUTES, 9, 1),
        "9 one-minute epochs: no checkpoint with the default 10 minutes");
    assertEquals(java.util.List.of(), checkpointEpochs(10, 10, 1), "not after the last epoch (10 min)");
    assertEquals(java.util.List.of(3, 6, 9), checkpointEpochs(3, 10, 1));
    assertEquals(java.util.List.of(4, 8), checkpointEpochs(3, 10, 0.8), "the first epoch end at least 3 min after the last");
    assertEquals(java.util.List.of(1, 2, 3, 4), checkpointEpochs(0, 5, 0.01), "0: every epoch end but the last");
    assertEquals(java.util.List.of(2, 4), checkpointEpochs(0.5, 5, 0.3), "fractions of a minute");
  }
}
