package org.llkd.experiments.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.llkd.experiments.metrics.ClassReport;
import org.llkd.experiments.log.Progress;
import org.llkd.experiments.log.RunLog;
import org.llkd.experiments.metrics.ClassificationMetrics;
import org.llkd.experiments.metrics.SelectionTracker;
import org.llkd.experiments.report.Provenance;
import org.llkd.models.checkpoint.CheckpointWriter;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.memory.NativeArrays;
import org.llkd.models.memory.StepWorkspace;
import org.llkd.models.loss.SoftLabelDistillation;
import org.llkd.models.loss.WeightedCrossEntropy;
import org.llkd.models.optim.AdamW;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import org.llkd.models.train.SelectionForward;
import org.llkd.models.train.StudentTrainStep;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LlkdSelector;
import org.llkd.selection.LossSpec;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.Selection;
import org.llkd.selection.Selectors;
import org.llkd.selection.StepBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LLKD (or baseline) training run. Per step: a gradient-free forward of the whole batch gives the
 * student's logits; the selector picks rows and weights; forward and backward run on the selected rows
 * only; AdamW updates. Dev is evaluated after every epoch, test at the end.
 *
 * <p>Writes into its run directory: {@code steps.csv} (one row per step, no wall-clock values, so an
 * interrupted-and-resumed run writes the same file as an unbroken one), {@code epochs.csv} (dev
 * metrics per epoch), {@code metrics.csv} (final, one row), {@code provenance.json}, and
 * {@code checkpoint.zip} after every epoch (model, optimiser, selector and tracker state, position).
 */
public final class Trainer {
  /** Columns of steps.csv. */
  public static final List<String> STEP_COLUMNS = List.of("epoch", "step", "global_step", "batch", "selected", "ratio",
      "loss", "lr", "grad_norm", "tau_t", "tau_s", "weight_min", "weight_mean", "weight_max",
      "teacher_acc_batch", "teacher_acc_selected", "empty", "diagnostics");
  /** Columns of epochs.csv. */
  public static final List<String> EPOCH_COLUMNS = List.of("epoch", "global_step", "dev_accuracy", "dev_macro_f1",
      "dev_ece", "data_used", "mean_ratio", "empty_steps", "epoch_data_used");
  /** Columns of metrics.csv (the run's final row; experiment tables are built from these). */
  public static final List<String> METRIC_COLUMNS = List.of("run_id", "dataset", "method", "seed", "train_rows",
      "epochs", "steps", "updates", "test_accuracy", "test_macro_f1", "test_ece", "dev_accuracy", "dev_macro_f1",
      "data_used", "mean_ratio", "empty_steps", "teacher_acc_all", "teacher_acc_selected", "teacher_acc_ever_selected",
      "student_train_acc_all", "student_train_acc_selected", "momentum", "wall_seconds", "test_top_pred_share",
      "test_majority_acc", "train_majority_share");
  /** Test-set probabilities of the final model, gzip-compressed CSV: id, gold, then one column per label. */
  public static final String TEST_PROBS_FILE = "test_probs.csv.gz";
  /** Per-class precision/recall/F1/support and the confusion matrix of the final model on test. */
  public static final String TEST_REPORT_FILE = "test_report.json";

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private Trainer() {}

  /** The final numbers of a run. */
  public record Result(TrainConfig config, Map<String, Object> metrics, ClassificationMetrics test,
      ClassificationMetrics dev, Path runDir) {}

  /** Trains from scratch (or from the run directory's checkpoint when {@code resume}). */
  public static Result run(TrainConfig cfg, Path runDir, boolean resume) {
    return run(cfg, runDir, resume, StopHook.NEVER);
  }

  /**
   * As {@link #run(TrainConfig, Path, boolean)}, with a hook that can stop the run (tests of resume). While it runs,
   * this thread's log lines go (at DEBUG) into {@code runDir/run.log} too ({@link RunLog}).
   */
  public static Result run(TrainConfig cfg, Path runDir, boolean resume, StopHook stop) {
    return run(cfg, () -> TrainingSources.catalog(cfg), runDir, resume, stop, Monitor.NONE);
  }

