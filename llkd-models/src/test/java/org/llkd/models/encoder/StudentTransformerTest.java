package org.llkd.models.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StudentTransformerTest {
  // padded batch [3, 5]: lengths 5, 3, 2; padded positions hold arbitrary ids
  static final int[][] IDS = {{2, 7, 7, 1, 15}, {3, 9, 4, 0, 0}, {2, 11, 0, 0, 0}};
  static final int[][] TYPES = {{0, 0, 1, 1, 1}, {0, 1, 1, 0, 0}, {0, 0, 0, 0, 0}};
  static final int[][] MASK = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 1, 0, 0, 0}};
  static final int[] LABELS = {2, 0, 1};

  static INDArray ints(int[][] v) { return Nd4j.createFromArray(v); } // INT [B, T]

  @ParameterizedTest
  @EnumSource(Pooling.class)
  void endToEndGradientWithWeightedCrossEntropy(Pooling pooling) {
    StudentConfig cfg = StudentConfig.tiny(pooling, 0.0, DataType.DOUBLE);
    StudentTransformer model = new StudentTransformer(cfg, BlockGradientTest.randomParams(cfg, 21));
    INDArray ids = ints(IDS).castTo(DataType.LONG), mask = ints(MASK), types = ints(TYPES);
    INDArray w = Nd4j.createFromArray(0.7, 0.0, 1.6);
    model.grads().flat().assign(0);
    INDArray logits = model.forwardTrain(ids, mask, types, 99);
    model.backward(WeightedCrossEntropy.compute(logits, LABELS, w).dLogits());
    DoubleSupplier loss = () -> WeightedCrossEntropy.compute(model.forwardLogits(ids, mask, types), LABELS, w).loss();
    Random rnd = new Random(22);
    int tensors = 0;
    for (ParamSpec s : model.params().specs()) {
      GradCheck.check(s.name(), model.params().get(s.name()), model.grads().get(s.name()), loss, 30, rnd);
      tensors++;
    }
    assertEquals(5 + 16 * 2 + 2, tensors);
    // the rows the ids use have gradient, an unused vocabulary row has exactly none
    INDArray word = model.grads().get("embeddings.word_embeddings.weight");
    assertTrue(word.getRow(7).norm1Number().doubleValue() > 0);
    assertEquals(0.0, word.getRow(5).norm1Number().doubleValue(), 0.0);
  }

  @Test
  void parameterCountMatchesFormulaAndReferenceModel() {
    StudentConfig tiny = StudentConfig.tiny();
    // by hand: emb (16 + 8 + 2) * 8 + 16 = 224; layer 4 * 72 + 16 + 144 + 136 + 16 = 600; head 8 * 3 + 3 = 27
    assertEquals(224 + 2 * 600 + 27, tiny.parameterCount());
    assertEquals(tiny.parameterCount(), new NamedParams(tiny.paramSpecs(), DataType.DOUBLE).count());
    StudentConfig mini = StudentConfig.miniLmL6(2);
    long sum = 0;
    for (ParamSpec s : mini.paramSpecs()) sum += s.length();
    assertEquals(22_566_146L, sum, "torch ref model (shared/ref) with 2 classes");
    assertEquals(22_566_146L, mini.parameterCount());
    assertEquals(5 + 16 * 6 + 2, mini.paramSpecs().size());
    assertEquals("encoder.layer.5.attention.output.LayerNorm.bias", mini.paramSpecs().get(5 + 16 * 5 + 9).name());
    assertArrayEquals(new long[] {384, 1536}, mini.paramSpecs().get(5 + 10).shape()); // intermediate.dense.weight [in, out]
  }

  @Test
  void sameSeedGivesBitwiseIdenticalLogitsAndGradsAndDropoutActs() {
    StudentConfig cfg = StudentConfig.tiny(Pooling.MEAN, 0.1, DataType.FLOAT);
    INDArray ids = ints(IDS), mask = ints(MASK), types = ints(TYPES);
    INDArray dLogits = Nd4j.createFromArray(new float[][] {{0.3f, -0.1f, 0.2f}, {0.5f, 0.4f, -1f}, {0f, 0.2f, -0.2f}});
    double[][] logits = new double[2][];
    double[][] grads = new double[2][];
    for (int run = 0; run < 2; run++) {
      StudentTransformer m = StudentTransformer.initRandom(cfg, 42);
      logits[run] = m.forwardTrain(ids, mask, types, 7).reshape(9).toDoubleVector();
      m.backward(dLogits);
      grads[run] = m.grads().flat().toDoubleVector();
    }
    assertArrayEquals(logits[0], logits[1], 0.0);
    assertArrayEquals(grads[0], grads[1], 0.0);
    assertTrue(java.util.Arrays.stream(grads[0]).anyMatch(g -> g != 0));

    StudentTransformer m = StudentTransformer.initRandom(cfg, 42);
    double[] eval = m.forwardLogits(ids, mask, types).reshape(9).toDoubleVector();
    double[] seed8 = m.forwardTrain(ids, mask, types, 8).reshape(9).toDoubleVector();
    double[] seed7 = m.forwardTrain(ids, mask, types, 7).reshape(9).toDoubleVector();
    assertArrayEquals(logits[0], seed7, 0.0);
    assertFalse(java.util.Arrays.equals(eval, seed7), "dropout must change train-mode logits");
    assertFalse(java.util.Arrays.equals(seed8, seed7), "another dropout seed must give other masks");
    StudentTransformer other = StudentTransformer.initRandom(cfg, 43);
    assertFalse(java.util.Arrays.equals(eval, other.forwardLogits(ids, mask, types).reshape(9).toDoubleVector()));

    // without dropout, train mode equals eval mode exactly
    StudentTransformer noDrop = new StudentTransformer(cfg.withDropout(0, 0), m.params());
    assertArrayEquals(eval, noDrop.forwardTrain(ids, mask, types, 7).reshape(9).toDoubleVector(), 0.0);
  }

  @Test
  void backwardAccumulatesAndNeedsAFreshForwardTrain() {
    StudentConfig cfg = StudentConfig.tiny();
    StudentTransformer m = new StudentTransformer(cfg, BlockGradientTest.randomParams(cfg, 5));
    INDArray ids = ints(IDS), mask = ints(MASK);
    INDArray d = Nd4j.createFromArray(new double[][] {{1, 0, -1}, {0.5, 0.5, -1}, {0, 0, 0}});
    m.forwardTrain(ids, mask, null, 1);
    m.backward(d);
    INDArray once = m.grads().flat().dup();
    assertThrows(IllegalStateException.class, () -> m.backward(d));
    m.forwardTrain(ids, mask, null, 1);
    m.forwardLogits(ids, mask, null);
    assertThrows(IllegalStateException.class, () -> m.backward(d));
    m.forwardTrain(ids, mask, null, 1);
    m.backward(d);
    assertTrue(m.grads().flat().equalsWithEps(once.mul(2), 1e-12));
    m.forwardTrain(ids, mask, null, 1);
    assertThrows(IllegalArgumentException.class, () -> m.backward(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
  }

  @ParameterizedTest
  @EnumSource(Pooling.class)
  void paddingIsInvisibleAndShapesCanChange(Pooling pooling) {
    StudentConfig cfg = StudentConfig.tiny(pooling, 0.0, DataType.DOUBLE);
    StudentTransformer m = new StudentTransformer(cfg, BlockGradientTest.randomParams(cfg, 8));
    int[][] ids = {{2, 7, 7, 0, 0}, {3, 9, 4, 0, 0}, {2, 11, 0, 0, 0}};
    int[][] mask = {{1, 1, 1, 0, 0}, {1, 1, 1, 0, 0}, {1, 1, 0, 0, 0}};
    INDArray a = m.forwardLogits(ints(ids), ints(mask), null);
    int[][] otherPad = {{2, 7, 7, 13, 4}, {3, 9, 4, 5, 1}, {2, 11, 8, 8, 8}};
    INDArray b = m.forwardLogits(ints(otherPad), ints(mask), null);
    assertTrue(a.equalsWithEps(b, 1e-12), "ids under mask 0 must not matter");
    int[][] ids3 = {{2, 7, 7}, {3, 9, 4}, {2, 11, 0}};
    int[][] mask3 = {{1, 1, 1}, {1, 1, 1}, {1, 1, 0}};
    INDArray c = m.forwardLogits(ints(ids3), ints(mask3), null); // shorter T: buffers re-viewed
    assertTrue(a.equalsWithEps(c, 1e-12), "trailing padding must not matter");
    INDArray again = m.forwardLogits(ints(ids), ints(mask), null);
    assertArrayEquals(a.reshape(9).toDoubleVector(), again.reshape(9).toDoubleVector(), 0.0);
    INDArray single = m.forwardLogits(ints(new int[][] {{3, 9, 4}}), ints(new int[][] {{1, 1, 1}}), null);
    assertTrue(single.getRow(0).equalsWithEps(a.getRow(1), 1e-12), "a row must not depend on its batch");
  }

  @Test
  void encodeReturnsAFreshCopyAndFloatAgreesWithDouble() {
    StudentConfig cfg = StudentConfig.tiny(Pooling.MEAN, 0.0, DataType.DOUBLE);
    NamedParams p = BlockGradientTest.randomParams(cfg, 9);
    StudentTransformer d = new StudentTransformer(cfg, p);
    INDArray h = d.encode(ints(IDS), ints(MASK), ints(TYPES));
    assertArrayEquals(new long[] {3, 5, 8}, h.shape());
    INDArray copy = h.dup();
    h.assign(0);
    assertTrue(d.encode(ints(IDS), ints(MASK), ints(TYPES)).equalsWithEps(copy, 0.0));
    StudentTransformer f = new StudentTransformer(cfg.withDataType(DataType.FLOAT),
        NamedParams.wrap(cfg.paramSpecs(), p.flat().castTo(DataType.FLOAT)));
    INDArray lf = f.forwardLogits(ints(IDS), ints(MASK), ints(TYPES));
    assertEquals(DataType.FLOAT, lf.dataType());
    assertTrue(lf.castTo(DataType.DOUBLE).equalsWithEps(d.forwardLogits(ints(IDS), ints(MASK), ints(TYPES)), 1e-4));
  }

  @Test
  void rejectsBadInputsWithPositions() {
    StudentTransformer m = StudentTransformer.initRandom(StudentConfig.tiny(), 1);
    int[][] bad = {{2, 7, 16, 1, 15}, {3, 9, 4, 0, 0}, {2, 11, 0, 0, 0}};
    String e1 = assertThrows(IllegalArgumentException.class, () -> m.forwardLogits(ints(bad), ints(MASK), null)).getMessage();
    assertTrue(e1.contains("inputIds[0, 2] = 16") && e1.contains("[0, 16)"), e1);
    int[][] emptyRow = {{1, 1, 1, 1, 1}, {0, 0, 0, 0, 0}, {1, 1, 0, 0, 0}};
    String e2 = assertThrows(IllegalArgumentException.class, () -> m.forwardLogits(ints(IDS), ints(emptyRow), null)).getMessage();
    assertTrue(e2.contains("row 1 has no token"), e2);
    String e3 = assertThrows(IllegalArgumentException.class,
        () -> m.forwardLogits(Nd4j.zeros(DataType.INT, 1, 9), Nd4j.ones(DataType.INT, 1, 9), null)).getMessage();
    assertTrue(e3.contains("seqLen 9 exceeds maxPositions 8"), e3);
    String e4 = assertThrows(IllegalArgumentException.class, () -> m.forwardLogits(ints(IDS), ints(MASK), ints(bad))).getMessage();
    assertTrue(e4.contains("tokenTypeIds[0, 0] = 2"), e4);
    assertThrows(IllegalArgumentException.class,
        () -> new StudentTransformer(StudentConfig.tiny(), new NamedParams(StudentConfig.miniLmL6(3).paramSpecs().subList(0, 3), DataType.DOUBLE)));
    assertThrows(IllegalArgumentException.class, () -> new StudentConfig(new StudentConfig.Shape(16, 9, 2, 2, 16, 8, 2),
        new StudentConfig.Head(3, Pooling.CLS), new StudentConfig.Regularisation(0, 0, 1e-12), DataType.DOUBLE));
  }

  /** The grouped record prints as the flat one did (run logs hold it) and copies keep every other value. */
  @Test
  void configPrintsFlatAndWithersChangeOneValue() {
    StudentConfig m = StudentConfig.miniLmL6(5);
    assertEquals("StudentConfig[vocabSize=30522, hiddenSize=384, numLayers=6, numHeads=12, intermediateSize=1536, "
        + "maxPositions=512, typeVocabSize=2, numClasses=5, pooling=MEAN, hiddenDropout=0.1, attentionDropout=0.1, "
        + "layerNormEps=1.0E-12, dataType=FLOAT]", m.toString());
    StudentConfig two = m.withNumLayers(2).withNumClasses(3);
    assertEquals(new StudentConfig(new StudentConfig.Shape(30522, 384, 2, 12, 1536, 512, 2),
        new StudentConfig.Head(3, Pooling.MEAN), StudentConfig.BERT, DataType.FLOAT), two);
    assertEquals(m.parameterCount() - 4 * (4L * 384 * 384 + 9L * 384 + 2L * 384 * 1536 + 1536) - 2 * 384 - 2,
        two.parameterCount());
  }
}
