package org.llkd.experiments.engine;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.llkd.experiments.train.Trainer;

/**
 * The body of the one Spark task that trains one sweep trial into its directory ({@link Trainer#train()}). Retries work
 * as for grid runs ({@link SparkTask}): an attempt before the last throws, so Spark schedules another, which resumes
 * the trial directory from its last epoch checkpoint; the last attempt returns its failure; a bad config or input
 * ({@link IllegalArgumentException}) is returned at once and not retried.
 */
final class SparkTrialTask implements Function<byte[], byte[]> {
  private static final long serialVersionUID = 1L;

  /**
   * One trial as the task receives it.
   *
   * @param dir the trial directory, absolute, on storage every executor sees
   */
  record Trial(TrainConfigDto config, String dir, boolean resume, int maxAttempts) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override public byte[] call(byte[] in) {
    Trial t = SparkTask.read(in, Trial.class);
    TaskContext tc = TaskContext.get();
    int attempt = tc == null ? 0 : tc.attemptNumber();
    return SparkTask.write(execute(t, attempt, SparkTask.executor()));
  }

  static RunResult execute(Trial t, int attempt, String executor) {
    Path dir = Path.of(t.dir());
    String id = dir.getFileName().toString();
    boolean last = attempt + 1 >= t.maxAttempts();
    try {
      new Trainer(t.config().toConfig(), dir).resuming(t.resume() || attempt > 0).train();
      return new RunResult(0, id, new LinkedHashMap<>(), null, false, attempt + 1, executor);
    } catch (IllegalArgumentException e) {
      return new RunResult(0, id, new LinkedHashMap<>(), SparkTask.describe(e), true, attempt + 1, executor);
    } catch (RuntimeException e) {
      if (!last) throw e;
      String msg = SparkTask.describe(e) + " (attempt " + (attempt + 1) + "/" + t.maxAttempts() + ")";
      return new RunResult(0, id, new LinkedHashMap<>(), msg, false, attempt + 1, executor);
    }
  }
}
