package org.llkd.experiments.teacher.plan;

import java.util.List;

/** The student of a planning round: trained on the rows labelled so far, it scores the whole pool. */
public interface PlanStudent {
  /**
   * @param uncertainty [n] the student's uncertainty per pool row (normalised entropy, in [0, 1])
   * @param embeddings  [n][d] the student's sentence embedding per pool row
   */
  record PoolScores(double[] uncertainty, double[][] embeddings) {}

  /**
   * Trains on {@code labelled} (pool rows, with the teacher's probabilities {@code teacherProbs[i]} for
   * {@code labelled.get(i)}) and scores every pool row. {@code round} numbers the rounds from 1 (seeds, run dirs).
   */
  PoolScores fitAndScore(int round, List<Integer> labelled, double[][] teacherProbs);
}
