package org.llkd.selection;

/** Which loss the trainer applies to the rows a {@link Selection} keeps. Selectors decide; losses apply. */
public enum LossKind {
    /** {@code WeightedCrossEntropy} on the teacher's pseudo-labels with the selection's weights (LLKD and most baselines). */
    HARD_WEIGHTED_CE,
    /** {@code SoftLabelDistillation}: KL(p^T_τ || softmax(z/τ)) with the teacher's full probabilities, temperature τ. */
    SOFT_KL,
    /** Cross-entropy on the gold labels (the upper bound; needs gold labels in the batch). */
    GOLD_CE
}
