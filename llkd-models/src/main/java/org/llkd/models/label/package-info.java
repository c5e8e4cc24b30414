/**
 * The one rule that turns a row of class probabilities (or logits) into a class index: {@link
 * org.llkd.models.label.PseudoLabel#argmax(double[])}, the largest entry, the first one on ties (numpy's argmax).
 * The teacher's pseudo-labels, a selector's view of the student's class, the predicted label of {@code predict},
 * {@code serve} and the metrics, and the benchmark's labels all call it, so they cannot disagree on a tie.
 *
 * <p>Imports the JDK only; every other package may import it.
 */
package org.llkd.models.label;
