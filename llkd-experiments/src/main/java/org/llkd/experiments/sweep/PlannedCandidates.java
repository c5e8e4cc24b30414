package org.llkd.experiments.sweep;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * An Arbiter {@link CandidateGenerator} that hands the runner the trials of a {@link SweepPlan} (already drawn by
 * Arbiter's grid or random generator) in plan order, restricted to the ones this invocation runs (a shard, a
 * limit). Candidate index = plan index, so the runner's status map and our trial directories agree.
 */
final class PlannedCandidates implements CandidateGenerator {
  private final TrialSpace space;
  private final Deque<SweepPlan.Trial> queue;

  PlannedCandidates(TrialSpace space, List<SweepPlan.Trial> trials) {
    this.space = space;
    this.queue = new ArrayDeque<>(trials);
  }

  @Override public synchronized boolean hasMoreCandidates() {
    return !queue.isEmpty();
  }

  @Override public synchronized Candidate getCandidate() {
    SweepPlan.Trial t = queue.removeFirst();
    return new Candidate<>(t.point(), t.index(), t.flat());
  }

  @Override public void reportResults(OptimizationResult result) {
    // The plan is fixed (random or grid); results feed raw.csv, not the generator.
  }

  @Override public ParameterSpace<?> getParameterSpace() {
    return space;
  }

  @Override public void setRngSeed(long rngSeed) {
    // Already drawn with the sweep file's seed in SweepPlan.
  }

  @Override public Class<?> getCandidateType() {
    return TrialPoint.class;
  }
}
