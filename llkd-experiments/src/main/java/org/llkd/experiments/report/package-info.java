/**
 * Results bookkeeping: provenance records beside every result, result-directory rules (never
 * overwrite without force), raw CSV I/O, and the builders that regenerate tables and figures from raw
 * per-run CSVs only.
 */
package org.llkd.experiments.report;
