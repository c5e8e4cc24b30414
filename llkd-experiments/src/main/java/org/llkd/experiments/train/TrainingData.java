package org.llkd.experiments.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.TextDataset;
import org.llkd.models.label.PseudoLabel;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import org.llkd.selection.teacher.TeacherFormatException;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputs;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The data of one run: the (sub-sampled) train split with its aligned teacher probabilities and
 * pseudo-labels, and the dev and test evaluation rows, all tokenized once.
 *
 * <p>Built from {@link TrainingSources} (the dataset catalog, or a user's files). Gold train labels are kept for
 * analysis only (teacher accuracy of the selected rows) and for the gold upper bound; no other selector sees them.
 * A train row without gold has {@link Sample#NO_LABEL}; dev and test may be absent (null, with empty row sets).
 */
public final class TrainingData {
  public final TextDataset train;
  public final TextDataset dev;
  public final TextDataset test;
  public final TeacherOutputs teacher;     // aligned to the whole train split
  public final int[] rows;                 // dataset indices of the training subset, ascending [n]
  public final double[][] teacherProbs;    // [n][C], subset order
  public final int[] pseudoLabels;         // [n] teacher argmax (first index on ties)
  public final int[] goldLabels;           // [n] analysis only
  public final TokenizedSplit trainTokens; // [n]
  public final int[] devRows;
  public final int[] testRows;
  public final TokenizedSplit devTokens;
  public final TokenizedSplit testTokens;
  private final boolean trainHasGold;

  /** The catalog dataset of {@code cfg} (see {@link TrainingSources#catalog}). */
  public TrainingData(TrainConfig cfg, WordPieceTokenizer tokenizer, long dataSeed) {
    this(cfg, TrainingSources.catalog(cfg), tokenizer, dataSeed);
  }

  public TrainingData(TrainConfig cfg, TrainingSources sources, WordPieceTokenizer tokenizer, long dataSeed) {
    this.train = sources.train();
    this.dev = sources.dev();
    this.test = sources.test();
    this.teacher = sources.teacher();
    this.trainHasGold = train.fullyLabelled();

    this.rows = subset(train.size(), cfg.data().trainRows(), dataSeed);
    int n = rows.length;
    this.teacherProbs = new double[n][];
    this.pseudoLabels = new int[n];
    this.goldLabels = new int[n];
    List<String> texts = new ArrayList<>(n);
    double[][] all = teacher.probs();
    for (int j = 0; j < n; j++) {
      teacherProbs[j] = all[rows[j]];
      pseudoLabels[j] = PseudoLabel.argmax(teacherProbs[j]);
      goldLabels[j] = train.get(rows[j]).label();
      texts.add(train.get(rows[j]).text());
    }
    this.trainTokens = new TokenizedSplit(tokenizer, texts);
    this.devRows = dev == null ? new int[0] : EvalRows.head(dev, cfg.data().evalRows());
    this.testRows = test == null ? new int[0] : EvalRows.head(test, cfg.data().evalRows());
    this.devTokens = dev == null ? null : new TokenizedSplit(tokenizer, textsOf(dev, devRows));
    this.testTokens = test == null ? null : new TokenizedSplit(tokenizer, textsOf(test, testRows));
  }

  /** Whether every train row has a gold label (else the teacher-vs-gold analysis columns are NaN). */
  public boolean trainHasGold() { return trainHasGold; }

  /**
   * Runs a reader of input files; a format error in a dataset or teacher file is bad input, not a failed
   * run, so it is an {@link IllegalArgumentException} with the reader's message (file, line, expected,
   * found, fix): the CLI prints it as one line and exits 2, and the run grid stops instead of recording
   * every run as failed. A dataset's {@link org.llkd.experiments.textfile.TextFileException} is one already; a
   * {@link TeacherFormatException} is wrapped.
   */
  public static <T> T input(Supplier<T> read) {
    try {
      return read.get();
    } catch (TeacherFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The teacher outputs of {@code split} aligned to {@code ids} and {@code labelNames}; bad input as IAE. */
  public static TeacherOutputs readTeacher(Path file, String split, List<String> ids, List<String> labelNames) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("teacher file " + file + " does not exist; export it with `llkd teacher "
          + "export` or pass another teacher file");
    }
    return input(() -> TeacherOutputReader.read(file).forSplit(split).alignTo(ids, labelNames));
  }

  public int size() { return rows.length; }

  public int numClasses() { return train.labels().size(); }

  /** Teacher probabilities of the subset rows {@code local} as a DOUBLE matrix [B, C]. */
  public INDArray teacherBatch(int[] local) {
    double[][] m = new double[local.length][];
    for (int i = 0; i < local.length; i++) m[i] = teacherProbs[local[i]];
    return Nd4j.createFromArray(m); // [B, C]
  }

  /** All subset teacher probabilities [n, C] (for initialising thresholds from the teacher). */
  public INDArray allTeacherProbs() {
    return Nd4j.createFromArray(teacherProbs); // [n, C]
  }

  public int[] gold(TextDataset ds, int[] idx) {
    int[] g = new int[idx.length];
    for (int i = 0; i < idx.length; i++) g[i] = ds.get(idx[i]).label();
    return g;
  }

  static int[] subset(int total, int wanted, long seed) {
    if (wanted == 0 || wanted >= total) {
      int[] all = new int[total];
      for (int i = 0; i < total; i++) all[i] = i;
      return all;
    }
    int[] perm = permutation(total, new Random(seed));
    int[] pick = Arrays.copyOf(perm, wanted);
    Arrays.sort(pick);
    return pick;
  }

  /** A Fisher–Yates permutation of 0..n-1 drawn from {@code rng}. */
  static int[] permutation(int n, Random rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static List<String> textsOf(TextDataset ds, int[] idx) {
    List<String> t = new ArrayList<>(idx.length);
    for (int i : idx) t.add(ds.get(i).text());
    return t;
  }
}
