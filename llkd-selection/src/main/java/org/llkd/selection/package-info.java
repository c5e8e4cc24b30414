/**
 * Sample selection for LLKD (see {@code shared/LLKD_METHOD.md}): which pseudo-labelled rows of a batch the student
 * trains on, with which weights, under which loss.
 *
 * <p>Holds the {@link org.llkd.selection.SampleSelector} contract and its value types ({@link org.llkd.selection.StepBatch}
 * in, {@link org.llkd.selection.Selection} out, {@link org.llkd.selection.SelectorState} for checkpoints), the paper's
 * {@link org.llkd.selection.LlkdSelector} with its Figure-3 ablations as config presets, and the
 * {@link org.llkd.selection.Selectors} registry. Baselines live in {@code org.llkd.selection.baselines}; teacher-output
 * import lives in {@code org.llkd.selection.teacher}.
 *
 * <p>Selectors decide, losses apply (USB's masking-hook / algorithm split): nothing here computes a training loss or
 * touches student parameters; the {@link org.llkd.selection.LossSpec} of a selection tells the trainer which loss of
 * {@code org.llkd.models.loss} to apply. Must not import {@code org.llkd.experiments} or {@code org.llkd.bench}; only
 * {@link org.llkd.selection.Selectors} imports the baselines package.
 */
package org.llkd.selection;
