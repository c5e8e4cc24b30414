/**
 * The distilled student as a product, for the {@code predict}, {@code evaluate}, {@code export onnx} and
 * {@code teacher check} commands: reading a user's own text files (TSV, RFC 4180 CSV via Apache Commons CSV,
 * JSONL, plain text lines) with chosen columns, writing predictions, evaluating a model directory, running an
 * exported ONNX graph in onnxruntime, and checking a teacher file against a train file.
 *
 * <p>Rows come from {@link org.llkd.experiments.product.TextFileReader} on the project's one text reader
 * ({@code org.llkd.experiments.textfile}); label names become class indices in one place,
 * {@link org.llkd.experiments.product.LabelIndex}; every bad row is a {@code textfile.TextFileException}.
 *
 * <p>Imports llkd-models (classifier, onnx, io, label), llkd-selection's teacher reader, experiments' textfile, data, train (the
 * {@code Trainer} that {@code llkd train} runs), metrics and report; must not
 * import experiment classes ({@code exp} except its {@code Charts}, {@code sweep}, {@code engine}).
 */
package org.llkd.experiments.product;
