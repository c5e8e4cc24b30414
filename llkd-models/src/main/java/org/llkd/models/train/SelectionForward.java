package org.llkd.models.train;

/**
 * Which forward pass a selection step reads the student's predictions from.
 *
 * <ul>
 *   <li>{@link #SEPARATE}: a gradient-free, dropout-free forward of all B rows for the selector, then a dropout
 *       forward and a backward of the selected rows only, trimmed to their own longest sequence
 *       ({@link StudentTrainStep#step}). Cost about F(B) + 3 F(k). The default.
 *   <li>{@link #SHARED}: one dropout forward of all B rows whose activations are kept; the selector reads its
 *       logits, and the backward runs on the selected rows only ({@link StudentTrainStep#forwardShared}, then
 *       {@code finishShared}). Cost about F(B) + 2 F(k), the 2.14x bound at 20% selected. The selector then sees
 *       train-mode (dropout) predictions, as in a PyTorch loop that selects from the training forward itself.
 * </ul>
 */
public enum SelectionForward { SEPARATE, SHARED }
