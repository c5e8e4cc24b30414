package org.llkd.experiments.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeacherQualityTest {
  /** provenance.json's quality rows are read back by key ({@code TeacherReport}): the flat keys, in this order. */
  @Test
  void writesTheFlatJsonRowProvenanceHolds() throws Exception {
    double[][] probs = {{0.9, 0.1}, {0.4, 0.6}, {0.8, 0.2}, {0.3, 0.7}};
    TeacherQuality q = TeacherQuality.of(probs, new int[] {0, 0, 1, 1}, List.of("neg", "pos"));
    String json = new ObjectMapper().writeValueAsString(q);
    assertEquals("{\"n\":4,\"accuracy\":0.5,\"macroF1\":0.5,\"perClassF1\":{\"neg\":0.5,\"pos\":0.5},\"ece\":"
        + q.ece() + ",\"nll\":" + q.nll() + ",\"meanConfidence\":" + q.meanConfidence()
        + ",\"majorityClass\":\"neg\",\"majorityRate\":0.5,\"confidenceAuroc\":" + q.confidenceAuroc() + "}", json);
  }

  @Test
  void aurocCountsPairsOfCorrectAboveWrong() {
    // correct confidences {0.9, 0.6}, wrong {0.7, 0.5}: pairs (0.9>0.7, 0.9>0.5, 0.6<0.7, 0.6>0.5) -> 3/4
    assertEquals(0.75, TeacherQuality.auroc(new double[] {0.9, 0.7, 0.6, 0.5}, new boolean[] {true, false, true, false}), 1e-12);
    // ties count one half
    assertEquals(0.5, TeacherQuality.auroc(new double[] {0.8, 0.8}, new boolean[] {true, false}), 1e-12);
    // ties inside a larger set: correct {0.9, 0.6, 0.6}, wrong {0.6, 0.2}: 2 + (0.5 + 1) + (0.5 + 1) = 5 of 6
    assertEquals(5.0 / 6, TeacherQuality.auroc(new double[] {0.9, 0.6, 0.6, 0.6, 0.2},
        new boolean[] {true, true, true, false, false}), 1e-12);
    assertEquals(Double.NaN, TeacherQuality.auroc(new double[] {0.9, 0.8}, new boolean[] {true, true}));
  }

  /** Why auroc is not ND4J's ROC: the same value without ties, a wrong one with a tie. */
  @Test
  void nd4jExactRocAgreesWithoutTiesButNotWithThem() {
    double[] score = {0.9, 0.7, 0.6, 0.5};
    boolean[] pos = {true, false, true, false};
    assertEquals(TeacherQuality.auroc(score, pos), nd4jAuc(score, pos), 1e-12);
    double[] tied = {0.8, 0.8};
    boolean[] one = {true, false};
    assertEquals(0.5, TeacherQuality.auroc(tied, one), 1e-12);
    assertEquals(1.0, nd4jAuc(tied, one), 1e-12, "ND4J's exact ROC changed its tie handling: consider using it");
  }

  private static double nd4jAuc(double[] score, boolean[] pos) {
    int n = score.length;
    double[] label = new double[n];
    for (int i = 0; i < n; i++) label[i] = pos[i] ? 1 : 0;
    org.nd4j.evaluation.classification.ROC roc = new org.nd4j.evaluation.classification.ROC(0);
    roc.eval(org.nd4j.linalg.factory.Nd4j.createFromArray(label).reshape(n, 1),
        org.nd4j.linalg.factory.Nd4j.createFromArray(score).reshape(n, 1)); // [n, 1] each
    return roc.calculateAUC();
  }

  @Test
  void majorityRateAndNllAreMeasuredOnTheSplit() {
    double[][] p = {{0.8, 0.2}, {0.6, 0.4}, {0.3, 0.7}, {0.5, 0.5}};
    int[] gold = {0, 0, 0, 1};
    TeacherQuality q = TeacherQuality.of(p, gold, List.of("a", "b"));
    assertEquals(0.5, q.accuracy(), 1e-12);                 // rows 0, 1 right; row 3 ties -> class 0
    assertEquals(0.75, q.majorityRate(), 1e-12);
    assertEquals("a", q.majorityClass());
    assertEquals(-(Math.log(0.8) + Math.log(0.6) + Math.log(0.3) + Math.log(0.5)) / 4, q.nll(), 1e-12);
  }

  @Test
  void verdictMarksWeakTeachers() {
    assertEquals("ok", TeacherReport.verdict(0.70, 0.35));
    assertEquals(true, TeacherReport.verdict(0.45, 0.30).startsWith("**weak**"));   // below 50%
    assertEquals(true, TeacherReport.verdict(0.61, 0.59).startsWith("**weak**"));   // near majority
    assertEquals(true, TeacherReport.verdict(0.40, 0.47).contains("below the majority"));
  }
}
