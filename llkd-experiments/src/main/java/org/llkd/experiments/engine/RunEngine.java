package org.llkd.experiments.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llkd.experiments.teacher.TextEmbedder;
import org.llkd.experiments.train.Trainer;

/**
 * Executes independent training runs of one grid stage. The runs of one call must not depend on each
 * other (a dependency, such as the ratio-matched baselines needing LLKD's ratio, is a second call).
 */
public interface RunEngine extends AutoCloseable {
  /** {@code local} or {@code spark}. */
  String name();

  /**
   * Runs every spec into {@code expDir/runs/<run-id>/}, skipping finished runs and (with {@code resume})
   * resuming interrupted ones exactly as {@link RunGrid#run} does; returns one outcome per spec, in the
   * order of {@code specs}. A run that fails is returned with its error; a bad config or input
   * ({@link IllegalArgumentException}) stops the experiment.
   */
  List<RunGrid.Outcome> runAll(Path expDir, List<RunGrid.Spec> specs, boolean resume);

  /** How this engine trains a sweep's trials; the local engine: {@link Trainer.Launcher#LOCAL}, in this JVM. */
  default Trainer.Launcher launcher() {
    return Trainer.Launcher.LOCAL;
  }

  /**
   * How this engine embeds the texts of a teacher export; {@code null} for the local engine (the teacher's own
   * encoder, in this JVM).
   *
   * @param partitions slices per split (null: the engine's parallelism)
   * @param threads onnxruntime threads per session
   */
  default TextEmbedder textEmbedder(Integer partitions, int threads) {
    return null;
  }

  /** What the experiment's provenance.json records about how the runs were executed. */
  Map<String, Object> describe();

  /** Releases the engine (stops a Spark context this engine started; nothing for the local engine). */
  @Override void close();
}
