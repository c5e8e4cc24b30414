package org.llkd.experiments.teacher.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.train.StudentFactory;
import org.llkd.experiments.train.TokenizedSplit;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.experiments.train.Trainer;
import org.llkd.experiments.train.TrainingSources;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.selection.teacher.TeacherOutputs;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The real {@link PlanStudent}: each round trains the student of {@code cfg} (method {@code all}: every labelled row
 * with its teacher pseudo-label; no dev/test evaluation) on the rows labelled so far, at least {@link #minSteps}
 * steps however few they are (the labelled rows repeated), and then scores the whole pool with the final model: normalised entropy of its
 * softmax (uncertainty) and the mask-mean of its last hidden states, L2-normalised (embedding).
 */
public final class PoolStudent implements PlanStudent {
  private final TrainConfig cfg;
  private final TextDataset pool;
  private final Path workDir;
  private final int minSteps;
  private TokenizedSplit poolTokens; // tokenized once, on the first round

  /**
   * @param cfg      the student and schedule of a round (its seed is the run's)
   * @param pool     the unlabelled pool (gold labels, if any, are never read here)
   * @param workDir  round directories go under it
   * @param minSteps lowest number of training steps of a round
   */
  public PoolStudent(TrainConfig cfg, TextDataset pool, Path workDir, int minSteps) {
    this.cfg = cfg.withMethod("all").withData(cfg.data().withTrainRows(0));
    this.pool = pool;
    this.workDir = workDir;
    this.minSteps = minSteps;
  }

  /**
   * {@code rows} of {@code ds}, each repeated {@code repeat} times in a row, as a train split of their own (ids
   * train-0..), with {@code probs} (one per row) as its teacher.
   */
  public static TrainingSources subset(TextDataset ds, List<Integer> rows, double[][] probs, TextDataset dev,
      TextDataset test, boolean keepGold, int repeat) {
    List<Sample> samples = new ArrayList<>(rows.size() * repeat);
    List<String> ids = new ArrayList<>(rows.size() * repeat);
    double[][] p = new double[rows.size() * repeat][];
    for (int r = 0; r < repeat; r++) {
      for (int i = 0; i < rows.size(); i++) {
        int k = r * rows.size() + i;
        Sample s = ds.get(rows.get(i));
        samples.add(new Sample(Split.TRAIN.sampleId(k), s.text(), keepGold ? s.label() : Sample.NO_LABEL));
        ids.add(Split.TRAIN.sampleId(k));
        p[k] = probs[i];
      }
    }
    TextDataset train = new TextDataset(ds.name(), Split.TRAIN, samples, ds.labels(), ds.source(), ds.sha256());
    TeacherOutputs t = TeacherOutputs.ofProbabilities(ids, ds.labels().names(), p, java.util.Map.of());
    return new TrainingSources(train, dev, test, t);
  }

  /**
   * How many times to repeat {@code rows} rows so that {@code c}'s epochs make at least {@code minSteps} steps (a
   * small labelled set is repeated within each epoch rather than given more epochs: the schedule and the number of
   * per-epoch checkpoints stay the tier's).
   */
  public static int repeats(TrainConfig c, int rows, int minSteps) {
    int k = 1;
    TrainConfig.Schedule s = c.schedule();
    while ((long) s.epochs() * ((long) rows * k + s.batchSize() - 1) / s.batchSize() < minSteps) k++;
    return k;
  }

  @Override
  public PoolScores fitAndScore(int round, List<Integer> labelled, double[][] teacherProbs) {
    TrainConfig c = cfg.withSeed(cfg.seed() * 1000 + round);
    TrainingSources src = subset(pool, labelled, teacherProbs, null, null, false, repeats(c, labelled.size(), minSteps));
    PoolScores[] out = new PoolScores[1];
    new Trainer(c, workDir.resolve("round-" + round)).withMonitor(new Trainer.Monitor() {
      @Override public void onFinish(StudentTransformer model) {
        out[0] = score(model, c);
      }
    }).train(() -> src);
    return out[0];
  }

  /** Entropy of softmax(z) divided by ln C: 0 = certain, 1 = uniform. */
  static double normalisedEntropy(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) max = Math.max(max, v);
    double sum = 0;
    for (double v : z) sum += Math.exp(v - max);
    double ent = 0;
    for (double v : z) {
      double p = Math.exp(v - max) / sum;
      if (p > 0) ent -= p * Math.log(p);
    }
    return ent / Math.log(z.length);
  }

  private PoolScores score(StudentTransformer model, TrainConfig c) {
    List<String> texts = pool.samples().stream().map(Sample::text).toList();
    if (poolTokens == null) poolTokens = new TokenizedSplit(StudentFactory.tokenizer(c.student().maxLength()), texts);
    TokenizedSplit tok = poolTokens;
    int n = texts.size();
    double[] u = new double[n];
    double[][] emb = new double[n][];
    int b = c.schedule().evalBatchSize();
    for (int s = 0; s < n; s += b) {
      int[] rows = new int[Math.min(b, n - s)];
      for (int i = 0; i < rows.length; i++) rows[i] = s + i;
      TokenizedSplit.Batch batch = tok.batch(rows);
      double[][] logits = model.forwardLogits(batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds())
          .castTo(DataType.DOUBLE).toDoubleMatrix();                                                   // [B][C]
      INDArray h = model.encode(batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds());       // [B, T, H]
      int bt = (int) h.size(1), hidden = (int) h.size(2);
      double[] hv = h.castTo(DataType.DOUBLE).dup('c').data().asDouble(); // [B*T*H], c order, offset 0
      double[][] mask = batch.attentionMask().castTo(DataType.DOUBLE).toDoubleMatrix();                // [B][T]
      for (int i = 0; i < rows.length; i++) {
        u[s + i] = normalisedEntropy(logits[i]);
        double[] e = new double[hidden];
        double count = 0;
        for (int t = 0; t < bt; t++) {
          if (mask[i][t] == 0) continue;
          count++;
          int off = (i * bt + t) * hidden;
          for (int k = 0; k < hidden; k++) e[k] += hv[off + k];
        }
        double norm = 0;
        for (int k = 0; k < hidden; k++) {
          e[k] /= Math.max(count, 1);
          norm += e[k] * e[k];
        }
        norm = Math.sqrt(Math.max(norm, 1e-24));
        for (int k = 0; k < hidden; k++) e[k] /= norm;
        emb[s + i] = e;
      }
    }
    return new PoolScores(u, emb);
  }
}
