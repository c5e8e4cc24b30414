package org.llkd.experiments.engine;

import java.nio.file.Path;
import java.util.Map;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.experiments.train.Trainer;

/**
 * Trains one trial into its directory: {@link Trainer#run(TrainConfig, Path, boolean)} in this JVM
 * ({@link #DEFAULT}), or as a Spark task ({@code SparkEngine#trialTrainer()}); tests inject failures with lambdas.
 */
@FunctionalInterface
public interface TrialTrainer {
  /** The trainer used by sweeps: in this JVM. */
  TrialTrainer DEFAULT = Trainer::run;

  /**
   * {@link #DEFAULT}, then the trial's final student is kept as {@code <trial>/model} (docs/model-format.md) before
   * the sweep deletes the checkpoint ({@code llkd sweep --keep-models}).
   */
  TrialTrainer KEEPING_MODELS = new TrialTrainer() {
    @Override public void train(TrainConfig config, Path trialDir, boolean resume) {
      Trainer.run(config, trialDir, resume);
      org.llkd.experiments.train.ModelExport.keep(config, trialDir);
    }

    @Override public void reuse(TrainConfig config, Path trialDir) {
      org.llkd.experiments.train.ModelExport.keepFinished(config, trialDir);
    }
  };

  /** Trains (or, with {@code resume}, continues) the trial; the result is read back from {@code trialDir}. */
  void train(TrainConfig config, Path trialDir, boolean resume);

  /**
   * A trial that had finished before is reused: {@link #KEEPING_MODELS} still keeps its model
   * ({@link org.llkd.experiments.train.ModelExport#keepFinished}); others do nothing.
   */
  default void reuse(TrainConfig config, Path trialDir) {}

  /** Where trials run, for the sweep's provenance.json. */
  default Map<String, Object> describe() {
    return Map.of("engine", "local");
  }

  /** How many trials can run at once, or null when the sweep file's {@code workers} decides. */
  default Integer slots() {
    return null;
  }
}
