package org.llkd.experiments.train;

import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.llkd.models.encoder.Pooling;
import org.llkd.models.train.SelectionForward;
import org.llkd.selection.LlkdSelector;
import org.llkd.selection.Selectors;

/**
 * Everything one training run needs, in five groups (nanoGPT's config, split as the tuning playbook splits a run):
 * {@link Data what it reads}, {@link Student the student}, {@link Schedule how it is optimised}, {@link Selector how
 * rows are selected} and {@link LlkdChoices LLKD's own choices}, plus the run's root seed. Each group is validated once,
 * in its compact constructor; what spans two groups (tokens per batch, a frozen table made lazy, LLKD choices for a
 * non-LLKD method) is validated here. A bad value fails before any data is read or any model is built.
 *
 * <p>Each tier has named defaults ({@link #tiny}, {@link #quick}, {@link #standard}, {@link #full}); a variant
 * replaces one group ({@code cfg.withSchedule(cfg.schedule().withLearningRate(3e-5))}).
 *
 * <p>Serialised form: {@link #flat()}, the 29 values under their pre-grouping names in their pre-grouping order
 * (plus {@code evaluateTrainRows} when it is on).
 * provenance.json's {@code config}, the resume checkpoint's config check ({@link RunCheckpoint}) and a sweep trial's
 * id hash ({@code SweepPlan.canonical}) are built from it, so run and sweep directories written before the grouping
 * still resume ({@code TrainConfigCompatibilityTest} pins the strings).
 *
 * @param data dataset, teacher file and row counts
 * @param student the student's shape and which embedding rows train
 * @param schedule epochs, batches and AdamW
 * @param selector selector name and its parameters
 * @param llkd LLKD's selector choices (llkd* methods only; the defaults otherwise)
 * @param seed root seed, split into named streams ({@link SeedStreams})
 */
