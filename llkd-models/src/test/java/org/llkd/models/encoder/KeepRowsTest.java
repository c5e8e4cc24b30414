package org.llkd.models.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.llkd.models.params.NamedParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link StudentTransformer#keepRows}: a dropout forward of the whole batch, narrowed to some rows, then a backward of
 * those rows gives the gradients of a backward of the whole batch whose dL/dlogits is zero on the other rows (the
 * oracle: the full-batch backward, itself checked against finite differences in StudentTransformerTest). DOUBLE,
 * dropout 0.2 on every site, a padded batch of 6 rows with 3 token types.
 */
class KeepRowsTest {
  static final int B = 6, T = 7;
  static final int[][] LENGTHS = {{7}, {3}, {5}, {1}, {6}, {2}};

  static INDArray ids(Random rnd, int vocab) {
    int[][] v = new int[B][T];
    for (int b = 0; b < B; b++) for (int t = 0; t < T; t++) v[b][t] = rnd.nextInt(vocab);
    return Nd4j.createFromArray(v);
  }

  static INDArray mask() {
    int[][] m = new int[B][T];
    for (int b = 0; b < B; b++) for (int t = 0; t < LENGTHS[b][0]; t++) m[b][t] = 1;
    return Nd4j.createFromArray(m);
  }

  static INDArray types(Random rnd) {
    int[][] v = new int[B][T];
    for (int b = 0; b < B; b++) for (int t = 0; t < T; t++) v[b][t] = rnd.nextInt(2);
    return Nd4j.createFromArray(v);
  }

  @ParameterizedTest
  @EnumSource(Pooling.class)
  void narrowedBackwardEqualsFullBackwardWithZeroRowGradients(Pooling pooling) {
    StudentConfig cfg = StudentConfig.tiny(pooling, 0.2, DataType.DOUBLE);
    NamedParams params = BlockGradientTest.randomParams(cfg, 3);
    Random rnd = new Random(4);
    INDArray ids = ids(rnd, cfg.vocabSize()), mask = mask(), types = types(rnd);
    INDArray dAll = BlockGradientTest.randn(rnd, B, cfg.numClasses()); // [B, C]
    for (int[] rows : new int[][] {{1, 3, 4}, {0}, {5}, {0, 2, 3, 5}, {0, 1, 2, 3, 4, 5}}) {
      StudentTransformer full = new StudentTransformer(cfg, NamedParams.wrap(params.specs(), params.flat().dup()));
      INDArray zFull = full.forwardTrain(ids, mask, types, 11);
      INDArray dMasked = Nd4j.zeros(DataType.DOUBLE, B, cfg.numClasses());
      for (int r : rows) dMasked.putRow(r, dAll.getRow(r));
      full.backward(dMasked);

      StudentTransformer narrow = new StudentTransformer(cfg, NamedParams.wrap(params.specs(), params.flat().dup()));
      INDArray zNarrow = narrow.forwardTrain(ids, mask, types, 11);
      assertArrayEquals(zFull.reshape(-1).toDoubleVector(), zNarrow.reshape(-1).toDoubleVector(), 0.0);
      narrow.keepRows(rows);
      narrow.backward(Nd4j.pullRows(dAll, 1, rows)); // [k, C]

      double[] want = full.grads().flat().toDoubleVector();
      double[] got = narrow.grads().flat().toDoubleVector();
      double scale = 0;
      for (double w : want) scale = Math.max(scale, Math.abs(w));
      assertTrue(scale > 0);
      assertArrayEquals(want, got, 1e-12 * scale, pooling + " rows " + java.util.Arrays.toString(rows));
    }
  }

  @Test
  void aNarrowedModelRunsFullBatchesAgainAndRefusesBadRows() {
    StudentConfig cfg = StudentConfig.tiny(Pooling.MEAN, 0.1, DataType.DOUBLE);
    StudentTransformer m = new StudentTransformer(cfg, BlockGradientTest.randomParams(cfg, 5));
    Random rnd = new Random(6);
    INDArray ids = ids(rnd, cfg.vocabSize()), mask = mask();
    double[] before = m.forwardLogits(ids, mask, null).reshape(-1).toDoubleVector();
    m.forwardTrain(ids, mask, null, 1);
    m.keepRows(new int[] {2, 4});
    m.backward(Nd4j.ones(DataType.DOUBLE, 2, cfg.numClasses()));
    assertArrayEquals(before, m.forwardLogits(ids, mask, null).reshape(-1).toDoubleVector(), 0.0);

    assertThrows(IllegalStateException.class, () -> m.keepRows(new int[] {0})); // no forwardTrain before
    m.forwardTrain(ids, mask, null, 1);
    for (int[] bad : new int[][] {{}, {3, 3}, {4, 2}, {-1}, {B}}) {
      String msg = assertThrows(IllegalArgumentException.class, () -> m.keepRows(bad)).getMessage();
      assertTrue(msg.startsWith("keepRows: expected"), msg);
    }
    m.keepRows(new int[] {0, 5});
    String msg = assertThrows(IllegalArgumentException.class,
        () -> m.backward(Nd4j.ones(DataType.DOUBLE, B, cfg.numClasses()))).getMessage();
    assertTrue(msg.contains("expected shape [2, 3]"), msg);
  }
}
