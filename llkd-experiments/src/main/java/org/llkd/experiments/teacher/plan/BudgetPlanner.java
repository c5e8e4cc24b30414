package org.llkd.experiments.teacher.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Which {@code budget} rows of a pool of {@code poolSize} to send to the teacher, in order. Round 0: a seeded random
 * seed set of {@code seedFraction} of the budget. Each later round: the student is trained on the rows labelled so
 * far ({@link PlanStudent}), the {@code filterFactor * b} unlabelled rows it is most uncertain about are kept, and
 * greedy {@link KCenter} over its embeddings picks {@code b} of them that are far from each other and from the
 * labelled rows (uncertainty for informativeness, diversity against picking near-duplicates), with b =
 * ceil((budget - seed set) / rounds). The teacher's outputs are asked for ({@code teacher}, one call per round with
 * that round's rows, in plan order) only once the rows are planned.
 *
 * @param budget       rows to plan, 1..poolSize
 * @param rounds       student rounds after the seed set, >= 1
 * @param seedFraction share of the budget in the random seed set, (0, 1]
 * @param filterFactor uncertainty pre-filter: candidates = the filterFactor * b most uncertain rows, >= 1
 * @param seed         the seed set and the first k-center pick
 */
public record BudgetPlanner(int budget, int rounds, double seedFraction, int filterFactor, long seed) {
  public BudgetPlanner {
    if (budget < 1) throw new IllegalArgumentException("--budget: expected >= 1 rows, found " + budget);
    if (rounds < 1) throw new IllegalArgumentException("--rounds: expected >= 1, found " + rounds);
    if (!(seedFraction > 0 && seedFraction <= 1)) {
      throw new IllegalArgumentException("--seed-fraction: expected in (0, 1], found " + seedFraction);
    }
    if (filterFactor < 1) throw new IllegalArgumentException("--filter-factor: expected >= 1, found " + filterFactor);
  }

  /** The plan: pool rows in the order they are sent to the teacher. */
  public List<Integer> plan(int poolSize, Function<List<Integer>, double[][]> teacher, PlanStudent student) {
    if (budget > poolSize) {
      throw new IllegalArgumentException("--budget: expected at most the pool's " + poolSize + " rows, found " + budget);
    }
    Random rng = new Random(seed);
    List<Integer> order = new ArrayList<>(random(poolSize, rng));
    int seedSize = Math.max(1, (int) Math.round(budget * seedFraction));
    LinkedHashSet<Integer> planned = new LinkedHashSet<>(order.subList(0, seedSize));
    List<double[]> probs = new ArrayList<>(List.of(reveal(teacher, new ArrayList<>(planned))));
    int per = (int) Math.ceil((budget - seedSize) / (double) rounds);
    for (int round = 1; planned.size() < budget; round++) {
      List<Integer> labelled = new ArrayList<>(planned);
      PlanStudent.PoolScores s = student.fitAndScore(round, labelled, probs.toArray(new double[0][]));
      int b = Math.min(per, budget - planned.size());
      List<Integer> unlabelled = new ArrayList<>();
      for (int i = 0; i < poolSize; i++) if (!planned.contains(i)) unlabelled.add(i);
      double[] u = s.uncertainty();
      unlabelled.sort(Comparator.<Integer>comparingDouble(i -> -u[i]).thenComparingInt(i -> i));
      List<Integer> cand = unlabelled.subList(0, Math.min(unlabelled.size(), filterFactor * b));
      List<Integer> picks = KCenter.select(s.embeddings(), labelled, cand, b, cand.get(0));
      planned.addAll(picks);
      probs.addAll(List.of(reveal(teacher, picks)));
    }
    return List.copyOf(planned);
  }

  private static double[][] reveal(Function<List<Integer>, double[][]> teacher, List<Integer> rows) {
    double[][] p = teacher.apply(List.copyOf(rows));
    if (p.length != rows.size()) {
      throw new IllegalStateException("teacher: expected " + rows.size() + " rows of outputs, found " + p.length);
    }
    return p;
  }

  /** The random baseline: the first {@code budget} rows of a seeded shuffle (the same seed set as {@link #plan}). */
  public List<Integer> randomPlan(int poolSize) {
    return List.copyOf(random(poolSize, new Random(seed)).subList(0, budget));
  }

  private static List<Integer> random(int n, Random rng) {
    List<Integer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) all.add(i);
    java.util.Collections.shuffle(all, rng);
    return all;
  }
}