public record TrainConfig(Data data, Student student, Schedule schedule, Selector selector, LlkdChoices llkd,
    long seed) {

  /** Largest batch × sequence length accepted up front (activations grow with it; see README "Memory"). */
  public static final long MAX_TOKENS_PER_BATCH = 64L * 512;

  public TrainConfig {
    require(data != null, "data", data, "a Data group");
    require(student != null, "student", student, "a Student group");
    require(schedule != null, "schedule", schedule, "a Schedule group");
    require(selector != null, "selector", selector, "a Selector group");
    require(llkd != null, "llkd", llkd, "an LlkdChoices group");
    long tokens = (long) schedule.batchSize() * student.maxLength();
    require(tokens <= MAX_TOKENS_PER_BATCH, "batchSize x maxLength", tokens, "<= " + MAX_TOKENS_PER_BATCH
        + " tokens per batch (activation memory; see docs/memory.md): lower batchSize or maxLength");
    long evalTokens = (long) schedule.evalBatchSize() * student.maxLength();
    require(evalTokens <= 2 * MAX_TOKENS_PER_BATCH, "evalBatchSize x maxLength", evalTokens,
        "<= " + 2 * MAX_TOKENS_PER_BATCH + " tokens per batch");
    require(llkd.isDefault() || selector.method().startsWith("llkd"), "uncertainty/weightForm/classWise",
        llkd.uncertainty() + "/" + llkd.weightForm() + "/" + llkd.classWise() + " for method " + selector.method(),
        "the defaults ENTROPY/CONF_TIMES_UNC/true: only llkd* selectors read these choices");
  }

  /**
   * What the run reads.
   *
   * @param dataset dataset name under {@code dataRoot} (e.g. {@code emotion})
   * @param dataRoot directory holding one folder per dataset
   * @param teacherFile teacher-output file (JSONL/NPY/NPZ/CSV/TSV), aligned to the train split by id
   * @param trainRows use a seeded random subset of this many train rows (0 = all)
   * @param evalRows evaluate on the first this many dev/test rows (0 = all)
   */
  public record Data(String dataset, Path dataRoot, Path teacherFile, int trainRows, int evalRows) {
    public Data {
      require(dataset != null && !dataset.isBlank(), "dataset", dataset, "a dataset name such as emotion");
      require(dataRoot != null, "dataRoot", dataRoot, "a directory");
      require(teacherFile != null, "teacherFile", teacherFile, "a teacher-output file");
      require(trainRows >= 0, "trainRows", trainRows, ">= 0 (0 = all)");
      require(evalRows >= 0, "evalRows", evalRows, ">= 0 (0 = all)");
    }

    public Data withTrainRows(int rows) {
      return new Data(dataset, dataRoot, teacherFile, rows, evalRows);
    }

    public Data withEvalRows(int rows) {
      return new Data(dataset, dataRoot, teacherFile, trainRows, rows);
    }

    /** The same dataset and teacher under other roots (a sweep directory shared between machines). */
    public Data withFiles(Path newDataRoot, Path newTeacherFile) {
      return new Data(dataset, newDataRoot, newTeacherFile, trainRows, evalRows);
    }
  }

  /**
   * The student: the first {@code keepLayers} layers of all-MiniLM-L6-v2.
   *
   * @param keepLayers student depth (1..6)
   * @param maxLength tokenizer truncation length
   * @param pooling sentence pooling before the classifier
   * @param dropout dropout probability in training forwards
   * @param freezeWordEmbeddings keep the pretrained 30522×384 word-embedding table fixed (AdamW then skips 11.7M of a
   *     2-layer student's 15.5M parameters)
   * @param lazyWordEmbeddings update only the word-embedding rows a batch touched (lazy AdamW, see
   *     {@code org.llkd.models.optim.AdamW}; quick, standard and full tiers); false = dense AdamW over the whole table
   */
  public record Student(int keepLayers, int maxLength, Pooling pooling, double dropout, boolean freezeWordEmbeddings,
      boolean lazyWordEmbeddings) {
    /** Tiny tier: 1 layer, 32 tokens, dropout 0.1, frozen word embeddings. */
    public static final Student TINY = new Student(1, 32, Pooling.MEAN, 0.1, true, false);
    /** Quick and standard tiers: 2 layers, 64 tokens, no dropout, word embeddings trained lazily. */
    public static final Student STANDARD = new Student(2, 64, Pooling.MEAN, 0.0, false, true);
    /** Full tier: 6 layers, 128 tokens, dropout 0.1, word embeddings trained lazily. */
    public static final Student FULL = new Student(6, 128, Pooling.MEAN, 0.1, false, true);

    public Student {
      require(keepLayers >= 1 && keepLayers <= 6, "keepLayers", keepLayers, "1..6 (all-MiniLM-L6-v2 has 6 layers)");
      require(maxLength >= 8 && maxLength <= 512, "maxLength", maxLength, "8..512");
      require(pooling != null, "pooling", pooling, "CLS or MEAN");
      require(dropout >= 0 && dropout < 1, "dropout", dropout, "in [0, 1)");
      require(!(lazyWordEmbeddings && freezeWordEmbeddings), "lazyWordEmbeddings", true,
          "false when freezeWordEmbeddings is true (a frozen table has no update to make lazy)");
    }

    public Student withKeepLayers(int layers) {
      return new Student(layers, maxLength, pooling, dropout, freezeWordEmbeddings, lazyWordEmbeddings);
    }

    public Student withMaxLength(int length) {
      return new Student(keepLayers, length, pooling, dropout, freezeWordEmbeddings, lazyWordEmbeddings);
    }

    /** Frozen (which also turns the lazy update off) or trained word embeddings. */
    public Student withFrozenWordEmbeddings(boolean frozen) {
      return new Student(keepLayers, maxLength, pooling, dropout, frozen, !frozen && lazyWordEmbeddings);
    }

    /** Trained word embeddings updated lazily (touched rows) or densely. */
    public Student withLazyWordEmbeddings(boolean lazy) {
      return new Student(keepLayers, maxLength, pooling, dropout, freezeWordEmbeddings, lazy);
    }
  }

  /**
   * How the student is optimised: AdamW with linear warm-up then linear decay ({@code AdamW.Config.bert}).
   *
   * @param epochs passes over the training rows
   * @param batchSize training rows per step, before selection
   * @param evalBatchSize rows per evaluation forward
   * @param learningRate AdamW peak learning rate
   * @param warmupFraction fraction of the steps spent warming up
   * @param weightDecay AdamW decoupled weight decay
   * @param maxGradNorm global gradient-norm clip
   * @param evaluateTrainRows after training, evaluate the final student on every training row against gold, for
   *     {@code student_train_acc_all / _selected} (Figure 4 reads them; off elsewhere: a standard run saves about
   *     6 s, a full pass over the 4,000 rows). Serialised only when on, so the keys of older runs are unchanged.
   */
  public record Schedule(int epochs, int batchSize, int evalBatchSize, double learningRate, double warmupFraction,
      double weightDecay, double maxGradNorm, boolean evaluateTrainRows) {
    /** Tiny tier: 2 epochs of batch 16, lr 1e-4, 10% warm-up. */
    public static final Schedule TINY = new Schedule(2, 16, 32, 1e-4, 0.1, 0.01, 1.0);
    /** Quick and standard tiers: 3 epochs of batch 32, lr 1e-4, 6% warm-up, evaluation batch 128. */
    public static final Schedule STANDARD = new Schedule(3, 32, 128, 1e-4, 0.06, 0.01, 1.0);
    /** Full tier: 3 epochs of batch 32, lr 5e-5, 10% warm-up, evaluation batch 64. */
    public static final Schedule FULL = new Schedule(3, 32, 64, 5e-5, 0.1, 0.01, 1.0);

    /** A schedule that does not evaluate the training rows after training. */
    public Schedule(int epochs, int batchSize, int evalBatchSize, double learningRate, double warmupFraction,
        double weightDecay, double maxGradNorm) {
      this(epochs, batchSize, evalBatchSize, learningRate, warmupFraction, weightDecay, maxGradNorm, false);
    }

    public Schedule {
      require(epochs >= 1, "epochs", epochs, ">= 1");
      require(batchSize >= 1, "batchSize", batchSize, ">= 1");
      require(evalBatchSize >= 1, "evalBatchSize", evalBatchSize, ">= 1");
      require(learningRate > 0 && learningRate < 1, "learningRate", learningRate, "in (0, 1)");
      require(warmupFraction >= 0 && warmupFraction < 1, "warmupFraction", warmupFraction, "in [0, 1)");
      require(weightDecay >= 0 && weightDecay < 1, "weightDecay", weightDecay, "in [0, 1)");
      require(maxGradNorm > 0, "maxGradNorm", maxGradNorm, "> 0 (use a large value to disable clipping)");
    }

    public Schedule withEpochs(int n) {
      return new Schedule(n, batchSize, evalBatchSize, learningRate, warmupFraction, weightDecay, maxGradNorm,
          evaluateTrainRows);
    }

    public Schedule withBatchSize(int rows) {
      return new Schedule(epochs, rows, evalBatchSize, learningRate, warmupFraction, weightDecay, maxGradNorm,
          evaluateTrainRows);
    }

    public Schedule withLearningRate(double lr) {
      return new Schedule(epochs, batchSize, evalBatchSize, lr, warmupFraction, weightDecay, maxGradNorm,
          evaluateTrainRows);
    }

    /** This schedule, evaluating the training rows after training or not. */
    public Schedule withTrainRowsEvaluated(boolean on) {
      return new Schedule(epochs, batchSize, evalBatchSize, learningRate, warmupFraction, weightDecay, maxGradNorm, on);
    }
  }

  /**
   * Which rows train, and how the selector sees them.
   *
   * @param method selector name (see {@link Selectors#names()})
   * @param momentum EMA momentum λ of adaptive selectors; {@code NaN} = 1 − 5/steps (fit to the run length; 0 for a run of under 5 steps)
   * @param ratio kept fraction for random / topk / smallloss
   * @param confidenceThreshold fixed confidence threshold of the threshold baselines
   * @param temperature soft-label temperature of the KD baselines
   * @param initFromTeacher initialise LLKD's τ^T and m^T from the whole train split's teacher confidences
   * @param selectionForward which forward the selector reads: SEPARATE (a no-dropout forward of all rows, then
   *     forward+backward of the selected rows; the full and tiny tiers) or SHARED (one forward of all rows, with
   *     dropout if any, feeds the selector and the backward of the selected rows only; faster, see
   *     {@link SelectionForward}; the quick and standard tiers, whose dropout is 0, so the selector reads the same
   *     logits either way)
   */
  public record Selector(String method, double momentum, double ratio, double confidenceThreshold, double temperature,
      boolean initFromTeacher, SelectionForward selectionForward) {
    public Selector {
      require(method != null && Selectors.names().contains(method), "method", method,
          "one of " + String.join(", ", Selectors.names()));
      require(Double.isNaN(momentum) || (momentum >= 0 && momentum < 1), "momentum", momentum,
          "in [0, 1) or NaN (auto)");
      require(ratio > 0 && ratio <= 1, "ratio", ratio, "in (0, 1]");
      require(confidenceThreshold >= 0 && confidenceThreshold <= 1, "confidenceThreshold", confidenceThreshold,
          "in [0, 1]");
      require(temperature > 0 && Double.isFinite(temperature), "temperature", temperature, "finite and > 0");
      require(selectionForward != null, "selectionForward", selectionForward, "SEPARATE or SHARED");
    }

    /** Every tier's selector defaults: auto momentum, ratio 0.5, threshold 0.9, temperature 2, SEPARATE forward. */
    public static Selector defaults(String method) {
      return new Selector(method, Double.NaN, 0.5, 0.9, 2.0, false, SelectionForward.SEPARATE);
    }

    public Selector withMethod(String m) {
      return new Selector(m, momentum, ratio, confidenceThreshold, temperature, initFromTeacher, selectionForward);
    }

    public Selector withMomentum(double m) {
      return new Selector(method, m, ratio, confidenceThreshold, temperature, initFromTeacher, selectionForward);
    }

    public Selector withRatio(double r) {
      return new Selector(method, momentum, r, confidenceThreshold, temperature, initFromTeacher, selectionForward);
    }

    public Selector withInitFromTeacher(boolean on) {
      return new Selector(method, momentum, ratio, confidenceThreshold, temperature, on, selectionForward);
    }

    public Selector withSelectionForward(SelectionForward f) {
      return new Selector(method, momentum, ratio, confidenceThreshold, temperature, initFromTeacher, f);
    }
  }

  /**
   * LLKD's selector choices (llkd* methods only).
   *
   * @param uncertainty the student-uncertainty measure
   * @param weightForm the raw sample weight, applied before the ablation (so llkd-no-weighting stays uniform)
   * @param classWise class-wise MaxNorm thresholds
   */
  public record LlkdChoices(LlkdSelector.Uncertainty uncertainty, LlkdSelector.WeightForm weightForm,
      boolean classWise) {
    /** The spec's choices: entropy, confidence × uncertainty, class-wise thresholds. */
    public static final LlkdChoices DEFAULT = new LlkdChoices(LlkdSelector.Uncertainty.ENTROPY,
        LlkdSelector.WeightForm.CONF_TIMES_UNC, true);

    public LlkdChoices {
      require(uncertainty != null, "uncertainty", uncertainty, "one of ENTROPY, MARGIN, ONE_MINUS_MAXPROB");
      require(weightForm != null, "weightForm", weightForm, "one of CONF_TIMES_UNC, CONF, UNC, UNIFORM");
    }

    /** True for {@link #DEFAULT} (then the selector registry builds the selector unchanged). */
    public boolean isDefault() {
      return equals(DEFAULT);
    }

    public LlkdChoices withUncertainty(LlkdSelector.Uncertainty u) {
      return new LlkdChoices(u, weightForm, classWise);
    }

    public LlkdChoices withWeightForm(LlkdSelector.WeightForm w) {
      return new LlkdChoices(uncertainty, w, classWise);
    }

    public LlkdChoices withClassWise(boolean cw) {
      return new LlkdChoices(uncertainty, weightForm, cw);
    }

    /** {@code base} with these choices. */
    public LlkdSelector.Config applyTo(LlkdSelector.Config base) {
      return base.withUncertainty(uncertainty).withWeightForm(weightForm).withClassWise(classWise);
    }
  }

  /**
   * Tiny tier, for smoke tests (seconds): 1 layer, 32 tokens, frozen word embeddings, 64 train rows, 32 dev/test
   * rows, 2 epochs of batch 16, SEPARATE selection forward.
   */
  public static TrainConfig tiny(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return new TrainConfig(new Data(dataset, dataRoot, teacherFile, 64, 32), Student.TINY, Schedule.TINY,
        Selector.defaults(method), LlkdChoices.DEFAULT, seed);
  }

  /**
   * Quick tier, the README's first command: the standard tier's student and schedule (2 layers, trained word
   * embeddings updated lazily, no dropout, 64 tokens, lr 1e-4, 6% warm-up, SHARED selection forward) on 2,000 rows for
   * 3 epochs (189 steps), full dev and test splits. The committed tables use {@link #standard}.
   */
  public static TrainConfig quick(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return new TrainConfig(new Data(dataset, dataRoot, teacherFile, 2000, 0), Student.STANDARD, Schedule.STANDARD,
        Selector.defaults(method).withSelectionForward(SelectionForward.SHARED), LlkdChoices.DEFAULT, seed);
  }

  /**
   * Standard tier, used by every committed table: the first 2 layers of all-MiniLM-L6-v2 with mean pooling and
   * trained word embeddings, no dropout, 4,000 seeded train rows, 3 epochs of batch 32 (375 steps), 64 tokens, AdamW
   * lr 1e-4 wd 0.01, 6% linear warm-up then linear decay, full dev and test splits. The selector reads the training
   * forward itself (SHARED): without dropout it is the same no-dropout forward that SEPARATE would run again. Its gold
   * run reaches 0.87+ test accuracy on Emotion (docs/tiers.md).
   */
  public static TrainConfig standard(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return new TrainConfig(new Data(dataset, dataRoot, teacherFile, 4000, 0), Student.STANDARD, Schedule.STANDARD,
        Selector.defaults(method).withSelectionForward(SelectionForward.SHARED), LlkdChoices.DEFAULT, seed);
  }

  /** Paper-scale tier: the 6-layer pretrained student on the whole train split, 128 tokens, 3 epochs. */
  public static TrainConfig full(String dataset, Path dataRoot, Path teacherFile, String method, long seed) {
    return new TrainConfig(new Data(dataset, dataRoot, teacherFile, 0, 0), Student.FULL, Schedule.FULL,
        Selector.defaults(method), LlkdChoices.DEFAULT, seed);
  }

  public TrainConfig withData(Data d) {
    return new TrainConfig(d, student, schedule, selector, llkd, seed);
  }

  public TrainConfig withStudent(Student s) {
    return new TrainConfig(data, s, schedule, selector, llkd, seed);
  }

  public TrainConfig withSchedule(Schedule s) {
    return new TrainConfig(data, student, s, selector, llkd, seed);
  }

  public TrainConfig withSelector(Selector s) {
    return new TrainConfig(data, student, schedule, s, llkd, seed);
  }

  public TrainConfig withLlkd(LlkdChoices c) {
    return new TrainConfig(data, student, schedule, selector, c, seed);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(data, student, schedule, selector, llkd, s);
  }

  /** Shorthand for the most common variant: {@code withSelector(selector().withMethod(m))}. */
  public TrainConfig withMethod(String m) {
    return withSelector(selector.withMethod(m));
  }

  /** Dataset name (shorthand for {@code data().dataset()}). */
  public String dataset() {
    return data.dataset();
  }

  /** Selector name (shorthand for {@code selector().method()}). */
  public String method() {
    return selector.method();
  }

  /** Short id for directories and CSV rows, e.g. {@code emotion-llkd-s1}. */
  public String runId() {
    return String.format(Locale.ROOT, "%s-%s-s%d", data.dataset(), selector.method(), seed);
  }

  /**
   * The 29 values by their pre-grouping names, in the pre-grouping order: what provenance.json, the checkpoint's
   * config check and a sweep trial's hash are made of (see the class comment). Do not reorder or rename; a new value
   * goes at the end (and changes every sweep trial id and checkpoint check from then on).
   */
  @JsonValue
  public Map<String, Object> flat() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", data.dataset());
    m.put("dataRoot", data.dataRoot());
    m.put("teacherFile", data.teacherFile());
    m.put("method", selector.method());
    m.put("momentum", selector.momentum());
    m.put("ratio", selector.ratio());
    m.put("confidenceThreshold", selector.confidenceThreshold());
    m.put("temperature", selector.temperature());
    m.put("initFromTeacher", selector.initFromTeacher());
    m.put("keepLayers", student.keepLayers());
    m.put("maxLength", student.maxLength());
    m.put("pooling", student.pooling());
    m.put("dropout", student.dropout());
    m.put("trainRows", data.trainRows());
    m.put("evalRows", data.evalRows());
    m.put("epochs", schedule.epochs());
    m.put("batchSize", schedule.batchSize());
    m.put("evalBatchSize", schedule.evalBatchSize());
    m.put("learningRate", schedule.learningRate());
    m.put("warmupFraction", schedule.warmupFraction());
    m.put("weightDecay", schedule.weightDecay());
    m.put("maxGradNorm", schedule.maxGradNorm());
    m.put("seed", seed);
    m.put("uncertainty", llkd.uncertainty());
    m.put("weightForm", llkd.weightForm());
    m.put("classWise", llkd.classWise());
    m.put("freezeWordEmbeddings", student.freezeWordEmbeddings());
    m.put("selectionForward", selector.selectionForward());
    m.put("lazyWordEmbeddings", student.lazyWordEmbeddings());
    if (schedule.evaluateTrainRows()) m.put("evaluateTrainRows", true); // absent = off: older keys unchanged
    return m;
  }

  /** The config whose {@link #flat()} is {@code m} (values of the component types; Paths as Path or String). */
  public static TrainConfig fromFlat(Map<String, ?> m) {
    Data d = new Data((String) m.get("dataset"), path(m.get("dataRoot")), path(m.get("teacherFile")),
        (Integer) m.get("trainRows"), (Integer) m.get("evalRows"));
    Student st = new Student((Integer) m.get("keepLayers"), (Integer) m.get("maxLength"), (Pooling) m.get("pooling"),
        (Double) m.get("dropout"), (Boolean) m.get("freezeWordEmbeddings"), (Boolean) m.get("lazyWordEmbeddings"));
    Schedule sc = new Schedule((Integer) m.get("epochs"), (Integer) m.get("batchSize"),
        (Integer) m.get("evalBatchSize"), (Double) m.get("learningRate"), (Double) m.get("warmupFraction"),
        (Double) m.get("weightDecay"), (Double) m.get("maxGradNorm"),
        Boolean.TRUE.equals(m.get("evaluateTrainRows")));
    Selector se = new Selector((String) m.get("method"), (Double) m.get("momentum"), (Double) m.get("ratio"),
        (Double) m.get("confidenceThreshold"), (Double) m.get("temperature"), (Boolean) m.get("initFromTeacher"),
        (SelectionForward) m.get("selectionForward"));
    LlkdChoices l = new LlkdChoices((LlkdSelector.Uncertainty) m.get("uncertainty"),
        (LlkdSelector.WeightForm) m.get("weightForm"), (Boolean) m.get("classWise"));
    return new TrainConfig(d, st, sc, se, l, (Long) m.get("seed"));
  }

  private static Path path(Object v) {
    return v == null ? null : v instanceof Path p ? p : Path.of(v.toString());
  }

  /** {@code TrainConfig[dataset=…, dataRoot=…, …]} over {@link #flat()}, as the flat record printed itself. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", "TrainConfig[", "]");
    flat().forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  private static void require(boolean ok, String name, Object found, String expected) {
    if (!ok) {
      throw new IllegalArgumentException("bad config value " + name + " = " + found + ": expected " + expected);
    }
  }
}
