package org.llkd.experiments.teacher.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetPlannerTest {
  @Test
  void kCenterTakesTheFarthestPointEachTime() {
    // points on a line: 0, 1, 2, 10, 11, 20
    double[][] e = {{0}, {1}, {2}, {10}, {11}, {20}};
    List<Integer> all = List.of(0, 1, 2, 3, 4, 5);
    assertEquals(List.of(0, 5, 3), KCenter.select(e, List.of(), all, 3, 0));
    // with row 5 already labelled: farthest from 20 is 0, then from {0, 20}: 10 (distance 10)
    assertEquals(List.of(0, 3), KCenter.select(e, List.of(5), List.of(0, 1, 2, 3, 4), 2, -1));
  }

  @Test
  void thePlannerRevealsOnlyPlannedRowsAndPrefersUncertainDiverseOnes() {
    int n = 40;
    // rows 0..19: certain; rows 20..39 uncertain, in two tight clusters (20..29 at x=0, 30..39 at x=100)
    double[] u = new double[n];
    double[][] emb = new double[n][1];
    for (int i = 0; i < n; i++) {
      u[i] = i < 20 ? 0.1 : 0.9;
      emb[i][0] = i < 20 ? 50 + i * 0.01 : (i < 30 ? i * 0.001 : 100 + i * 0.001);
    }
    List<Integer> revealed = new ArrayList<>();
    List<Integer> rounds = new ArrayList<>();
    BudgetPlanner p = new BudgetPlanner(10, 2, 0.2, 2, 7);
    List<Integer> plan = p.plan(n, rows -> {
      revealed.addAll(rows);
      return new double[rows.size()][2];
    }, (round, labelled, probs) -> {
      rounds.add(round);
      assertEquals(labelled.size(), probs.length, "one teacher row per labelled row");
      return new PlanStudent.PoolScores(u, emb);
    });
    assertEquals(10, plan.size());
    assertEquals(10, new HashSet<>(plan).size(), "no row twice");
    assertEquals(plan, revealed, "the teacher is asked exactly for the planned rows, in plan order");
    assertEquals(List.of(1, 2), rounds);
    assertEquals(p.randomPlan(n).subList(0, 2), plan.subList(0, 2), "the seed set is the random plan's head");
    List<Integer> picked = plan.subList(2, 10);
    assertTrue(picked.stream().allMatch(i -> i >= 20), "only uncertain rows after the seed set: " + plan);
    assertTrue(picked.stream().anyMatch(i -> i < 30) && picked.stream().anyMatch(i -> i >= 30),
        "both clusters covered: " + plan);
  }

  @Test
  void aBudgetLargerThanThePoolIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BudgetPlanner(11, 1, 0.5, 2, 1).plan(10, r -> null, null));
    assertThrows(IllegalArgumentException.class, () -> new BudgetPlanner(0, 1, 0.5, 2, 1));
  }
}
