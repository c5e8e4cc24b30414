/**
 * Statistics of the result tables: mean ± 95% Student-t interval over seeds ({@link SeedSummary}), paired
 * comparisons of a reference method against a baseline over shared seeds ({@link PairedComparison}: paired t-test,
 * exact Wilcoxon signed-rank test), Holm's step-down correction over a family of baselines ({@link Holm}), the
 * comparison of many methods over many datasets ({@link Friedman} with the Iman–Davenport F, {@link Nemenyi}'s critical
 * difference for any number of methods; Demšar 2006), and the "within the seed spread" agreement rule of the
 * cross-check ({@link SeedSpread}). Pure functions over {@code double[]}; imports nothing of this project (the table
 * builders in {@code org.llkd.experiments.exp} use it, never the reverse).
 */
package org.llkd.experiments.stats;
