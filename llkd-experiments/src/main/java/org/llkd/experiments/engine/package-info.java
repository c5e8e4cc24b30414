/**
 * Engines that execute a grid of independent training runs ({@link org.llkd.experiments.engine.RunGrid.Spec}s):
 * {@link org.llkd.experiments.engine.LocalEngine} runs them one after another in this JVM (the behaviour before
 * engines existed); {@link org.llkd.experiments.engine.SparkEngine} makes each run one Apache Spark task.
 *
 * <p>Who writes what (both engines): a run's own files ({@code runs/<run-id>/steps.csv}, {@code metrics.csv},
 * {@code provenance.json}, checkpoints, {@code FAILED.txt}) are written by the one task that owns that run
 * directory, into the shared output directory, with the same skip-if-finished rule as
 * {@link org.llkd.experiments.engine.RunGrid#run} ({@code metrics.csv} present = finished). The grid's
 * {@code raw.csv} and {@code provenance.json} are written by the driver only, from the rows the tasks return.
 *
 * <p>Imports: {@code train}, {@code teacher} (the encoder a Spark export embeds with), {@code log} and {@code report};
 * never {@code exp} or {@code sweep}: the engine runs the tasks it is given and knows nothing of experiments (they
 * open engines through {@link org.llkd.experiments.engine.RunEngines}; {@code PackageCyclesTest} checks it).
 * Only {@code SparkEngine} and {@code SparkTask} may
 * import {@code org.apache.spark}: Spark is a {@code provided} dependency, absent when the project runs without
 * {@code spark-submit} or the checkout's class path, so nothing else may load those classes. See
 * {@code docs/spark.md}.
 */
package org.llkd.experiments.engine;
