package org.llkd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark method once, in this JVM, at tiny sizes (not a measurement): one single-shot op,
 * no warm-up, no fork. Fails if a benchmark throws (JMH fails on error) or a parameter combination is missing.
 */
class BenchmarkSmokeTest {

  static Stream<Arguments> benchmarks() {
    return Stream.of(
        // class, tiny @Param overrides, expected number of results (methods x param combinations)
        Arguments.of(TrainStepBench.class, Map.of("model", "tiny", "seqLen", "8", "batch", "4"), 1),
        Arguments.of(InferenceBench.class, Map.of("model", "tiny", "seqLen", "8", "batch", "4"), 1),
        Arguments.of(LlkdStepBench.class, Map.of("model", "tiny", "seqLen", "8", "batch", "10"), 5),
        Arguments.of(SelectorStepBench.class, Map.of("batch", "32"), 6),
        Arguments.of(TeacherImportBench.class, Map.of("rows", "200"), 2),
        Arguments.of(TokenizerBench.class, Map.of("batch", "4"), 1),
        Arguments.of(CheckpointBench.class, Map.of("model", "tiny"), 2),
        Arguments.of(GemmBench.class, Map.of("m", "8", "in", "4", "out", "4"), 1),
        Arguments.of(AttentionMatmulBench.class, Map.of("batch", "2", "heads", "2", "seqLen", "4", "headSize", "3"), 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("benchmarks")
  void runsOnceAtTinySize(Class<?> bench, Map<String, String> params, int expectedResults) throws RunnerException {
    ChainedOptionsBuilder o = new OptionsBuilder()
        .include("^" + bench.getName().replace(".", "\\.") + "\\.")
        .mode(Mode.SingleShotTime)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementBatchSize(1)
        .forks(0)
        .threads(1)
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
    params.forEach(o::param);
    Collection<RunResult> results = new Runner(o.build()).run();
    TreeSet<String> labels = new TreeSet<>();
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      assertTrue(Double.isFinite(score) && score >= 0, r.getParams().getBenchmark() + ": score " + score);
      labels.add(r.getParams().getBenchmark() + r.getParams().getParamsKeys().stream()
          .map(k -> " " + k + "=" + r.getParams().getParam(k)).reduce("", String::concat));
    }
    assertEquals(expectedResults, labels.size(), "results: " + labels);
    for (String label : labels) {
      params.forEach((k, v) -> {
        if (label.contains(" " + k + "=")) assertTrue(label.contains(" " + k + "=" + v + " ") || label.endsWith(" " + k + "=" + v),
            "tiny override " + k + "=" + v + " not applied: " + label);
      });
    }
  }
}
