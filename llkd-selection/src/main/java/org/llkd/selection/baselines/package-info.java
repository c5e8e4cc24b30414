/**
 * The baselines of the paper's main table (see {@code shared/LLKD_METHOD.md}, "Baselines"), one class each, all behind
 * {@link org.llkd.selection.SampleSelector} and all reachable by name through {@link org.llkd.selection.Selectors}:
 * all pseudo-labels, random at a ratio, teacher-confidence top-k and fixed threshold, student uncertainty only,
 * FreeMatch, small-loss, soft-label distillation, and the gold-label upper bound.
 *
 * <p>Like every selector, these decide and never apply a loss. Imports only {@code org.llkd.selection}, ND4J and
 * {@code org.llkd.models.label} (the pseudo-label rule); must not import {@code org.llkd.selection.teacher},
 * experiments or bench.
 */
package org.llkd.selection.baselines;
