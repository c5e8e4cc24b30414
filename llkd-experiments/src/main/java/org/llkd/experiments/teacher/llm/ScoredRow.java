package org.llkd.experiments.teacher.llm;

/**
 * One text's label scores as written to the teacher file.
 *
 * @param logits    [numClasses] natural-log scores (log-probabilities, or the floor for a label not seen)
 * @param floored   how many labels got the floor instead of a returned log-probability
 * @param labelMass the probability mass the endpoint put on the labels (sum of exp of the matched log-probabilities);
 *                  NaN where not defined (sequence scoring)
 */
public record ScoredRow(double[] logits, int floored, double labelMass) {
  public ScoredRow {
    for (int k = 0; k < logits.length; k++) {
      if (!Double.isFinite(logits[k])) {
        throw new IllegalArgumentException("label " + k + ": expected a finite score, found " + logits[k]);
      }
    }
  }
}
