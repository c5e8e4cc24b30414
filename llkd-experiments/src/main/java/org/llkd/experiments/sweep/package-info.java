/**
 * Hyper-parameter sweeps with Arbiter (arbiter-core 1.0.0-beta7 on ND4J 1.0.0-M2.1; docs/arbiter.md): a sweep
 * file ({@link org.llkd.experiments.sweep.SweepSpec}) names the dataset, teacher, tier, method, search (random,
 * grid, one-at-a-time) and parameter ranges; {@link org.llkd.experiments.sweep.SweepPlan} draws every trial from
 * Arbiter's generators over a {@link org.llkd.experiments.sweep.TrialSpace}; {@link
 * org.llkd.experiments.sweep.SweepRunner} runs them through Arbiter's {@code LocalOptimizationRunner}, one
 * directory per trial ({@code trials/<id>/}, idempotent: finished trials are reused, interrupted ones resumed),
 * and writes raw.csv, table.md, best_config.json and provenance.json ({@link org.llkd.experiments.sweep.SweepReport}).
 *
 * <p>Uses train (Tier, Trainer.Launcher), report (RawTable), teacher (TeacherFiles) and engine (RunEngine); only cli and exp's
 * Fig5ParameterAnalysis import it. Must not import cli or exp (PackageCyclesTest checks that no package cycle exists).
 */
package org.llkd.experiments.sweep;
