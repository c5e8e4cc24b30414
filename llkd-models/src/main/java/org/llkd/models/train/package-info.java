/**
 * The student's training step: {@link org.llkd.models.train.SelectiveTrainStep} is the whole step the trainer runs
 * (and {@code LlkdStepBench} times): the selector's view of every row (logits, per-row loss against the
 * pseudo-label), the selector's choice (through a callback, since selectors live outside models), then
 * {@link org.llkd.models.train.StudentTrainStep}: forward+backward+AdamW on only the rows with weight &gt; 0.
 * Imports only models packages and ND4J.
 */
package org.llkd.models.train;
