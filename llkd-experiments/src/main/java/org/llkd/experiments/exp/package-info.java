/**
 * One runnable class per paper table and figure ({@code main()} for the IDE, {@code llkd run <Name>}
 * for the CLI), the run grid that executes their runs (skipping finished ones, resuming interrupted
 * ones), and the builders that regenerate every table and figure from the raw per-run CSVs.
 */
package org.llkd.experiments.exp;
