package org.llkd.bench;

import java.util.SplittableRandom;
import org.llkd.models.encoder.StudentConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Deterministic synthetic inputs shared by the benchmarks, shaped like the PyTorch reference's
 * ({@code torch_encoder_bench.py}): random ids, each row a random length in [T/2, T] (mask 1 on the
 * prefix, pad id 0 after it), token types 0; per-sample weights in [0, 1) with about 25% set to 0.
 */
final class BenchInputs {
  private BenchInputs() {}

  /** The student config named by a benchmark's {@code model} param. */
  static StudentConfig config(String model, int numClasses) {
    return switch (model) {
      case "minilm-l6" -> StudentConfig.miniLmL6(numClasses);
      case "tiny" -> new StudentConfig(StudentConfig.TINY, new StudentConfig.Head(numClasses,
          org.llkd.models.encoder.Pooling.MEAN), StudentConfig.BERT, DataType.FLOAT);
      default -> throw new IllegalArgumentException("model param '" + model + "': expected minilm-l6 or tiny");
    };
  }

  /** The config with both dropout rates set to {@code dropout} (the torch reference default is 0). */
  static StudentConfig config(String model, int numClasses, double dropout) {
    return config(model, numClasses).withDropout(dropout, dropout);
  }

  /** One batch of encoder inputs: ids, mask and types, each [batch, seqLen], as Java arrays and INDArrays. */
  record Batch(long[][] ids, long[][] mask, long[][] types, INDArray idsArray, INDArray maskArray, INDArray typesArray) {
    int size() { return ids.length; }

    /** The rows {@code rows} as a new batch (what the trainer's sub-batch gather does). */
    Batch rows(int[] rows) {
      long[][] i = new long[rows.length][], m = new long[rows.length][], t = new long[rows.length][];
      for (int j = 0; j < rows.length; j++) {
        i[j] = ids[rows[j]];
        m[j] = mask[rows[j]];
        t[j] = types[rows[j]];
      }
      return of(i, m, t);
    }

    static Batch of(long[][] ids, long[][] mask, long[][] types) {
      return new Batch(ids, mask, types, Nd4j.createFromArray(ids), Nd4j.createFromArray(mask), Nd4j.createFromArray(types));
    }
  }

  static Batch batch(StudentConfig cfg, int batch, int seqLen, long seed) {
    if (seqLen > cfg.maxPositions()) {
      throw new IllegalArgumentException("seqLen " + seqLen + " exceeds the model's maxPositions " + cfg.maxPositions());
    }
    SplittableRandom r = new SplittableRandom(seed);
    long[][] ids = new long[batch][seqLen];   // [batch, seq]
    long[][] mask = new long[batch][seqLen];  // [batch, seq]
    long[][] types = new long[batch][seqLen]; // [batch, seq] all 0
    for (int b = 0; b < batch; b++) {
      int len = Math.max(1, seqLen / 2 + r.nextInt(seqLen - seqLen / 2 + 1)); // [T/2, T]
      for (int t = 0; t < seqLen; t++) {
        boolean real = t < len;
        ids[b][t] = real ? r.nextInt(cfg.vocabSize()) : 0;
        mask[b][t] = real ? 1 : 0;
      }
    }
    return Batch.of(ids, mask, types);
  }

  /** Labels [batch] in [0, numClasses). */
  static int[] labels(int batch, int numClasses, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] y = new int[batch];
    for (int i = 0; i < batch; i++) y[i] = r.nextInt(numClasses);
    return y;
  }

  /** Weights [batch] in [0, 1), about a quarter set to 0, at least one positive (as the torch reference). */
  static INDArray weights(int batch, long seed, DataType dt) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] w = new double[batch];
    for (int i = 0; i < batch; i++) w[i] = r.nextDouble() < 0.25 ? 0.0 : r.nextDouble();
    w[0] = Math.max(w[0], 0.5);
    return Nd4j.createFromArray(w).castTo(dt); // [batch]
  }

  /**
   * Teacher probabilities [rows][numClasses]: a softmax of N(0, 2^2) logits with the first row class boosted
   * at random, so confidences spread over [1/C, 1) like an LLM teacher's.
   */
  static double[][] teacherProbs(int rows, int numClasses, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] p = new double[rows][numClasses];
    for (int i = 0; i < rows; i++) {
      double max = Double.NEGATIVE_INFINITY;
      int boost = r.nextInt(numClasses);
      double[] z = new double[numClasses];
      for (int k = 0; k < numClasses; k++) {
        z[k] = 2.0 * gaussian(r) + (k == boost ? 3.0 * r.nextDouble() : 0.0);
        max = Math.max(max, z[k]);
      }
      double sum = 0;
      for (int k = 0; k < numClasses; k++) sum += (p[i][k] = Math.exp(z[k] - max));
      for (int k = 0; k < numClasses; k++) p[i][k] /= sum;
    }
    return p;
  }

  /** Student-like logits [rows, numClasses], N(0, 1.5^2), FLOAT. */
  static INDArray logits(int rows, int numClasses, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] z = new double[rows][numClasses];
    for (int i = 0; i < rows; i++) for (int k = 0; k < numClasses; k++) z[i][k] = 1.5 * gaussian(r);
    return Nd4j.createFromArray(z).castTo(DataType.FLOAT); // [rows, C]
  }

  static long[] ids(int rows) {
    long[] ids = new long[rows];
    for (int i = 0; i < rows; i++) ids[i] = i;
    return ids;
  }

  private static double gaussian(SplittableRandom r) { // Box-Muller, one draw
    double u = 1.0 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
