package org.llkd.experiments.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.llkd.experiments.log.RunLog;
import org.llkd.experiments.metrics.ClassificationMetrics;
import org.llkd.experiments.report.Provenance;
import org.llkd.models.encoder.StudentTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LLKD (or baseline) training run, in Tribuo's shape: configured once ({@link TrainConfig}, run directory,
 * resume, hooks), then {@link #train(Supplier)} returns a {@link Result} with its provenance. Per step: the selector
 * reads the student's logits of the whole batch, picks rows and weights, and forward and backward run on the
 * selected rows only; AdamW updates ({@code org.llkd.models.train.SelectiveTrainStep}). Dev is evaluated after every
 * epoch, test at the end. The run itself (set-up, one epoch, final evaluation) is {@link TrainingRun}.
 *
 * <p>Writes into its run directory: {@code steps.csv} (one row per step, no wall-clock values, so an
 * interrupted-and-resumed run writes the same file as an unbroken one), {@code epochs.csv} (dev
 * metrics per epoch), {@code metrics.csv} (final, one row, {@link RunMetrics}), {@code provenance.json}, and
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
  /** Test-set probabilities of the final model, gzip-compressed CSV: id, gold, then one column per label. */
  public static final String TEST_PROBS_FILE = "test_probs.csv.gz";
  /** Per-class precision/recall/F1/support and the confusion matrix of the final model on test. */
  public static final String TEST_REPORT_FILE = "test_report.json";

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final TrainConfig config;
  private final Path runDir;
  private final boolean resume;
  private final StopHook stop;
  private final Monitor monitor;

  /** A trainer of {@code config} into {@code runDir}, from scratch, with no hooks. */
  public Trainer(TrainConfig config, Path runDir) {
    this(config, runDir, false, StopHook.NEVER, Monitor.NONE);
  }

  private Trainer(TrainConfig config, Path runDir, boolean resume, StopHook stop, Monitor monitor) {
    if (config == null || runDir == null || stop == null || monitor == null) {
      throw new IllegalArgumentException("Trainer: config, runDir, stop hook and monitor are required");
    }
    this.config = config;
    this.runDir = runDir;
    this.resume = resume;
    this.stop = stop;
    this.monitor = monitor;
  }

  /** This trainer continuing from the run directory's checkpoint when there is one ({@code resume}). */
  public Trainer resuming(boolean on) {
    return new Trainer(config, runDir, on, stop, monitor);
  }

  /** This trainer with a hook that can stop the run before a step (tests of resume). */
  public Trainer withStopHook(StopHook s) {
    return new Trainer(config, runDir, resume, s, monitor);
  }

  /**
   * This trainer with a {@link Monitor} that sees every step and dev evaluation, may ask for extra dev evaluations
   * and may stop the run early (best-model keeping, patience).
   */
  public Trainer withMonitor(Monitor m) {
    return new Trainer(config, runDir, resume, stop, m);
  }

  public TrainConfig config() {
    return config;
  }

  public Path runDir() {
    return runDir;
  }

  /** Trains on the dataset catalog's splits and the config's teacher file ({@link TrainingSources#catalog}). */
  public Result train() {
    return train(() -> TrainingSources.catalog(config));
  }

  /**
   * Trains on {@code sources} (the catalog, or a user's files; read inside the run, so a bad file is logged with it).
   * While it runs, this thread's log lines go (at DEBUG) into {@code runDir/run.log} too ({@link RunLog}).
   */
  public Result train(Supplier<TrainingSources> sources) {
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create run directory " + runDir + ": " + e.getMessage(), e);
    }
    try (RunLog log = RunLog.open(runDir, config.runId())) {
      LOG.info("{}: training {} on {} (seed {}) -> {}", config.runId(), config.method(), config.dataset(),
          config.seed(), runDir);
      LOG.debug("{}: config {}", config.runId(), config);
      Result r;
      try (TrainingRun run = TrainingRun.setUp(config, sources.get(), runDir, resume, monitor)) {
        run.trainEpochs(stop);
        r = run.finish();
      }
      if (r.test() != null) {
        LOG.info("{}: test accuracy {} macro-F1 {} ({} s)", config.runId(),
            String.format(Locale.ROOT, "%.4f", r.test().accuracy()), String.format(Locale.ROOT, "%.4f", r.test().macroF1()),
            String.format(Locale.ROOT, "%.1f", r.metrics().wallSeconds()));
      } else { // no test split (llkd train scores the model it keeps itself): no test figure of the last model
        LOG.info("{}: trained in {} s", config.runId(), String.format(Locale.ROOT, "%.1f", r.metrics().wallSeconds()));
      }
      return r;
    } catch (RuntimeException | Error e) {
      LOG.debug("{}: failed", config.runId(), e);
      throw e;
    }
  }

  /**
   * The final numbers of a run.
   *
   * @param metrics the metrics.csv row
   * @param test the final model on test (null without a test split)
   * @param dev the final model on dev (null without a dev split)
   * @param provenance what provenance.json holds
   */
  public record Result(TrainConfig config, RunMetrics metrics, ClassificationMetrics test, ClassificationMetrics dev,
      Path runDir, Provenance provenance) {}

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

  /**
   * Where a grid's or sweep's run is trained: a {@link Trainer} in this JVM ({@link #LOCAL}, {@link #KEEPING_MODELS}),
   * a Spark task ({@code SparkEngine#launcher()}), or a test's stub. The result is read back from the run directory.
   */
  @FunctionalInterface
  public interface Launcher {
    /** A {@link Trainer} in this JVM. */
    Launcher LOCAL = (config, runDir, resume) -> new Trainer(config, runDir).resuming(resume).train();

    /**
     * {@link #LOCAL}, then the run's final student is kept as {@code <run>/model} (docs/model-format.md) before the
     * sweep deletes the checkpoint ({@code llkd sweep --keep-models}).
     */
    Launcher KEEPING_MODELS = new Launcher() {
      @Override public void train(TrainConfig config, Path runDir, boolean resume) {
        LOCAL.train(config, runDir, resume);
        ModelExport.keep(config, runDir);
      }

      @Override public void reuse(TrainConfig config, Path runDir) {
        ModelExport.keepFinished(config, runDir);
      }
    };

    /** Trains (or, with {@code resume}, continues) the run in {@code runDir}. */
    void train(TrainConfig config, Path runDir, boolean resume);

    /**
     * A run that had finished before is reused: {@link #KEEPING_MODELS} still keeps its model
     * ({@link ModelExport#keepFinished}); others do nothing.
     */
    default void reuse(TrainConfig config, Path runDir) {}

    /** Where runs train, for the sweep's provenance.json. */
    default Map<String, Object> describe() {
      return Map.of("engine", "local");
    }

    /** How many runs can train at once, or null when the sweep file's {@code workers} decides. */
    default Integer slots() {
      return null;
    }
  }
}
