/**
 * Per-sample training losses for the student, each returning the scalar loss, the per-sample terms
 * {@code [batch]} and the gradient with respect to the student logits {@code [batch, numClasses]}:
 * {@link org.llkd.models.loss.WeightedCrossEntropy} (LLKD's weighted pseudo-label loss, weights are
 * constants) and {@link org.llkd.models.loss.SoftLabelDistillation} (temperature KL to the teacher's
 * distribution). Selectors decide which rows count and with what weight; these classes only apply it.
 *
 * <p>Imports only ND4J and the JDK; must not import {@code org.llkd.selection} or the encoder.
 */
package org.llkd.models.loss;
