package org.llkd.experiments.train;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.train.SelectionForward;
import org.llkd.selection.LlkdSelector;
import org.llkd.selection.Selectors;

/**
 * Everything one training run needs, validated once in the compact constructor, so that a bad value
 * fails before any data is read or any model is built.
 *
 * @param dataset dataset name under {@code dataRoot} (e.g. {@code emotion})
 * @param teacherFile teacher-output file (JSONL/NPY/NPZ/CSV/TSV), aligned to the train split by id
 * @param method selector name (see {@link Selectors#names()})
 * @param momentum EMA momentum λ of adaptive selectors; {@code NaN} = 1 − 5/steps (fit to the run length)
 * @param ratio kept fraction for random / topk / smallloss
 * @param initFromTeacher initialise LLKD's τ^T and m^T from the whole train split's teacher confidences
 * @param keepLayers student depth: the first k layers of all-MiniLM-L6-v2
 * @param maxLength tokenizer truncation length
 * @param trainRows use a seeded random subset of this many train rows (0 = all)
 * @param evalRows evaluate on the first this many dev/test rows (0 = all)
 * @param freezeWordEmbeddings keep the pretrained 30522×384 word-embedding table fixed (quick tier: AdamW then
 *     skips 11.7M of a 2-layer student's 15.5M parameters)
 * @param uncertainty LLKD's student-uncertainty measure (default ENTROPY; llkd* methods only)
 * @param weightForm LLKD's raw sample weight (default CONF_TIMES_UNC; llkd* methods only, applied before the
 *     ablation, so e.g. llkd-no-weighting stays uniform)
 * @param classWise LLKD's class-wise MaxNorm thresholds (default true; llkd* methods only)
 * @param selectionForward which forward the selector reads: SEPARATE (a no-dropout forward of all rows, then
 *     forward+backward of the selected rows; the full and tiny tiers, and every legacy quick-tier result) or SHARED
 *     (one forward of all rows, with dropout if any, feeds the selector and the backward of the selected rows only;
 *     faster, see {@link SelectionForward}; the quick and standard tiers, whose dropout is 0, so the selector reads the
 *     same logits either way)
 * @param lazyWordEmbeddings update only the word-embedding rows a batch touched (lazy AdamW, see
 *     {@code org.llkd.models.optim.AdamW}; standard and full tiers); false = dense AdamW over the whole table
 */
