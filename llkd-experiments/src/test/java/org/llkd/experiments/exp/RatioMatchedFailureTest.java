package org.llkd.experiments.exp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llkd.experiments.engine.RunEngine;
import org.llkd.experiments.engine.RunGrid;
import org.llkd.experiments.testsupport.Fixtures;
import org.llkd.experiments.train.Tier;

/**
 * A ratio-matched baseline (random, top-k, small-loss) takes its seed's LLKD ratio. Where that LLKD run failed it is
 * not run at a made-up ratio (it used to get 0.5): it is recorded as failed, naming the LLKD run; the other methods of
 * the seed, and every method of the other seeds, still run.
 */
class RatioMatchedFailureTest {
  /** Fails LLKD of seed 1, succeeds everything else with mean_ratio 0.25; records what it was asked to run. */
  private static final class FakeEngine implements RunEngine {
    final List<RunGrid.Spec> ran = new ArrayList<>();

    @Override public String name() { return "fake"; }

    @Override public List<RunGrid.Outcome> runAll(Path expDir, List<RunGrid.Spec> specs, boolean resume) {
      List<RunGrid.Outcome> out = new ArrayList<>();
      for (RunGrid.Spec s : specs) {
        ran.add(s);
        boolean fail = s.config().method().equals("llkd") && s.config().seed() == 1;
        out.add(fail ? new RunGrid.Outcome(s, Map.of(), "IllegalStateException: boom")
            : new RunGrid.Outcome(s, Map.of("mean_ratio", "0.25"), null));
      }
      return out;
    }

    @Override public Map<String, Object> describe() { return Map.of("engine", "fake"); }

    @Override public void close() {}
  }

  @Test
  void ratioMatchedRunsOfAFailedLlkdSeedAreFailedNotGuessed(@TempDir Path tmp) {
    ExperimentOptions.Inputs inputs = new ExperimentOptions.Inputs(List.of(Fixtures.DATASET), Fixtures.dataRoot(),
        Fixtures.teachersRoot(), "zeroshot-bge");
    ExperimentOptions o = new ExperimentOptions(Tier.TINY, 2, inputs, ExperimentOptions.Output.fresh(tmp.resolve("out")));
    List<MainResultsTable.SeedGroup> groups = List.of(new MainResultsTable.SeedGroup(o, Fixtures.DATASET, 1, Map.of()),
        new MainResultsTable.SeedGroup(o, Fixtures.DATASET, 2, Map.of()));
    FakeEngine engine = new FakeEngine();
    List<RunGrid.Outcome> all = MainResultsTable.runSeeds(engine, groups, List.of("llkd", "all", "topk", "soft"));

    assertEquals(List.of("llkd", "all", "topk", "soft", "llkd", "all", "topk", "soft"),
        all.stream().map(x -> x.spec().config().method()).toList());
    assertEquals(List.of(1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L), all.stream().map(x -> x.spec().config().seed()).toList());
    RunGrid.Outcome topk1 = all.get(2);
    assertFalse(topk1.ok());
    assertTrue(topk1.error().contains(all.get(0).spec().runId()) && topk1.error().contains("boom"), topk1.error());
    assertTrue(all.get(1).ok() && all.get(3).ok(), "the seed's other methods still run");
    assertTrue(engine.ran.stream().noneMatch(s -> s.config().method().equals("topk") && s.config().seed() == 1),
        "top-k of the failed seed was trained");
    RunGrid.Spec topk2 = engine.ran.stream()
        .filter(s -> s.config().method().equals("topk") && s.config().seed() == 2).findFirst().orElseThrow();
    assertEquals(0.25, topk2.config().selector().ratio(), 1e-12, "top-k of seed 2 takes seed 2's LLKD ratio");
  }
}
