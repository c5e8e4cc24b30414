/**
 * The LLKD training loop: {@link org.llkd.experiments.train.TrainConfig} (grouped, validated once),
 * {@link org.llkd.experiments.train.Trainer} (configured once, {@code train(sources)} returns a result with its
 * provenance; {@code Trainer.Launcher} is how grids and sweeps hand it a run), {@link
 * org.llkd.experiments.train.TrainingRun} (set-up, one epoch, final evaluation), seeded batches, the models'
 * {@code SelectiveTrainStep} with the run's selector, per-step CSV log, per-epoch dev evaluation, checkpoints and
 * resume, and {@link org.llkd.experiments.train.RunMetrics} (metrics.csv's row and column order). Uses models and
 * selection; nothing outside experiments imports it.
 */
package org.llkd.experiments.train;