  /**
   * Trains on {@code sources} (the catalog, or a user's files) with a {@link Monitor} that sees every step and dev
   * evaluation, may ask for extra dev evaluations and may stop the run early (best-model keeping, patience). This
   * thread's log lines go (at DEBUG) into {@code runDir/run.log} too ({@link RunLog}).
   */
  public static Result run(TrainConfig cfg, java.util.function.Supplier<TrainingSources> sources, Path runDir,
      boolean resume, StopHook stop, Monitor monitor) {
    try {
      Files.createDirectories(runDir);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot create run directory " + runDir + ": " + e.getMessage(), e);
    }
    try (RunLog log = RunLog.open(runDir, cfg.runId())) {
      LOG.info("{}: training {} on {} (seed {}) -> {}", cfg.runId(), cfg.method(), cfg.dataset(), cfg.seed(), runDir);
      LOG.debug("{}: config {}", cfg.runId(), cfg);
      Result r = train(cfg, sources, runDir, resume, stop, monitor);
      LOG.info("{}: test accuracy {} macro-F1 {} ({} s)", cfg.runId(),
          r.test() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.test().accuracy()),
          r.test() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.test().macroF1()),
          String.format(Locale.ROOT, "%.1f", ((Number) r.metrics().get("wall_seconds")).doubleValue()));
      return r;
    } catch (RuntimeException | Error e) {
      LOG.debug("{}: failed", cfg.runId(), e);
      throw e;
    }
  }

  private static Result train(TrainConfig cfg, java.util.function.Supplier<TrainingSources> sources, Path runDir,
      boolean resume, StopHook stop, Monitor monitor) {
    long t0 = System.nanoTime();
    java.time.Instant started = java.time.Instant.now(); // provenance start and wallSeconds: the whole run
    RunTimes times = new RunTimes();
    SeedStreams seeds = new SeedStreams(cfg.seed());
    WordPieceTokenizer tokenizer = StudentFactory.tokenizer(cfg.student().maxLength());
    TrainingData data = new TrainingData(cfg, sources.get(), tokenizer, seeds.data());
    int n = data.size();
    int c = data.numClasses();
    int stepsPerEpoch = (n + cfg.schedule().batchSize() - 1) / cfg.schedule().batchSize();
    int totalSteps = (int) Math.min((long) stepsPerEpoch * cfg.schedule().epochs(), monitor.maxSteps()); // llkd train --max-steps
    double momentum = Double.isNaN(cfg.selector().momentum()) ? LlkdSelector.Config.momentumForSteps(totalSteps) : cfg.selector().momentum();

    StudentFactory.Built built = StudentFactory.build(cfg, c, seeds.init());
    // Everything the run allocates natively is freed when it returns (docs/memory.md): the model (parameters,
    // gradients, activation buffers), the optimiser's moments, the step and evaluation workspaces, and the
    // checkpoint copies (the writer waits for its last write first).
    try (StudentTransformer model = built.model();
         StepWorkspace stepWs = new StepWorkspace("llkd-train-step");
         StepWorkspace evalWs = new StepWorkspace("llkd-eval-batch");
         CheckpointWriter checkpoints = new CheckpointWriter(cfg.runId())) {
      AdamW opt = optimizer(cfg, model, totalSteps);
      try (opt) {
        return train(cfg, runDir, resume, stop, monitor, new Run(t0, started, times, seeds, tokenizer, data, built,
            model, opt, stepWs, evalWs, checkpoints, momentum, stepsPerEpoch, totalSteps));
      }
    }
  }

  private static AdamW optimizer(TrainConfig cfg, StudentTransformer model, int totalSteps) {
    int warmup = (int) Math.round(cfg.schedule().warmupFraction() * totalSteps);
    AdamW.Config optCfg = AdamW.Config.bert(cfg.schedule().learningRate(), cfg.schedule().weightDecay(), warmup, totalSteps)
        .withMaxGradNorm(cfg.schedule().maxGradNorm());
    AdamW opt = new AdamW(optCfg, model.params(), optCfg.schedule(),
        cfg.student().freezeWordEmbeddings() ? java.util.Set.of(StudentTransformer.WORD_EMBEDDINGS) : java.util.Set.of(),
        cfg.student().lazyWordEmbeddings() ? StudentTransformer.WORD_EMBEDDINGS : null);
    return opt;
  }

  /** What a run holds while it trains; the native parts are closed by the caller when the run returns. */
  private record Run(long t0, java.time.Instant started, RunTimes times, SeedStreams seeds,
      WordPieceTokenizer tokenizer, TrainingData data, StudentFactory.Built built, StudentTransformer model, AdamW opt,
      StepWorkspace stepWs, StepWorkspace evalWs, CheckpointWriter checkpoints, double momentum, int stepsPerEpoch,
      int totalSteps) {}

  private static Result train(TrainConfig cfg, Path runDir, boolean resume, StopHook stop, Monitor monitor, Run run) {
    long t0 = run.t0();
    RunTimes times = run.times();
    SeedStreams seeds = run.seeds();
    WordPieceTokenizer tokenizer = run.tokenizer();
    TrainingData data = run.data();
    StudentFactory.Built built = run.built();
    StudentTransformer model = run.model();
    AdamW opt = run.opt();
    double momentum = run.momentum();
    int stepsPerEpoch = run.stepsPerEpoch();
    int totalSteps = run.totalSteps();
    boolean gold = data.trainHasGold();
    int n = data.size();
    int c = data.numClasses();
    SampleSelector selector = selector(cfg, c, momentum, seeds.selector(), data);
    SelectionTracker tracker = new SelectionTracker(n);

    Path ckptFile = runDir.resolve(RunCheckpoint.FILE);
    int startEpoch = 0;
    CsvLog steps;
    CsvLog epochs;
    if (resume && Files.exists(ckptFile)) {
      RunCheckpoint.Position pos = RunCheckpoint.load(ckptFile, cfg, model, opt, selector, tracker);
      startEpoch = pos.epochsDone();
      LOG.info("{}: resumed after epoch {} from {}", cfg.runId(), startEpoch, ckptFile);
      steps = CsvLog.resume(runDir.resolve("steps.csv"), STEP_COLUMNS, pos.stepRows());
      epochs = CsvLog.resume(runDir.resolve("epochs.csv"), EPOCH_COLUMNS, pos.epochRows());
    } else {
      steps = CsvLog.create(runDir.resolve("steps.csv"), STEP_COLUMNS);
      epochs = CsvLog.create(runDir.resolve("epochs.csv"), EPOCH_COLUMNS);
    }

    ClassificationMetrics dev = null;
    List<Double> trainSecondsPerEpoch = new ArrayList<>(); // wall time of each epoch's steps (provenance only)
    INDArray devProbs = null;
    long updates = opt.iteration();
    NativeMemoryGuard memory = NativeMemoryGuard.ofThisJvm(); // -Dllkd.maxResidentBytes, checked before each step
    long residentAtStart = memory.sample();
    times.set(RunTimes.STARTUP, (System.nanoTime() - t0) / 1e9);
    boolean stopped = false;
    try (Progress bar = Progress.start(cfg.runId(), totalSteps, (long) startEpoch * stepsPerEpoch, " steps")) {
      for (int epoch = startEpoch; epoch < cfg.schedule().epochs() && !stopped; epoch++) {
        long epochStart = System.nanoTime();
        int[] order = TrainingData.permutation(n, new Random(seeds.derive("epoch-" + epoch)));
        boolean[] selectedThisEpoch = new boolean[n]; // rows this epoch's steps trained on (epoch_data_used)
        for (int s = 0; s < stepsPerEpoch; s++) {
          int globalStep = epoch * stepsPerEpoch + s;
          if (globalStep >= totalSteps) { // --max-steps reached mid-epoch: the final model's dev metrics come after the loop
            devProbs = null;
            stopped = true;
            break;
          }
          stop.beforeStep(globalStep);
          memory.beforeStep(cfg.runId(), globalStep);
          int from = s * cfg.schedule().batchSize();
          int[] local = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + cfg.schedule().batchSize()));
          StepOutcome out;
          try (MemoryWorkspace ws = run.stepWs().enter()) { // the step's temporaries; out holds primitives only
            out = step(cfg, data, model, opt, selector, tracker, local, seeds.dropout() + globalStep);
          }
          if (!out.empty) updates++;
          for (int r : out.chosenRows) selectedThisEpoch[r] = true;
          steps.row(epoch, s, globalStep, local.length, out.selected, out.ratio, out.loss, out.lr, out.gradNorm,
              out.diag(Diagnostics.TAU_T), out.diag(Diagnostics.TAU_S), out.diag(Diagnostics.WEIGHT_MIN),
              out.diag(Diagnostics.WEIGHT_MEAN), out.diag(Diagnostics.WEIGHT_MAX),
              gold ? out.teacherAccBatch : Double.NaN, gold ? out.teacherAccSelected : Double.NaN,
              out.empty ? 1 : 0, out.rest());
          bar.step();
          bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f ratio %.2f%s", out.loss, out.ratio,
              monitor.status()));
          monitor.onStep(epoch, globalStep, out.loss, out.ratio, out.lr);
          if (data.dev != null && s < stepsPerEpoch - 1
              && (monitor.evalAfterStep(globalStep) || globalStep == totalSteps - 1)) {
            long e0 = System.nanoTime();
            INDArray p = Evaluator.probabilities(model, data.devTokens, cfg.schedule().evalBatchSize(), run.evalWs()); // [N_dev, C]
            ClassificationMetrics d = ClassificationMetrics.of(data.gold(data.dev, data.devRows), p, data.dev.labels().names());
            p.close();
            times.add(RunTimes.DEV_EVALUATION, e0);
            if (monitor.onDevEval(epoch, globalStep, d, model)) {
              NativeArrays.close(devProbs);
              devProbs = null; // the final model's dev metrics are computed after the loop
              stopped = true;
              break;
            }
          }
        }
        trainSecondsPerEpoch.add((System.nanoTime() - epochStart) / 1e9); // steps only, before dev evaluation
        if (stopped) break; // stopped after a mid-epoch dev evaluation: that one is the last
        if (data.dev != null) {
          long e0 = System.nanoTime();
          NativeArrays.close(devProbs); // the previous epoch's
          devProbs = Evaluator.probabilities(model, data.devTokens, cfg.schedule().evalBatchSize(), run.evalWs()); // [N_dev, C]
          dev = ClassificationMetrics.of(data.gold(data.dev, data.devRows), devProbs, data.dev.labels().names());
          times.add(RunTimes.DEV_EVALUATION, e0);
          memory.sample();
          stopped = monitor.onDevEval(epoch, (epoch + 1) * stepsPerEpoch - 1, dev, model);
          LOG.debug("{}: epoch {} dev accuracy {} macro-F1 {} data used {}", cfg.runId(), epoch + 1, dev.accuracy(),
              dev.macroF1(), tracker.dataUsed());
        }
        epochs.row(epoch, (epoch + 1) * stepsPerEpoch - 1, dev == null ? Double.NaN : dev.accuracy(),
            dev == null ? Double.NaN : dev.macroF1(), dev == null ? Double.NaN : dev.ece(),
            tracker.dataUsed(), tracker.meanSelectionRatio(), tracker.emptySteps(), fraction(selectedThisEpoch));
        if (monitor.checkpointAfterEpoch(epoch + 1)) {
          long c0 = System.nanoTime();
          RunCheckpoint.save(run.checkpoints(), ckptFile, cfg, model, opt, selector, tracker,
              new RunCheckpoint.Position(epoch + 1, steps.rows(), epochs.rows())); // written in the background
          times.add(RunTimes.CHECKPOINT_BLOCKING, c0);
          if (monitor.observesCheckpoints()) {
            // the monitor (llkd train) deletes state the previous checkpoint pointed at: only once this one landed
            long w0 = System.nanoTime();
            run.checkpoints().await();
            times.add(RunTimes.CHECKPOINT_BLOCKING, w0);
            monitor.onCheckpoint(epoch + 1);
          }
        }
      }
    } finally {
      steps.close();
      epochs.close();
    }
    long finish0 = System.nanoTime();
    if (data.dev != null && (dev == null || devProbs == null)) {
      // resumed after the last epoch's checkpoint, or stopped mid-epoch: evaluate the final model (deterministic)
      devProbs = Evaluator.probabilities(model, data.devTokens, cfg.schedule().evalBatchSize(), run.evalWs());
      dev = ClassificationMetrics.of(data.gold(data.dev, data.devRows), devProbs, data.dev.labels().names());
    }
    int[] testGold = null;
    ClassificationMetrics test = null;
    ClassReport testReport = null;
    if (data.test != null) {
      testGold = data.gold(data.test, data.testRows);
      long e0 = System.nanoTime();
      INDArray testProbs = Evaluator.probabilities(model, data.testTokens, cfg.schedule().evalBatchSize(), run.evalWs()); // [N_test, C]
      times.add(RunTimes.TEST_EVALUATION, e0);
      test = ClassificationMetrics.of(testGold, testProbs, data.test.labels().names());
      testReport = ClassReport.of(testGold, testProbs, data.test.labels().names());
      Predictions.writeProbabilities(runDir.resolve(TEST_PROBS_FILE), data.test, data.testRows, testProbs);
      testProbs.close();
    }
    int trainMajority = gold ? ClassReport.majorityClass(data.goldLabels, c) : -1; // no gold: no majority baseline
    if (data.dev != null) Predictions.write(runDir.resolve("dev_predictions.csv"), data.dev, data.devRows, devProbs);
    NativeArrays.close(devProbs);
    double[] studentTrainAcc = {Double.NaN, Double.NaN};
    if (gold) {
      long e0 = System.nanoTime();
      INDArray trainProbs = Evaluator.probabilities(model, data.trainTokens, cfg.schedule().evalBatchSize(), run.evalWs()); // [n, C]
      studentTrainAcc = Predictions.accuracyAllVsSelected(trainProbs, data.goldLabels, tracker::everSelected);
      trainProbs.close();
      times.add(RunTimes.TRAIN_EVALUATION, e0);
    }
    monitor.onFinish(model);
    memory.sample();
    double wall = (System.nanoTime() - t0) / 1e9;

    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("run_id", cfg.runId());
    m.put("dataset", cfg.dataset());
    m.put("method", cfg.method());
    m.put("seed", cfg.seed());
    m.put("train_rows", n);
    m.put("epochs", cfg.schedule().epochs());
    m.put("steps", totalSteps);
    m.put("updates", updates);
    m.put("test_accuracy", test == null ? Double.NaN : test.accuracy());
    m.put("test_macro_f1", test == null ? Double.NaN : test.macroF1());
    m.put("test_ece", test == null ? Double.NaN : test.ece());
    m.put("dev_accuracy", dev == null ? Double.NaN : dev.accuracy());
    m.put("dev_macro_f1", dev == null ? Double.NaN : dev.macroF1());
    m.put("data_used", tracker.dataUsed());
    m.put("mean_ratio", tracker.meanSelectionRatio());
    m.put("empty_steps", tracker.emptySteps());
    m.put("teacher_acc_all", gold ? tracker.teacherAccuracyAll() : Double.NaN);
    m.put("teacher_acc_selected", gold ? tracker.teacherAccuracySelected() : Double.NaN);
    m.put("teacher_acc_ever_selected", gold ? tracker.teacherAccuracyEverSelected() : Double.NaN);
    m.put("student_train_acc_all", studentTrainAcc[0]);
    m.put("student_train_acc_selected", studentTrainAcc[1]);
    m.put("momentum", momentum);
    m.put("wall_seconds", wall);
    m.put("test_top_pred_share", testReport == null ? Double.NaN : testReport.topPredictedShare());
    m.put("test_majority_acc", testGold == null || !gold ? Double.NaN : ClassReport.constantAccuracy(testGold, trainMajority));
    m.put("train_majority_share", gold ? ClassReport.constantAccuracy(data.goldLabels, trainMajority) : Double.NaN);
    if (test != null) {
      Map<String, Object> report = new java.util.LinkedHashMap<>(testReport.toMap());
      report.put("accuracy", test.accuracy());
      report.put("macroF1", test.macroF1());
      report.put("ece", test.ece());
      report.put("rows", testGold.length);
      writeJson(runDir.resolve(TEST_REPORT_FILE), report);
    }
    try (CsvLog metrics = CsvLog.create(runDir.resolve("metrics.csv"), METRIC_COLUMNS)) {
      metrics.row(m.values().toArray());
    }
    Provenance prov = new Provenance("train run " + cfg.runId(), cfg, List.of(cfg.seed()))
        .input("dataset.train", data.train.source());
    if (data.dev != null) prov.input("dataset.dev", data.dev.source());
    if (data.test != null) prov.input("dataset.test", data.test.source());
    prov.input("teacher", cfg.data().teacherFile())
        .put("seedStreams", Map.of("init", seeds.init(), "data", seeds.data(), "selector", seeds.selector(),
            "dropout", seeds.dropout()))
        .put("momentumUsed", momentum)
        .put("pretrained", built.report().toProvenance())
        .put("tokenizer", Map.of("source", tokenizer.source(), "sha256", tokenizer.sha256(),
            "maxLength", tokenizer.maxLength()))
        .put("resumed", resume)
        .put("trainSecondsPerEpoch", trainSecondsPerEpoch)
        .put("nativeMemory", Map.of("limitBytes", memory.limit(), "peakResidentBeforeStepBytes", memory.peak(),
            "peakResidentBytes", memory.peakAnywhere(), "residentAtStartBytes", residentAtStart,
            "sampled", "JavaCPP Pointer.physicalBytes() (resident set size) before every step, after every dev "
                + "evaluation and at the end of the run"))
        .put("metrics", m);
    run.checkpoints().await(); // the last epoch's checkpoint is on disk before the run reports its time
    times.add(RunTimes.FINISH, finish0);
    times.set(RunTimes.TOTAL, (System.nanoTime() - t0) / 1e9);
    times.set(RunTimes.TRAINING_LOOP, trainSecondsPerEpoch.stream().mapToDouble(Double::doubleValue).sum());
    prov.put("timeSeconds", times.toMap()).startedAt(run.started());
    prov.write(runDir.resolve("provenance.json"));
    return new Result(cfg, m, test, dev, runDir);
  }

  static SampleSelector selector(TrainConfig cfg, int c, double momentum, long seed, TrainingData data) {
    Selectors.Params p = Selectors.Params.defaults(c).withMomentum(momentum).withRatio(cfg.selector().ratio())
        .withConfidenceThreshold(cfg.selector().confidenceThreshold()).withTemperature(cfg.selector().temperature()).withSeed(seed);
    if (cfg.selector().initFromTeacher() && cfg.method().equals("llkd")) {
      LlkdSelector.Config base = cfg.llkd().applyTo(LlkdSelector.Config.defaults(c, momentum));
      try (INDArray all = data.allTeacherProbs()) { // [n, C], read into the selector's thresholds
        return new LlkdSelector(LlkdSelector.Config.initFromTeacher(all, base));
      }
    }
    if (!cfg.llkd().isDefault()) { // TrainConfig admits non-default choices for llkd* methods only
      for (LlkdSelector.Ablation a : LlkdSelector.Ablation.values()) {
        if (a.registryName().equals(cfg.method())) {
          return new LlkdSelector(cfg.method(), cfg.llkd().applyTo(LlkdSelector.Config.defaults(c, momentum)).with(a));
        }
      }
      throw new IllegalArgumentException("method " + cfg.method() + " does not read uncertainty/weightForm/classWise");
    }
    return Selectors.create(cfg.method(), p);
  }

  /** What one step did. */
  record StepOutcome(int selected, double ratio, double loss, double lr, double gradNorm, boolean empty,
      double teacherAccBatch, double teacherAccSelected, Map<String, Double> diagnostics, int[] chosenRows) {
    /** Selector diagnostics that have their own steps.csv column (tau_t, tau_s, weight_min/mean/max). */
    static final List<String> COLUMN_DIAGNOSTICS = List.of(Diagnostics.TAU_T, Diagnostics.TAU_S,
        Diagnostics.WEIGHT_MIN, Diagnostics.WEIGHT_MEAN, Diagnostics.WEIGHT_MAX);

    double diag(String key) {
      Double v = diagnostics.get(key);
      return v == null ? Double.NaN : v;
    }

    /** Every other diagnostic as sorted {@code key=value} pairs joined by ';'. */
    String rest() {
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, Double> e : new TreeMap<>(diagnostics).entrySet()) {
        if (COLUMN_DIAGNOSTICS.contains(e.getKey())) continue;
        if (sb.length() > 0) sb.append(';');
        sb.append(e.getKey()).append('=').append(e.getValue());
      }
      return sb.toString();
    }
  }

  static StepOutcome step(TrainConfig cfg, TrainingData data, StudentTransformer model, AdamW opt,
      SampleSelector selector, SelectionTracker tracker, int[] local, long dropoutSeed) {
    int b = local.length;
    TokenizedSplit.Batch all = data.trainTokens.batch(local);
    StudentTrainStep trainStep = new StudentTrainStep(model, opt);
    boolean shared = cfg.selector().selectionForward() == SelectionForward.SHARED;
    INDArray logits = shared // [B, C]: the training forward itself (dropout, activations kept), or a no-grad one
        ? trainStep.forwardShared(all.inputIds(), all.attentionMask(), all.tokenTypeIds(), dropoutSeed)
        : model.forwardLogits(all.inputIds(), all.attentionMask(), all.tokenTypeIds());
    INDArray teacher = data.teacherBatch(local); // [B, C] DOUBLE
    int[] pseudo = new int[b];
    int[] gold = new int[b];
    int[] rows = new int[b];
    long[] ids = new long[b];
    for (int i = 0; i < b; i++) {
      pseudo[i] = data.pseudoLabels[local[i]];
      gold[i] = data.goldLabels[local[i]];
      rows[i] = local[i];
      ids[i] = data.rows[local[i]];
    }
    INDArray studentLoss = WeightedCrossEntropy.compute(logits.castTo(DataType.DOUBLE), pseudo,
        Nd4j.ones(DataType.DOUBLE, b)).perSample(); // [B]
    StepBatch sb = StepBatch.of(ids, teacher, logits).withStudentLoss(studentLoss);
    if (data.trainHasGold()) sb = sb.withGoldLabels(gold); // rows without gold: the selectors never see gold anyway
    Selection sel = selector.select(sb);
    SelectionTracker.StepStats st = tracker.record(rows, sel.mask(), pseudo, gold);
    int[] chosen = sel.selectedIndices();
    if (chosen.length == 0) {
      return new StepOutcome(0, 0.0, Double.NaN, opt.currentLearningRate(), Double.NaN, true, st.teacherAccuracyBatch(),
          st.teacherAccuracySelected(), sel.diagnostics(), new int[0]);
    }
    // backward + AdamW on the selected rows only (those with weight > 0): SHARED narrows the training forward to
    // them; SEPARATE runs their own forward, trimmed to their length
    double[] w = sel.weights().toDoubleVector();
    boolean soft = sel.loss().kind() == org.llkd.selection.LossKind.SOFT_KL;
    int[] labels = sel.loss().kind() == org.llkd.selection.LossKind.GOLD_CE ? gold : pseudo;
    SoftLabelDistillation.Config softCfg = soft
        ? SoftLabelDistillation.Config.ofProbabilities(sel.loss().temperature()) : null;
    StudentTrainStep.Result r;
    if (shared) {
      r = soft ? trainStep.finishSharedSoft(teacher, w, softCfg) : trainStep.finishShared(labels, w);
    } else {
      r = soft ? trainStep.stepSoft(all.inputIds(), all.attentionMask(), all.tokenTypeIds(), teacher, w, softCfg,
              dropoutSeed)
          : trainStep.step(all.inputIds(), all.attentionMask(), all.tokenTypeIds(), labels, w, dropoutSeed);
    }
    double loss = r.loss();
    AdamW.StepStats os = r.stats();
    int[] chosenRows = new int[chosen.length];
    for (int j = 0; j < chosen.length; j++) chosenRows[j] = local[chosen[j]];
    return new StepOutcome(chosen.length, chosen.length / (double) b, loss, os.learningRate(), os.gradNorm(), false,
        st.teacherAccuracyBatch(), st.teacherAccuracySelected(), sel.diagnostics(), chosenRows);
  }

  private static void writeJson(Path file, Map<String, Object> value) {
    try {
      org.llkd.models.io.AtomicFiles.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static double fraction(boolean[] marks) {
    int k = 0;
    for (boolean b : marks) if (b) k++;
    return marks.length == 0 ? Double.NaN : k / (double) marks.length;
  }

  /**
   * Watches a run (used by {@code llkd train}): every step, every dev evaluation (each epoch end, plus the steps for
   * which {@link #evalAfterStep} says so); returning true from {@link #onDevEval} stops training after it.
   */
  public interface Monitor {
    Monitor NONE = new Monitor() {};

    default void onStep(int epoch, int globalStep, double loss, double ratio, double lr) {}

    /** Whether to evaluate dev after {@code globalStep} (mid-epoch; epoch ends are always evaluated). */
    default boolean evalAfterStep(int globalStep) { return false; }

    /** A dev evaluation of {@code model} (do not keep a reference to its buffers); true = stop training now. */
    default boolean onDevEval(int epoch, int globalStep, ClassificationMetrics dev, StudentTransformer model) { return false; }

    /** The final model, after the last step. */
    default void onFinish(StudentTransformer model) {}

    /** Appended to the progress bar (e.g. the last dev macro-F1). */
    default String status() { return ""; }

    /** At most this many steps in all (the run stops there, mid-epoch if need be; the schedule ends there too). */
    default int maxSteps() { return Integer.MAX_VALUE; }

    /**
     * Whether to write the resume checkpoint after {@code epochsDone} epochs (default: after every epoch); called
     * just before it is written, so a monitor can save its own state for that position first.
     */
    default boolean checkpointAfterEpoch(int epochsDone) { return true; }

    /** The checkpoint after {@code epochsDone} epochs is written. */
    default void onCheckpoint(int epochsDone) {}

    /**
     * Whether {@link #onCheckpoint} must see each checkpoint on disk: the trainer then waits for the background
     * write to land before calling it (default false: the loop never waits for a checkpoint).
     */
    default boolean observesCheckpoints() {
      return false;
    }
  }

  /** Lets a caller stop a run before a given step (used by interruption tests). */
  @FunctionalInterface
  public interface StopHook {
    StopHook NEVER = step -> { };

    void beforeStep(int globalStep);
  }
}
