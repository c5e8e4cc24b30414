package org.llkd.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arbiter 1.0.0-beta7 (built against ND4J beta7) on our ND4J 1.0.0-M2.1 (docs/arbiter.md): our spaces, Arbiter's
 * grid and random generators, and LocalOptimizationRunner with 2 threads each doing ND4J work in its task.
 */
class SweepArbiterTest {

  /** lr (log, 3 grid points) × batch (values) × layers (integer 1..2): 12 candidates, exact grid values. */
  private static TrialSpace space() {
    LinkedHashMap<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();
    leaves.put("learningRate", new LogUniformSpace(1e-5, 1e-3));
    leaves.put("batchSize", new DiscreteParameterSpace<>(16, 32));
    leaves.put("keepLayers", new IntegerParameterSpace(1, 2));
    return new TrialSpace(leaves, null);
  }

  /** A toy "trial": score = -(log10 lr + 4)^2 + batch/100 + layers, computed with ND4J inside the worker thread. */
  static final class NdTask implements TaskCreator {
    final Map<Integer, TrialPoint> seen = new ConcurrentHashMap<>();
    final Map<String, Boolean> threads = new ConcurrentHashMap<>();

    @Override public Callable<OptimizationResult> create(Candidate c, DataProvider dp, ScoreFunction sf,
        List<StatusListener> l, IOptimizationRunner r) {
      return () -> {
        TrialPoint p = (TrialPoint) c.getValue();
        seen.put(c.getIndex(), p);
        threads.put(Thread.currentThread().getName(), true);
        double lr = (Double) p.values().get("learningRate");
        INDArray x = Nd4j.createFromArray(Math.log10(lr) + 4, (Integer) p.values().get("batchSize") / 100.0,
            ((Integer) p.values().get("keepLayers")).doubleValue()).castTo(DataType.DOUBLE); // [3]
        double score = -x.getDouble(0) * x.getDouble(0) + x.getDouble(1) + x.getDouble(2);
        Map<String, String> metrics = Map.of(DevMacroF1Score.COLUMN, Double.toString(score));
        double s = sf.score(metrics, dp, Map.of());
        long now = System.currentTimeMillis();
        return new OptimizationResult(c, s, c.getIndex(), metrics,
            new CandidateInfo(c.getIndex(), CandidateStatus.Complete, s, now, now, now, c.getFlatParameters(), null), null);
      };
    }

    @Override public Callable<OptimizationResult> create(Candidate c, Class<? extends DataSource> ds, Properties p,
        ScoreFunction sf, List<StatusListener> l, IOptimizationRunner r) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void gridSearchRunsOnOurNd4jWithTwoWorkersAndFindsTheMaximum() {
    GridSearchCandidateGenerator g = new GridSearchCandidateGenerator(space(), 3,
        GridSearchCandidateGenerator.Mode.Sequential, null);
    assertEquals(12, g.getTotalNumCandidates());
    NdTask task = new NdTask();
    OptimizationConfiguration cfg = new OptimizationConfiguration.Builder().candidateGenerator(g)
        .scoreFunction(new DevMacroF1Score()).terminationConditions(new MaxCandidatesCondition(12)).build();
    LocalOptimizationRunner runner = new LocalOptimizationRunner(2, cfg, task);
    runner.execute();

    assertEquals(12, runner.numCandidatesCompleted());
    assertEquals(0, runner.numCandidatesFailed());
    List<Double> lrs = new ArrayList<>();
    for (TrialPoint p : task.seen.values()) {
      double lr = (Double) p.values().get("learningRate");
      if (!lrs.contains(lr)) lrs.add(lr);
    }
    lrs.sort(Double::compare);
    assertEquals(List.of(1e-5, 1e-3), List.of(lrs.get(0), lrs.get(2)), "grid ends are exact");
    assertEquals(1e-4, lrs.get(1), 1e-15, "middle grid point is log-spaced");
    // Best: lr = 1e-4 (0 penalty), batch 32, layers 2 → 0 + 0.32 + 2.
    assertEquals(2.32, runner.bestScore(), 1e-12);
    TrialPoint best = task.seen.get(runner.bestScoreCandidateIndex());
    assertEquals(32, best.values().get("batchSize"));
    assertEquals(2, best.values().get("keepLayers"));
    assertTrue(task.threads.size() >= 1, "tasks ran on runner threads: " + task.threads.keySet());
    assertNotNull(Nd4j.getBackend());
  }

  @Test
  void seededRandomSearchIsReproducibleAndStaysInRange() {
    List<Map<String, Serializable>> a = draw(42);
    List<Map<String, Serializable>> b = draw(42);
    List<Map<String, Serializable>> c = draw(43);
    assertEquals(a, b);
    assertTrue(!a.equals(c), "another seed draws other points");
    for (Map<String, Serializable> v : a) {
      double lr = (Double) v.get("learningRate");
      assertTrue(lr >= 1e-5 && lr <= 1e-3, "lr " + lr);
      assertTrue(List.of(16, 32).contains(v.get("batchSize")));
      assertTrue(List.of(1, 2).contains(v.get("keepLayers")));
    }
  }

  private static List<Map<String, Serializable>> draw(long seed) {
    RandomSearchGenerator g = new RandomSearchGenerator(space(), null);
    g.setRngSeed(seed);
    List<Map<String, Serializable>> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) out.add(((TrialPoint) g.getCandidate().getValue()).values());
    return out;
  }
}
