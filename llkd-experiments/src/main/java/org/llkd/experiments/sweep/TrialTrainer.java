package org.llkd.experiments.sweep;

import java.nio.file.Path;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.experiments.train.Trainer;

/** Trains one trial into its directory; {@link Trainer#run(TrainConfig, Path, boolean)} outside tests. */
@FunctionalInterface
public interface TrialTrainer {
  /** The trainer used by sweeps. */
  TrialTrainer DEFAULT = Trainer::run;

  Trainer.Result train(TrainConfig config, Path trialDir, boolean resume);
}
