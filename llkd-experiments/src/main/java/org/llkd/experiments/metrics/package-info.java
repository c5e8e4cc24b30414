/**
 * Evaluation metrics: {@link org.llkd.experiments.metrics.ClassificationMetrics} (accuracy, macro-F1,
 * per-class F1 via ND4J's {@code Evaluation}; expected calibration error via ND4J's
 * {@code EvaluationCalibration}, see {@link org.llkd.experiments.metrics.TopLabelCalibration}) and
 * {@link org.llkd.experiments.metrics.SelectionTracker} (data used, selection ratio, empty steps, teacher
 * accuracy on all vs selected rows, with a JSON-able snapshot for checkpoints).
 *
 * <p>Inputs are plain arrays and {@code INDArray}s with class names as {@code List<String>}; must not import
 * {@code org.llkd.experiments.data}, {@code org.llkd.experiments.teacher} or any experiment class.
 */
package org.llkd.experiments.metrics;
