/**
 * Text classification datasets: the shipped normalised TSVs under {@code data/} ({@link
 * org.llkd.experiments.data.DatasetCatalog}) and readers for the original formats of the paper's five
 * datasets (PubMed-RCT, Yahoo! Answers, Emotion, Arxiv-10, BiosBias), all producing a {@link
 * org.llkd.experiments.data.TextDataset}.
 *
 * <p>Conventions others code against: a sample id is {@code "<split>-<rowIndex>"} (0-based index of the
 * sample within the file, header excluded), e.g. {@code train-0}; a class id is the 0-based line number of
 * the class name in {@code labels.txt}.
 *
 * <p>Readers are built on DataVec record readers ({@code LineRecordReader}, {@code JacksonLineRecordReader},
 * DataVec's {@code SerializableCSVParser}); each file is first streamed once to compute its SHA-256 and
 * to reject invalid UTF-8 (DataVec's readers would silently replace bad bytes with U+FFFD). Every format
 * error is a {@link org.llkd.experiments.data.DatasetFormatException} naming file, line, expected and found.
 *
 * <p>Must not import {@code org.llkd.experiments.metrics}, {@code org.llkd.experiments.teacher} or any
 * experiment class: data knows nothing of how it is used.
 */
package org.llkd.experiments.data;
