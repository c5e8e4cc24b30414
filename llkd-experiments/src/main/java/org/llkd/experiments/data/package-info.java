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
 * <p>Readers are built on the project's one text reader ({@code org.llkd.experiments.textfile}: lines from
 * {@code TextLines}, RFC 4180 records from {@code CsvRecords} via Apache Commons CSV, JSON lines by Jackson); each
 * file is first streamed once through the strict UTF-8 decoder to compute its SHA-256 and to reject invalid UTF-8
 * (never replaced by U+FFFD). Every format error is a {@code TextFileException} naming file, line, expected and
 * found. (DataVec's record readers did this job before; they are gone: see docs/dependencies.md.)
 *
 * <p>Must not import {@code org.llkd.experiments.metrics}, {@code org.llkd.experiments.teacher} or any
 * experiment class: data knows nothing of how it
 * is used. Imports {@code org.llkd.experiments.textfile} and {@code org.llkd.models.io}.
 */
package org.llkd.experiments.data;
