package org.llkd.experiments.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's wall time went, in seconds, for {@code provenance.json} ({@code timeSeconds}): the training loop (the
 * steps of every epoch) and each part outside it (start-up, dev evaluations, the time the loop waited for checkpoint
 * copies, test and train evaluation, writing the results). {@code outsideLoop} is {@code total - trainingLoop}.
 */
final class RunTimes {
  static final String TOTAL = "total";
  static final String TRAINING_LOOP = "trainingLoop";
  static final String STARTUP = "startup";
  static final String DEV_EVALUATION = "devEvaluation";
  static final String CHECKPOINT_BLOCKING = "checkpointBlocking";
  static final String TEST_EVALUATION = "testEvaluation";
  static final String TRAIN_EVALUATION = "trainEvaluation";
  static final String FINISH = "finish";
  static final String OUTSIDE_LOOP = "outsideLoop";

  private final Map<String, Double> seconds = new LinkedHashMap<>();

  /** Adds the time since {@code startNanos} ({@link System#nanoTime}) to {@code part}. */
  void add(String part, long startNanos) {
    seconds.merge(part, (System.nanoTime() - startNanos) / 1e9, Double::sum);
  }

  void set(String part, double value) {
    if (!(value >= 0)) throw new IllegalArgumentException(part + ": expected seconds >= 0, found " + value);
    seconds.put(part, value);
  }

  /** The parts, rounded to milliseconds, with {@code outsideLoop} once total and trainingLoop are set. */
  Map<String, Double> toMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : seconds.entrySet()) out.put(e.getKey(), Math.round(e.getValue() * 1e3) / 1e3);
    if (seconds.containsKey(TOTAL) && seconds.containsKey(TRAINING_LOOP)) {
      out.put(OUTSIDE_LOOP, Math.round((seconds.get(TOTAL) - seconds.get(TRAINING_LOOP)) * 1e3) / 1e3);
    }
    return out;
  }
}
