/**
 * The one way text files are read: the dataset readers ({@code data}), the reader of users' files behind
 * {@code llkd train/predict/evaluate} and {@code teacher check} ({@code product.TextFileReader}) and the labels files
 * all go through this package. Bytes are decoded by the project's one strict UTF-8 decoder
 * ({@link org.llkd.models.io.StrictUtf8Reader}: malformed bytes are an error, never U+FFFD); lines come from
 * {@link org.llkd.experiments.textfile.TextLines}, RFC 4180 records from {@link org.llkd.experiments.textfile.CsvRecords}
 * (Apache Commons CSV); every refusal is a {@link org.llkd.experiments.textfile.TextFileException}, naming the file,
 * the line (and row), what was expected and what was found.
 *
 * <p>Imports Commons CSV and {@code org.llkd.models.io} only; never {@code data}, {@code product} or the CLI (they
 * import this package).
 */
package org.llkd.experiments.textfile;