public record TrainConfig(
    String dataset, Path dataRoot, Path teacherFile, String method,
    double momentum, double ratio, double confidenceThreshold, double temperature, boolean initFromTeacher,
    int keepLayers, int maxLength, Pooling pooling, double dropout,
    int trainRows, int evalRows, int epochs, int batchSize, int evalBatchSize,
    double learningRate, double warmupFraction, double weightDecay, double maxGradNorm, long seed,
    LlkdSelector.Uncertainty uncertainty, LlkdSelector.WeightForm weightForm, boolean classWise,
    boolean freezeWordEmbeddings, SelectionForward selectionForward, boolean lazyWordEmbeddings) {

  /** Largest batch × sequence length accepted up front (activations grow with it; see README "Memory"). */
  public static final long MAX_TOKENS_PER_BATCH = 64L * 512;

  public TrainConfig {
    require(dataset != null && !dataset.isBlank(), "dataset", dataset, "a dataset name such as emotion");
    require(dataRoot != null, "dataRoot", dataRoot, "a directory");
    require(teacherFile != null, "teacherFile", teacherFile, "a teacher-output file");
    require(method != null && Selectors.names().contains(method), "method", method,
        "one of " + String.join(", ", Selectors.names()));
    require(Double.isNaN(momentum) || (momentum >= 0 && momentum < 1), "momentum", momentum, "in [0, 1) or NaN (auto)");
    require(ratio > 0 && ratio <= 1, "ratio", ratio, "in (0, 1]");
    require(confidenceThreshold >= 0 && confidenceThreshold <= 1, "confidenceThreshold", confidenceThreshold, "in [0, 1]");
    require(temperature > 0 && Double.isFinite(temperature), "temperature", temperature, "finite and > 0");
    require(keepLayers >= 1 && keepLayers <= 6, "keepLayers", keepLayers, "1..6 (all-MiniLM-L6-v2 has 6 layers)");
    require(maxLength >= 8 && maxLength <= 512, "maxLength", maxLength, "8..512");
    require(pooling != null, "pooling", pooling, "CLS or MEAN");
    require(dropout >= 0 && dropout < 1, "dropout", dropout, "in [0, 1)");
    require(trainRows >= 0, "trainRows", trainRows, ">= 0 (0 = all)");
    require(evalRows >= 0, "evalRows", evalRows, ">= 0 (0 = all)");
    require(epochs >= 1, "epochs", epochs, ">= 1");
    require(batchSize >= 1, "batchSize", batchSize, ">= 1");
    require(evalBatchSize >= 1, "evalBatchSize", evalBatchSize, ">= 1");
    require((long) batchSize * maxLength <= MAX_TOKENS_PER_BATCH, "batchSize x maxLength", (long) batchSize * maxLength,
        "<= " + MAX_TOKENS_PER_BATCH + " tokens per batch (activation memory; see docs/memory.md): lower batchSize or maxLength");
    require((long) evalBatchSize * maxLength <= 2 * MAX_TOKENS_PER_BATCH, "evalBatchSize x maxLength",
        (long) evalBatchSize * maxLength, "<= " + 2 * MAX_TOKENS_PER_BATCH + " tokens per batch");
    require(learningRate > 0 && learningRate < 1, "learningRate", learningRate, "in (0, 1)");
    require(warmupFraction >= 0 && warmupFraction < 1, "warmupFraction", warmupFraction, "in [0, 1)");
    require(weightDecay >= 0 && weightDecay < 1, "weightDecay", weightDecay, "in [0, 1)");
    require(maxGradNorm > 0, "maxGradNorm", maxGradNorm, "> 0 (use a large value to disable clipping)");
    require(uncertainty != null, "uncertainty", uncertainty, "one of ENTROPY, MARGIN, ONE_MINUS_MAXPROB");
    require(weightForm != null, "weightForm", weightForm, "one of CONF_TIMES_UNC, CONF, UNC, UNIFORM");
    require(selectionForward != null, "selectionForward", selectionForward, "SEPARATE or SHARED");
    require(!(lazyWordEmbeddings && freezeWordEmbeddings), "lazyWordEmbeddings", true,
        "false when freezeWordEmbeddings is true (a frozen table has no update to make lazy)");
    require(defaultLlkdChoices(uncertainty, weightForm, classWise) || method.startsWith("llkd"),
        "uncertainty/weightForm/classWise", uncertainty + "/" + weightForm + "/" + classWise + " for method " + method,
        "the defaults ENTROPY/CONF_TIMES_UNC/true: only llkd* selectors read these choices");
  }

  /** The 27-value form: the selector reads a separate no-dropout forward (SEPARATE), the default. */
  public TrainConfig(
      String dataset, Path dataRoot, Path teacherFile, String method,
      double momentum, double ratio, double confidenceThreshold, double temperature, boolean initFromTeacher,
      int keepLayers, int maxLength, Pooling pooling, double dropout,
      int trainRows, int evalRows, int epochs, int batchSize, int evalBatchSize,
      double learningRate, double warmupFraction, double weightDecay, double maxGradNorm, long seed,
      LlkdSelector.Uncertainty uncertainty, LlkdSelector.WeightForm weightForm, boolean classWise,
      boolean freezeWordEmbeddings) {
    this(dataset, dataRoot, teacherFile, method, momentum, ratio, confidenceThreshold, temperature, initFromTeacher,
        keepLayers, maxLength, pooling, dropout, trainRows, evalRows, epochs, batchSize, evalBatchSize,
        learningRate, warmupFraction, weightDecay, maxGradNorm, seed, uncertainty, weightForm, classWise,
        freezeWordEmbeddings, SelectionForward.SEPARATE, false);
  }

  /** The pre-sweep 23-value form: LLKD's selector choices at their defaults (entropy, c·u, class-wise). */
  public TrainConfig(
      String dataset, Path dataRoot, Path teacherFile, String method,
      double momentum, double ratio, double confidenceThreshold, double temperature, boolean initFromTeacher,
      int keepLayers, int maxLength, Pooling pooling, double dropout,
      int trainRows, int evalRows, int epochs, int batchSize, int evalBatchSize,
      double learningRate, double warmupFraction, double weightDecay, double maxGradNorm, long seed) {
    this(dataset, dataRoot, teacherFile, method, momentum, ratio, confidenceThreshold, temperature, initFromTeacher,
        keepLayers, maxLength, pooling, dropout, trainRows, evalRows, epochs, batchSize, evalBatchSize,
        learningRate, warmupFraction, weightDecay, maxGradNorm, seed,
        LlkdSelector.Uncertainty.ENTROPY, LlkdSelector.WeightForm.CONF_TIMES_UNC, true, false,
        SelectionForward.SEPARATE, false);
  }

  private static boolean defaultLlkdChoices(LlkdSelector.Uncertainty u, LlkdSelector.WeightForm w, boolean cw) {
    return u == LlkdSelector.Uncertainty.ENTROPY && w == LlkdSelector.WeightForm.CONF_TIMES_UNC && cw;
  }

  /** True when the LLKD selector choices are the spec's defaults (then the selector registry builds it unchanged). */
  public boolean defaultLlkdChoices() {
    return defaultLlkdChoices(uncertainty, weightForm, classWise);
  }

  /** {@code base} with this config's uncertainty measure, weight form and class-wise switch. */
  public LlkdSelector.Config applyLlkdChoices(LlkdSelector.Config base) {
    return base.withUncertainty(uncertainty).withWeightForm(weightForm).withClassWise(classWise);
  }

  private static void require(boolean ok, String name, Object found, String expected) {
    if (!ok) {
      throw new IllegalArgumentException("bad config value " + name + " = " + found + ": expected " + expected);
    }
  }

  /**
   * Quick tier, the README's first command: the standard tier's student and schedule (2 layers, trained word
   * embeddings updated lazily, no dropout, 64 tokens, lr 1e-4, 6% warm-up, SHARED selection forward) on 2,000 rows for
   * 3 epochs (189 steps), full dev and test splits. The committed tables use {@link #standard}.
   */
  public static TrainConfig quick(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return new TrainConfig(dataset, dataRoot, teacherFile, method, Double.NaN, 0.5, 0.9, 2.0, false,
        2, 64, Pooling.MEAN, 0.0, 2000, 0, 3, 32, 128, 1e-4, 0.06, 0.01, 1.0, seed, LlkdSelector.Uncertainty.ENTROPY,
        LlkdSelector.WeightForm.CONF_TIMES_UNC, true, false, SelectionForward.SHARED, true);
  }

  /**
   * Standard tier, used by every committed table: the first 2 layers of all-MiniLM-L6-v2 with mean pooling and
   * trained word embeddings, no dropout, 4,000 seeded train rows, 3 epochs of batch 32 (375 steps), 64 tokens, AdamW
   * lr 1e-4 wd 0.01, 6% linear warm-up then linear decay, full dev and test splits. The selector reads the training
   * forward itself (SHARED): without dropout it is the same no-dropout forward that SEPARATE would run again. Its gold
   * run reaches 0.87+ test accuracy on Emotion (docs/tiers.md).
   */
  public static TrainConfig standard(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return new TrainConfig(dataset, dataRoot, teacherFile, method, Double.NaN, 0.5, 0.9, 2.0, false,
        2, 64, Pooling.MEAN, 0.0, 4000, 0, 3, 32, 128, 1e-4, 0.06, 0.01, 1.0, seed, LlkdSelector.Uncertainty.ENTROPY,
        LlkdSelector.WeightForm.CONF_TIMES_UNC, true, false, SelectionForward.SHARED, true);
  }

  /** Paper-scale tier: the 6-layer pretrained student on the whole train split, 128 tokens, 3 epochs. */
  public static TrainConfig full(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return new TrainConfig(dataset, dataRoot, teacherFile, method, Double.NaN, 0.5, 0.9, 2.0, false,
        6, 128, Pooling.MEAN, 0.1, 0, 0, 3, 32, 64, 5e-5, 0.1, 0.01, 1.0, seed, LlkdSelector.Uncertainty.ENTROPY,
        LlkdSelector.WeightForm.CONF_TIMES_UNC, true, false, SelectionForward.SEPARATE, true);
  }

  /** A tiny config for smoke tests (finishes in seconds). */
  public static TrainConfig tiny(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return new TrainConfig(dataset, dataRoot, teacherFile, method, Double.NaN, 0.5, 0.9, 2.0, false,
        1, 32, Pooling.MEAN, 0.1, 64, 32, 2, 16, 32, 1e-4, 0.1, 0.01, 1.0, seed, LlkdSelector.Uncertainty.ENTROPY,
        LlkdSelector.WeightForm.CONF_TIMES_UNC, true, true);
  }

  /** This config with the word-embedding table frozen (quick tier) or trained. */
  public TrainConfig withFrozenWordEmbeddings(boolean frozen) {
    return with(c -> {
      c.freezeWordEmbeddings = frozen;
      if (frozen) c.lazyWordEmbeddings = false;
    });
  }

  /** This config with the trained word-embedding table updated lazily (touched rows) or densely. */
  public TrainConfig withLazyWordEmbeddings(boolean lazyRows) {
    return with(c -> c.lazyWordEmbeddings = lazyRows);
  }

  /** This config with the selector reading a SEPARATE no-dropout forward or the SHARED training forward. */
  public TrainConfig withSelectionForward(SelectionForward f) {
    return with(c -> c.selectionForward = f);
  }

  public TrainConfig withMethod(String m) {
    return with(c -> c.method = m);
  }

  public TrainConfig withSeed(long s) {
    return with(c -> c.seed = s);
  }

  public TrainConfig withRatio(double r) {
    return with(c -> c.ratio = r);
  }

  public TrainConfig withMomentum(double m) {
    return with(c -> c.momentum = m);
  }

  public TrainConfig withSchedule(int newEpochs, int newBatch, double lr) {
    return with(c -> {
      c.epochs = newEpochs;
      c.batchSize = newBatch;
      c.learningRate = lr;
    });
  }

  /** This config with tokenizer truncation at {@code length} tokens. */
  public TrainConfig withMaxLength(int length) {
    return with(c -> c.maxLength = length);
  }

  /** This config evaluating on the first {@code rows} dev/test rows (0 = all). */
  public TrainConfig withEvalRows(int rows) {
    return with(c -> c.evalRows = rows);
  }

  public TrainConfig withStudent(int layers, int rows) {
    return with(c -> {
      c.keepLayers = layers;
      c.trainRows = rows;
    });
  }

  public TrainConfig withInitFromTeacher(boolean on) {
    return with(c -> c.initFromTeacher = on);
  }

  /** This config with LLKD's selector choices (uncertainty measure, weight form, class-wise thresholds). */
  public TrainConfig withLlkdChoices(LlkdSelector.Uncertainty u, LlkdSelector.WeightForm w, boolean cw) {
    return with(c -> {
      c.uncertainty = u;
      c.weightForm = w;
      c.classWise = cw;
    });
  }

  /** A copy with {@code change} applied to its fields, validated again by the canonical constructor. */
  private TrainConfig with(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** The components as mutable fields: the one place, beside the record header, that lists all of them. */
  private static final class Fields {
    String dataset;
    Path dataRoot;
    Path teacherFile;
    String method;
    double momentum;
    double ratio;
    double confidenceThreshold;
    double temperature;
    boolean initFromTeacher;
    int keepLayers;
    int maxLength;
    Pooling pooling;
    double dropout;
    int trainRows;
    int evalRows;
    int epochs;
    int batchSize;
    int evalBatchSize;
    double learningRate;
    double warmupFraction;
    double weightDecay;
    double maxGradNorm;
    long seed;
    LlkdSelector.Uncertainty uncertainty;
    LlkdSelector.WeightForm weightForm;
    boolean classWise;
    boolean freezeWordEmbeddings;
    SelectionForward selectionForward;
    boolean lazyWordEmbeddings;

    Fields(TrainConfig c) {
      dataset = c.dataset;
      dataRoot = c.dataRoot;
      teacherFile = c.teacherFile;
      method = c.method;
      momentum = c.momentum;
      ratio = c.ratio;
      confidenceThreshold = c.confidenceThreshold;
      temperature = c.temperature;
      initFromTeacher = c.initFromTeacher;
      keepLayers = c.keepLayers;
      maxLength = c.maxLength;
      pooling = c.pooling;
      dropout = c.dropout;
      trainRows = c.trainRows;
      evalRows = c.evalRows;
      epochs = c.epochs;
      batchSize = c.batchSize;
      evalBatchSize = c.evalBatchSize;
      learningRate = c.learningRate;
      warmupFraction = c.warmupFraction;
      weightDecay = c.weightDecay;
      maxGradNorm = c.maxGradNorm;
      seed = c.seed;
      uncertainty = c.uncertainty;
      weightForm = c.weightForm;
      classWise = c.classWise;
      freezeWordEmbeddings = c.freezeWordEmbeddings;
      selectionForward = c.selectionForward;
      lazyWordEmbeddings = c.lazyWordEmbeddings;
    }

    TrainConfig build() {
      return new TrainConfig(dataset, dataRoot, teacherFile, method, momentum, ratio, confidenceThreshold, temperature,
          initFromTeacher, keepLayers, maxLength, pooling, dropout, trainRows, evalRows, epochs, batchSize,
          evalBatchSize, learningRate, warmupFraction, weightDecay, maxGradNorm, seed, uncertainty, weightForm,
          classWise, freezeWordEmbeddings, selectionForward, lazyWordEmbeddings);
    }
  }

  /** Short id for directories and CSV rows, e.g. {@code emotion-llkd-s1}. */
  public String runId() {
    return String.format(Locale.ROOT, "%s-%s-s%d", dataset, method, seed);
  }
}
