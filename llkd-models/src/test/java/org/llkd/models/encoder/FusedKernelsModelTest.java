package org.llkd.models.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llkd.models.kernels.Kernels;
import org.llkd.models.params.ParamSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The whole student (all-MiniLM-L6-v2's shape: 6 layers, hidden 384, 12 heads, FLOAT, BERT dropout 0.1) with every
 * fused Vector API kernel (whether on by default or not) against the same student on the composed ND4J ops ({@code -Dllkd.kernels=nd4j}): eval
 * logits, train logits, every parameter gradient, also after {@code keepRows}. Padded rows of different lengths,
 * T = 40 (not a multiple of the vector length, so the kernels' scalar tails run too).
 *
 * <p>Tolerance: the two paths round differently in each GELU, softmax and LayerNorm (about 1e-7 relative per
 * element, KernelsTest), and these differences pass through 6 layers of float GEMMs; the logits must agree to
 * 1e-5 of their largest magnitude and each gradient tensor to 1e-4 in relative L2 norm (measured: 3e-7 of
 * logits of magnitude 0.7, and at most 7e-7). The attention key biases, whose gradient is analytically zero (softmax ignores a constant added
 * to a row), hold rounding noise of about 5e-10 on both paths and are checked to be below 1e-6. A kernel bug (a wrong
 * factor, a wrong row or a lost tail) moves them by far more than 1e-2.
 */
class FusedKernelsModelTest {
  static final int B = 4, T = 40;
  static final int[] LENGTHS = {40, 17, 33, 1};

  @AfterEach
  void clearSwitch() {
    System.clearProperty(Kernels.PROPERTY);
    System.clearProperty(Kernels.OPS_PROPERTY);
  }

  static INDArray[] inputs(StudentConfig cfg) {
    Random rnd = new Random(5);
    int[][] ids = new int[B][T], mask = new int[B][T], types = new int[B][T];
    for (int b = 0; b < B; b++) {
      for (int t = 0; t < LENGTHS[b]; t++) {
        ids[b][t] = rnd.nextInt(cfg.vocabSize());
        mask[b][t] = 1;
        types[b][t] = t > LENGTHS[b] / 2 ? 1 : 0;
      }
    }
    return new INDArray[] {Nd4j.createFromArray(ids), Nd4j.createFromArray(mask), Nd4j.createFromArray(types)};
  }

  /** {eval logits, train logits, gradients after a full backward, gradients after keepRows({1, 2}) and backward}. */
  static double[][] run(String kernels) {
    System.setProperty(Kernels.PROPERTY, kernels);
    System.setProperty(Kernels.OPS_PROPERTY, "gelu,softmax,layernorm"); // every fused kernel, default or not
    StudentConfig cfg = StudentConfig.miniLmL6(3);
    INDArray[] in = inputs(cfg);
    INDArray dLogits = Nd4j.createFromArray(new float[][] {{0.3f, -0.1f, -0.2f}, {0.5f, 0.4f, -0.9f},
        {-0.6f, 0.2f, 0.4f}, {0.1f, 0.1f, -0.2f}}); // [B, C]
    try (StudentTransformer m = StudentTransformer.initRandom(cfg, 42)) {
      double[] eval = m.forwardLogits(in[0], in[1], in[2]).dup().reshape(-1).toDoubleVector();
      m.zeroGrads();
      double[] train = m.forwardTrain(in[0], in[1], in[2], 7).dup().reshape(-1).toDoubleVector();
      m.backward(dLogits);
      double[] grads = m.grads().flat().toDoubleVector();
      m.zeroGrads();
      m.forwardTrain(in[0], in[1], in[2], 8);
      m.keepRows(new int[] {1, 2});
      m.backward(dLogits.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3), org.nd4j.linalg.indexing.NDArrayIndex.all()));
      double[] kept = m.grads().flat().toDoubleVector();
      return new double[][] {eval, train, grads, kept};
    } finally {
      System.clearProperty(Kernels.PROPERTY);
      System.clearProperty(Kernels.OPS_PROPERTY);
    }
  }

  @Test
  void fusedKernelsGiveTheLogitsAndGradientsOfTheNd4jOps() {
    long[] before = new long[Kernels.Op.values().length];
    for (Kernels.Op op : Kernels.Op.values()) before[op.ordinal()] = Kernels.fallbacks(op);
    double[][] vec = run("vector");
    for (Kernels.Op op : Kernels.Op.values()) {
      assertTrue(Kernels.fallbacks(op) == before[op.ordinal()], op + ": every call of the FLOAT student fits the kernels");
    }
    double[][] nd = run("nd4j");
    for (int i = 0; i < 2; i++) {
      double scale = Arrays.stream(nd[i]).map(Math::abs).max().orElseThrow();
      assertArrayEquals(nd[i], vec[i], 1e-5 * scale, (i == 0 ? "eval" : "train") + " logits");
    }
    assertFalse(Arrays.equals(nd[0], vec[0]), "the switch must change the path (rounding differs)");
    StudentConfig cfg = StudentConfig.miniLmL6(3);
    for (int g = 2; g < 4; g++) {
      long at = 0;
      int nonzero = 0;
      for (ParamSpec s : cfg.paramSpecs()) {
        double diff = 0, norm = 0;
        for (long k = at; k < at + s.length(); k++) {
          double d = vec[g][(int) k] - nd[g][(int) k];
          diff += d * d;
          norm += nd[g][(int) k] * nd[g][(int) k];
        }
        at += s.length();
        if (norm == 0) {
          assertTrue(diff == 0, s.name() + ": zero gradient on one path only");
          continue;
        }
        nonzero++;
        double rel = Math.sqrt(diff / norm);
        if (s.name().endsWith("attention.self.key.bias")) {
          // analytically zero (softmax is invariant to a constant added to a row of scores): rounding noise only
          assertTrue(Math.sqrt(norm) < 1e-6 && Math.sqrt(diff) < 1e-6, s.name() + ": " + Math.sqrt(norm));
          continue;
        }
        assertTrue(rel <= 1e-4, (g == 2 ? "full" : "keepRows") + " gradient " + s.name() + ": relative L2 difference " + rel);
      }
      assertTrue(nonzero >= 5 + 16 * 6, "gradients of every tensor: " + nonzero);
    }
  }

  @Test
  void fusedKernelsAreDeterministicRunToRun() {
    double[][] a = run("vector"), b = run("vector");
    for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], 0.0, "output " + i);
  }
}
