package org.llkd.experiments.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.llkd.experiments.log.Progress;
import org.llkd.experiments.metrics.ClassReport;
import org.llkd.experiments.metrics.ClassificationMetrics;
import org.llkd.experiments.metrics.SelectionTracker;
import org.llkd.experiments.report.Provenance;
import org.llkd.models.checkpoint.CheckpointWriter;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.io.AtomicFiles;
import org.llkd.models.memory.NativeArrays;
import org.llkd.models.memory.StepWorkspace;
import org.llkd.models.optim.AdamW;
import org.llkd.models.tokenizer.WordPieceTokenizer;
import org.llkd.models.train.SelectiveTrainStep;
import org.llkd.selection.Diagnostics;
import org.llkd.selection.LlkdSelector;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.Selectors;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link Trainer}, in its three phases: {@link #setUp} (data, student, optimiser, selector, logs, or
 * all of them restored from the checkpoint), {@link #epoch} (the steps of one epoch, its dev evaluation and
 * checkpoint; {@link #trainEpochs} runs them all) and {@link #finish} (final dev and test evaluation, metrics.csv,
 * test_report.json, provenance.json). Everything it allocates natively is freed by {@link #close} (docs/memory.md):
 * the model (parameters, gradients, activation buffers), the optimiser's moments, the step and evaluation workspaces,
 * and the checkpoint copies (the writer waits for its last write first).
 */
final class TrainingRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  // set-up: fixed for the run
  private final TrainConfig cfg;
  private final Path runDir;
  private final boolean resume;
  private final Trainer.Monitor monitor;
  private final long t0;
  private final Instant started; // provenance start and wallSeconds: the whole run
  private final RunTimes times = new RunTimes();
  private final SeedStreams seeds;
  private final WordPieceTokenizer tokenizer;
  private final TrainingData data;
  private final int stepsPerEpoch;
  private final int totalSteps;
  private final double momentum;
  private final List<Double> trainSecondsPerEpoch = new ArrayList<>(); // wall time of each epoch's steps (provenance)
  private final Path ckptFile;
  // native resources, closed by close() in reverse order
  private StudentFactory.Built built;
  private StudentTransformer model;
  private StepWorkspace stepWs;
  private StepWorkspace evalWs;
  private CheckpointWriter checkpoints;
  private AdamW opt;
  // training state
  private SampleSelector selector;
  private SelectionTracker tracker;
  private SelectiveTrainStep trainStep;
  private CsvLog steps;
  private CsvLog epochs;
  private int startEpoch;
  private long updates;
  private NativeMemoryGuard memory; // -Dllkd.maxResidentBytes, checked before each step
  private long residentAtStart;
  private ClassificationMetrics dev;
  private INDArray devProbs; // [N_dev, C] of the last epoch-end evaluation, null when stale
  private boolean stopped;

  private TrainingRun(TrainConfig cfg, TrainingSources sources, Path runDir, boolean resume, Trainer.Monitor monitor) {
    this.t0 = System.nanoTime();
    this.started = Instant.now();
    this.cfg = cfg;
    this.runDir = runDir;
    this.resume = resume;
    this.monitor = monitor;
    this.seeds = new SeedStreams(cfg.seed());
    this.tokenizer = StudentFactory.tokenizer(cfg.student().maxLength());
    this.data = new TrainingData(cfg, sources, tokenizer, seeds.data());
    int n = data.size();
    this.stepsPerEpoch = (n + cfg.schedule().batchSize() - 1) / cfg.schedule().batchSize();
    this.totalSteps = (int) Math.min((long) stepsPerEpoch * cfg.schedule().epochs(), monitor.maxSteps()); // --max-steps
    // λ = 1 − 5/steps fits the EMAs to the run's length; a run of under 5 steps (llkd train --max-steps 3) has no
    // history worth averaging, so its EMAs follow each batch (λ = 0) instead of refusing the run
    this.momentum = !Double.isNaN(cfg.selector().momentum()) ? cfg.selector().momentum()
        : totalSteps < 5 ? 0.0 : LlkdSelector.Config.momentumForSteps(totalSteps);
    this.ckptFile = runDir.resolve(RunCheckpoint.FILE);
  }

  /**
   * Phase 1, set-up: reads the data, builds the student, optimiser and selector, and opens the logs, or restores all
   * of them from the run directory's checkpoint when {@code resume} and one exists.
   */
  static TrainingRun setUp(TrainConfig cfg, TrainingSources sources, Path runDir, boolean resume,
      Trainer.Monitor monitor) {
    TrainingRun run = new TrainingRun(cfg, sources, runDir, resume, monitor);
    try {
      run.build();
      return run;
    } catch (RuntimeException | Error e) {
      run.close();
      throw e;
    }
  }

  private void build() {
    int c = data.numClasses();
    built = StudentFactory.build(cfg, c, seeds.init());
    model = built.model();
    stepWs = new StepWorkspace("llkd-train-step");
    evalWs = new StepWorkspace("llkd-eval-batch");
    checkpoints = new CheckpointWriter(cfg.runId());
    opt = optimizer(cfg, model, totalSteps);
    selector = selector(cfg, c, momentum, seeds.selector(), data);
    tracker = new SelectionTracker(data.size());
    // the scratch buffers at their largest training batch at once, not grown by each longer batch (as in Evaluator)
    if (data.size() > 0) model.reserve(Math.min(cfg.schedule().batchSize(), data.size()), Math.max(1, data.trainTokens.maxLength()));
    trainStep = new SelectiveTrainStep(model, opt, cfg.selector().selectionForward());
    if (resume && Files.exists(ckptFile)) {
      RunCheckpoint.Position pos = RunCheckpoint.load(ckptFile, cfg, model, opt, selector, tracker);
      startEpoch = pos.epochsDone();
      LOG.info("{}: resumed after epoch {} from {}", cfg.runId(), startEpoch, ckptFile);
      steps = CsvLog.resume(runDir.resolve("steps.csv"), Trainer.STEP_COLUMNS, pos.stepRows());
      epochs = CsvLog.resume(runDir.resolve("epochs.csv"), Trainer.EPOCH_COLUMNS, pos.epochRows());
    } else {
      steps = CsvLog.create(runDir.resolve("steps.csv"), Trainer.STEP_COLUMNS);
      epochs = CsvLog.create(runDir.resolve("epochs.csv"), Trainer.EPOCH_COLUMNS);
    }
    updates = opt.iteration();
    memory = NativeMemoryGuard.ofThisJvm();
    residentAtStart = memory.sample();
    times.set(RunTimes.STARTUP, (System.nanoTime() - t0) / 1e9);
  }

  private static AdamW optimizer(TrainConfig cfg, StudentTransformer model, int totalSteps) {
    TrainConfig.Schedule s = cfg.schedule();
    int warmup = (int) Math.round(s.warmupFraction() * totalSteps);
    AdamW.Config optCfg = AdamW.Config.bert(s.learningRate(), s.weightDecay(), warmup, totalSteps)
        .withMaxGradNorm(s.maxGradNorm());
    return new AdamW(optCfg, model.params(), optCfg.schedule(),
        cfg.student().freezeWordEmbeddings() ? Set.of(StudentTransformer.WORD_EMBEDDINGS) : Set.of(),
        cfg.student().lazyWordEmbeddings() ? StudentTransformer.WORD_EMBEDDINGS : null);
  }

  static SampleSelector selector(TrainConfig cfg, int c, double momentum, long seed, TrainingData data) {
    TrainConfig.Selector s = cfg.selector();
    Selectors.Params p = Selectors.Params.defaults(c).withMomentum(momentum).withRatio(s.ratio())
        .withConfidenceThreshold(s.confidenceThreshold()).withTemperature(s.temperature()).withSeed(seed);
    if (s.initFromTeacher() && s.method().equals("llkd")) {
      LlkdSelector.Config base = cfg.llkd().applyTo(LlkdSelector.Config.defaults(c, momentum));
      try (INDArray all = data.allTeacherProbs()) { // [n, C], read into the selector's thresholds
        return new LlkdSelector(LlkdSelector.Config.initFromTeacher(all, base));
      }
    }
    if (!cfg.llkd().isDefault()) { // TrainConfig admits non-default choices for llkd* methods only
      for (LlkdSelector.Ablation a : LlkdSelector.Ablation.values()) {
        if (a.registryName().equals(s.method())) {
          return new LlkdSelector(s.method(), cfg.llkd().applyTo(LlkdSelector.Config.defaults(c, momentum)).with(a));
        }
      }
      throw new IllegalArgumentException("method " + s.method() + " does not read uncertainty/weightForm/classWise");
    }
    return Selectors.create(s.method(), p);
  }

  /** Phase 2 for every epoch left (or until the stop hook, {@code --max-steps} or the monitor stops the run). */
  void trainEpochs(Trainer.StopHook stop) {
    try (Progress bar = Progress.start(cfg.runId(), totalSteps, (long) startEpoch * stepsPerEpoch, " steps")) {
      for (int epoch = startEpoch; epoch < cfg.schedule().epochs() && !stopped; epoch++) {
        epoch(epoch, stop, bar);
      }
    } finally {
      steps.close();
      epochs.close();
    }
  }

  /**
   * Phase 2, one epoch: its steps (a step log row each; a dev evaluation where the monitor asks), then, unless
   * stopped, the epoch's dev evaluation, its epochs.csv row and the checkpoint.
   */
  void epoch(int epoch, Trainer.StopHook stop, Progress bar) {
    int n = data.size();
    int batchSize = cfg.schedule().batchSize();
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
      int from = s * batchSize;
      int[] local = Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
      SelectedStep.Outcome out;
      try (MemoryWorkspace ws = stepWs.enter()) { // the step's temporaries; out holds primitives only
        out = SelectedStep.run(trainStep, data, selector, tracker, local, seeds.dropout() + globalStep);
      }
      logStep(epoch, s, globalStep, out, bar);
      for (int r : out.chosenRows()) selectedThisEpoch[r] = true;
      if (data.dev != null && s < stepsPerEpoch - 1
          && (monitor.evalAfterStep(globalStep) || globalStep == totalSteps - 1)) {
        long e0 = System.nanoTime();
        INDArray p = Evaluator.probabilities(model, data.devTokens, cfg.schedule().evalBatchSize(), evalWs); // [N_dev, C]
        ClassificationMetrics d = ClassificationMetrics.of(data.gold(data.dev, data.devRows), p,
            data.dev.labels().names());
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
    if (stopped) return; // stopped after a mid-epoch dev evaluation: that one is the last
    endOfEpoch(epoch, selectedThisEpoch);
  }

  private void logStep(int epoch, int s, int globalStep, SelectedStep.Outcome out, Progress bar) {
    SelectiveTrainStep.Outcome o = out.step();
    boolean gold = data.trainHasGold();
    if (!o.empty()) updates++;
    steps.row(epoch, s, globalStep, out.batch(), o.selected(), out.ratio(), o.loss(), o.learningRate(), o.gradNorm(),
        out.diag(Diagnostics.TAU_T), out.diag(Diagnostics.TAU_S), out.diag(Diagnostics.WEIGHT_MIN),
        out.diag(Diagnostics.WEIGHT_MEAN), out.diag(Diagnostics.WEIGHT_MAX),
        gold ? out.teacherAccBatch() : Double.NaN, gold ? out.teacherAccSelected() : Double.NaN,
        o.empty() ? 1 : 0, out.rest());
    bar.step();
    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f ratio %.2f%s", o.loss(), out.ratio(),
        monitor.status()));
    monitor.onStep(epoch, globalStep, o.loss(), out.ratio(), o.learningRate());
  }

  /** The epoch's dev evaluation, epochs.csv row and checkpoint. */
  private void endOfEpoch(int epoch, boolean[] selectedThisEpoch) {
    int lastStep = (epoch + 1) * stepsPerEpoch - 1;
    if (data.dev != null) {
      long e0 = System.nanoTime();
      NativeArrays.close(devProbs); // the previous epoch's
      devProbs = Evaluator.probabilities(model, data.devTokens, cfg.schedule().evalBatchSize(), evalWs); // [N_dev, C]
      dev = ClassificationMetrics.of(data.gold(data.dev, data.devRows), devProbs, data.dev.labels().names());
      times.add(RunTimes.DEV_EVALUATION, e0);
      memory.sample();
      stopped = monitor.onDevEval(epoch, lastStep, dev, model);
      LOG.debug("{}: epoch {} dev accuracy {} macro-F1 {} data used {}", cfg.runId(), epoch + 1, dev.accuracy(),
          dev.macroF1(), tracker.dataUsed());
    }
    epochs.row(epoch, lastStep, dev == null ? Double.NaN : dev.accuracy(),
        dev == null ? Double.NaN : dev.macroF1(), dev == null ? Double.NaN : dev.ece(),
        tracker.dataUsed(), tracker.meanSelectionRatio(), tracker.emptySteps(), fraction(selectedThisEpoch));
    if (monitor.checkpointAfterEpoch(epoch + 1)) {
      long c0 = System.nanoTime();
      RunCheckpoint.save(checkpoints, ckptFile, cfg, model, opt, selector, tracker,
          new RunCheckpoint.Position(epoch + 1, steps.rows(), epochs.rows())); // written in the background
      times.add(RunTimes.CHECKPOINT_BLOCKING, c0);
      if (monitor.observesCheckpoints()) {
        // the monitor (llkd train) deletes state the previous checkpoint pointed at: only once this one landed
        long w0 = System.nanoTime();
        checkpoints.await();
        times.add(RunTimes.CHECKPOINT_BLOCKING, w0);
        monitor.onCheckpoint(epoch + 1);
      }
    }
  }

  /**
   * Phase 3, final evaluation: dev (again only if the last epoch-end evaluation is stale), test, the train rows;
   * then metrics.csv, test_report.json, test_probs.csv.gz, dev_predictions.csv and provenance.json.
   */
  Trainer.Result finish() {
    long finish0 = System.nanoTime();
    int evalBatch = cfg.schedule().evalBatchSize();
    if (data.dev != null && (dev == null || devProbs == null)) {
      // resumed after the last epoch's checkpoint, or stopped mid-epoch: evaluate the final model (deterministic)
      devProbs = Evaluator.probabilities(model, data.devTokens, evalBatch, evalWs);
      dev = ClassificationMetrics.of(data.gold(data.dev, data.devRows), devProbs, data.dev.labels().names());
    }
    boolean gold = data.trainHasGold();
    int[] testGold = null;
    ClassificationMetrics test = null;
    ClassReport testReport = null;
    if (data.test != null) {
      testGold = data.gold(data.test, data.testRows);
      long e0 = System.nanoTime();
      INDArray testProbs = Evaluator.probabilities(model, data.testTokens, evalBatch, evalWs); // [N_test, C]
      times.add(RunTimes.TEST_EVALUATION, e0);
      test = ClassificationMetrics.of(testGold, testProbs, data.test.labels().names());
      testReport = ClassReport.of(testGold, testProbs, data.test.labels().names());
      Predictions.writeProbabilities(runDir.resolve(Trainer.TEST_PROBS_FILE), data.test, data.testRows, testProbs);
      testProbs.close();
    }
    int trainMajority = gold ? ClassReport.majorityClass(data.goldLabels, data.numClasses()) : -1; // no gold: none
    if (data.dev != null) Predictions.write(runDir.resolve("dev_predictions.csv"), data.dev, data.devRows, devProbs);
    NativeArrays.close(devProbs);
    devProbs = null;
    double[] studentTrainAcc = {Double.NaN, Double.NaN};
    if (gold && cfg.schedule().evaluateTrainRows()) {
      long e0 = System.nanoTime();
      INDArray trainProbs = Evaluator.probabilities(model, data.trainTokens, evalBatch, evalWs); // [n, C]
      studentTrainAcc = Predictions.accuracyAllVsSelected(trainProbs, data.goldLabels, tracker::everSelected);
      trainProbs.close();
      times.add(RunTimes.TRAIN_EVALUATION, e0);
    }
    monitor.onFinish(model);
    memory.sample();
    double wall = (System.nanoTime() - t0) / 1e9;

    RunMetrics m = new RunMetrics(
        new RunMetrics.Run(cfg.runId(), cfg.dataset(), cfg.method(), cfg.seed(), data.size(), cfg.schedule().epochs(),
            totalSteps, updates),
        new RunMetrics.Scores(test == null ? Double.NaN : test.accuracy(), test == null ? Double.NaN : test.macroF1(),
            test == null ? Double.NaN : test.ece(), dev == null ? Double.NaN : dev.accuracy(),
            dev == null ? Double.NaN : dev.macroF1()),
        new RunMetrics.SelectionUse(tracker.dataUsed(), tracker.meanSelectionRatio(), tracker.emptySteps(),
            gold ? tracker.teacherAccuracyAll() : Double.NaN, gold ? tracker.teacherAccuracySelected() : Double.NaN,
            gold ? tracker.teacherAccuracyEverSelected() : Double.NaN),
        new RunMetrics.StudentFit(studentTrainAcc[0], studentTrainAcc[1]),
        momentum, wall,
        new RunMetrics.Baselines(testReport == null ? Double.NaN : testReport.topPredictedShare(),
            testGold == null || !gold ? Double.NaN : ClassReport.constantAccuracy(testGold, trainMajority),
            gold ? ClassReport.constantAccuracy(data.goldLabels, trainMajority) : Double.NaN));
    if (test != null) {
      Map<String, Object> report = new LinkedHashMap<>(testReport.toMap());
      report.put("accuracy", test.accuracy());
      report.put("macroF1", test.macroF1());
      report.put("ece", test.ece());
      report.put("rows", testGold.length);
      writeJson(runDir.resolve(Trainer.TEST_REPORT_FILE), report);
    }
    try (CsvLog metrics = CsvLog.create(runDir.resolve("metrics.csv"), RunMetrics.COLUMNS)) {
      metrics.row(m.values().toArray());
    }
    Provenance prov = provenance(m);
    checkpoints.await(); // the last epoch's checkpoint is on disk before the run reports its time
    times.add(RunTimes.FINISH, finish0);
    times.set(RunTimes.TOTAL, (System.nanoTime() - t0) / 1e9);
    times.set(RunTimes.TRAINING_LOOP, trainSecondsPerEpoch.stream().mapToDouble(Double::doubleValue).sum());
    prov.put("timeSeconds", times.toMap()).startedAt(started);
    prov.write(runDir.resolve("provenance.json"));
    return new Trainer.Result(cfg, m, test, dev, runDir, prov);
  }

  private Provenance provenance(RunMetrics m) {
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
        .put("metrics", m.toMap());
    return prov;
  }

  /** Frees the run's native memory: optimiser, checkpoint writer (after its last write), workspaces, model. */
  @Override
  public void close() {
    NativeArrays.close(devProbs);
    devProbs = null;
    try (StudentTransformer m = model; StepWorkspace s = stepWs; StepWorkspace e = evalWs;
         CheckpointWriter w = checkpoints; AdamW o = opt) {
      // closed in reverse order: opt, checkpoints, evalWs, stepWs, model (null ones skipped)
    }
  }

  private static void writeJson(Path file, Map<String, Object> value) {
    try {
      AtomicFiles.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static double fraction(boolean[] marks) {
    int k = 0;
    for (boolean b : marks) if (b) k++;
    return marks.length == 0 ? Double.NaN : k / (double) marks.length;
  }
}
