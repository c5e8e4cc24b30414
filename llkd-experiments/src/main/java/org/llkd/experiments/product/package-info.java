/**
 * The distilled student as a product, for the {@code predict}, {@code evaluate}, {@code export onnx} and
 * {@code teacher check} commands: reading a user's own text files (TSV, RFC 4180 CSV via Apache Commons CSV,
 * JSONL, plain text lines) with chosen columns, writing predictions, evaluating a model directory, running an
 * exported ONNX graph in onnxruntime, and checking a teacher file against a train file.
 *
 * <p>Imports llkd-models (classifier, onnx, io), llkd-selection's teacher reader, experiments' data, train (the
 * {@code Trainer} that {@code llkd train} runs), metrics and report; must not
 * import experiment classes ({@code exp} except its {@code Charts}, {@code sweep}, {@code engine}).
 */
package org.llkd.experiments.product;
