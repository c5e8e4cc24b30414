/**
 * CSV files of results and logs ({@code raw.csv}, {@code metrics.csv}, {@code steps.csv}, predictions, bins), read and
 * written with Apache Commons CSV (RFC 4180: a cell holding a comma, quote or line break is quoted, {@code ""} inside
 * quotes). {@link org.llkd.experiments.csv.Csv} is the one place that fixes the format ({@code \n} line ends, quotes
 * only where needed, so files of plain cells stay byte-identical to what the hand-written writers produced).
 *
 * <p>Imports: Commons CSV and {@code org.llkd.models.io} only.
 */
package org.llkd.experiments.csv;
