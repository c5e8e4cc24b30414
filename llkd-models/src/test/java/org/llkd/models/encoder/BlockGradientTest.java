package org.llkd.models.encoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llkd.models.params.NamedParams;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every hand-written block against central finite differences in DOUBLE, with the scalar loss
 * L = sum(out * R) for a fixed random R, on a padded batch (B = 3, T = 5; rows of length 5, 3, 2).
 */
class BlockGradientTest {
  static final int B = 3, T = 5;
  static final double[][] MASK = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 1, 0, 0, 0}};

  /** Parameters with non-trivial values: LN gains and biases and all biases random too, so no gradient is trivially structured. */
  static NamedParams randomParams(StudentConfig cfg, long seed) {
    NamedParams p = new NamedParams(cfg.paramSpecs(), DataType.DOUBLE);
    Random rnd = new Random(seed);
    for (ParamSpec s : p.specs()) {
      INDArray v = p.get(s.name());
      boolean gain = s.name().endsWith("LayerNorm.weight");
      double std = s.name().endsWith(".weight") && !gain ? 0.5 : 0.1;
      for (long i = 0; i < v.length(); i++) v.putScalar(i, (gain ? 1.0 : 0.0) + std * rnd.nextGaussian());
    }
    return p;
  }

  static INDArray randn(Random rnd, long... shape) {
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    for (long i = 0; i < a.length(); i++) a.putScalar(i, rnd.nextGaussian());
    return a;
  }

  static INDArray maskBias() {
    INDArray m = Nd4j.createFromArray(MASK);
    return m.rsub(1.0).muli(-10000.0); // [B, T]
  }

  static double dot(INDArray a, INDArray b) {
    return a.mul(b).sumNumber().doubleValue();
  }

  @Test
  void encoderLayerAllParametersAndInput() {
    StudentConfig cfg = StudentConfig.tiny();
    NamedParams params = randomParams(cfg, 1);
    NamedParams grads = params.zerosLike();
    EncoderLayer layer = new EncoderLayer(1, new ParamsAndGrads(params, grads), cfg);
    layer.bind(B, T);
    Random rnd = new Random(2);
    INDArray x = randn(rnd, (long) B * T, cfg.hiddenSize());   // [M, H]
    INDArray r = randn(rnd, (long) B * T, cfg.hiddenSize());   // [M, H]
    INDArray bias = maskBias();
    try (org.nd4j.linalg.api.rng.Random train = Nd4j.getRandomFactory().getNewRandomInstance(9)) {
      layer.forward(x, bias, train); // train mode keeps what backward reads; no dropout in this config
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    INDArray dx = layer.backward(r.dup()).dup();
    java.util.function.DoubleSupplier loss = () -> dot(layer.forward(x, bias, null), r);

    int checked = 0;
    for (ParamSpec s : params.specs()) {
      if (!s.name().startsWith("encoder.layer.1.")) continue;
      checked += GradCheck.check(s.name(), params.get(s.name()), grads.get(s.name()), loss, 40, rnd);
    }
    assertTrue(checked >= 16 * 8, "checked " + checked);
    GradCheck.check("x", x, dx, loss, 1000, rnd);
    layer.forward(x, bias, null); // eval mode keeps no K, V^T for the backward
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> layer.backward(r.dup()));
  }

  @Test
  void embeddingsAllTablesWithDuplicateIds() {
    StudentConfig cfg = StudentConfig.tiny();
    NamedParams params = randomParams(cfg, 3);
    NamedParams grads = params.zerosLike();
    Embeddings emb = new Embeddings(new ParamsAndGrads(params, grads), cfg);
    emb.bind(B, T);
    int[] ids = {1, 5, 5, 2, 9, 5, 1, 3, 0, 0, 15, 1, 0, 0, 0};
    int[] types = {0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0};
    emb.ids().assign(Nd4j.createFromArray(ids));
    emb.typeIds().assign(Nd4j.createFromArray(types));
    Random rnd = new Random(4);
    INDArray r = randn(rnd, (long) B * T, cfg.hiddenSize());
    emb.forward(null);
    emb.backward(r.dup());
    java.util.function.DoubleSupplier loss = () -> dot(emb.forward(null), r);
    for (ParamSpec s : params.specs()) {
      if (!s.name().startsWith("embeddings.")) continue;
      GradCheck.check(s.name(), params.get(s.name()), grads.get(s.name()), loss, 200, rnd);
    }
  }

  @ParameterizedTest
  @EnumSource(Pooling.class)
  void classifierHeadAndPooling(Pooling pooling) {
    StudentConfig cfg = StudentConfig.tiny(pooling, 0.0, DataType.DOUBLE);
    NamedParams params = randomParams(cfg, 5);
    NamedParams grads = params.zerosLike();
    ClassifierHead head = new ClassifierHead(new ParamsAndGrads(params, grads), cfg);
    INDArray mask = Nd4j.createFromArray(MASK);
    INDArray poolWeights = mask.divColumnVector(mask.sum(true, 1)); // [B, T]
    head.bind(B, T, poolWeights);
    Random rnd = new Random(6);
    INDArray h = randn(rnd, (long) B * T, cfg.hiddenSize());
    INDArray r = randn(rnd, B, cfg.numClasses());
    head.forward(h);
    INDArray dh = head.backward(r).dup();
    java.util.function.DoubleSupplier loss = () -> dot(head.forward(h), r);
    GradCheck.check("classifier.weight", params.get("classifier.weight"), grads.get("classifier.weight"), loss, 100, rnd);
    GradCheck.check("classifier.bias", params.get("classifier.bias"), grads.get("classifier.bias"), loss, 100, rnd);
    GradCheck.check("h", h, dh, loss, 1000, rnd);
    // padded positions get no gradient under MEAN; only position 0 does under CLS
    INDArray dh3 = dh.reshape(B, T, cfg.hiddenSize());
    assertTrue(dh3.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2), org.nd4j.linalg.indexing.NDArrayIndex.point(3),
        org.nd4j.linalg.indexing.NDArrayIndex.all()).norm1Number().doubleValue() == 0.0);
  }
}
