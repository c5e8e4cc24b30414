/**
 * Results bookkeeping: provenance records beside every result, result-directory rules (never
 * overwrite without force), the clean-tree rule for writing under results/ ({@link CleanTree}), the degenerate-run
 * flags of the tables ({@link RunFlags}) and the Provenance section every table ends with ({@link TableProvenance}).
 * Works on plain rows (column → value) and files; must not import {@code org.llkd.experiments.exp} (which uses it).
 */
package org.llkd.experiments.report;
