package org.llkd.experiments.engine;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a grid as a Spark task receives it (Java-serialisable).
 *
 * @param index position in the driver's spec list (the driver matches results by it)
 * @param runId the driver's {@link RunGrid.Spec#runId()} (the executor checks it gets the same)
 * @param expDir experiment directory, absolute, on storage every executor sees
 * @param config the run's TrainConfig
 * @param tags the spec's tags in their iteration order (they form the run id's suffix)
 * @param resume resume an interrupted run directory (the experiment's {@code --resume})
 * @param maxAttempts how many attempts Spark makes at a task; the last one returns a failure instead of throwing
 */
public record RunDescription(int index, String runId, String expDir, TrainConfigDto config,
    LinkedHashMap<String, String> tags, boolean resume, int maxAttempts) implements Serializable {
  private static final long serialVersionUID = 1L;

  public RunDescription {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts " + maxAttempts + ": expected >= 1");
  }

  public static RunDescription of(int index, Path expDir, RunGrid.Spec spec, boolean resume, int maxAttempts) {
    return new RunDescription(index, spec.runId(), expDir.toAbsolutePath().normalize().toString(),
        TrainConfigDto.of(spec.config()), new LinkedHashMap<>(spec.tags()), resume, maxAttempts);
  }

  /** The spec again, on the executor; fails if its run id differs from the driver's. */
  public RunGrid.Spec spec() {
    RunGrid.Spec s = new RunGrid.Spec(config.toConfig(), new LinkedHashMap<>(tags));
    if (!s.runId().equals(runId)) {
      throw new IllegalStateException("run id differs between driver (" + runId + ") and executor (" + s.runId()
          + "); submit the same llkd-experiments jar to both");
    }
    return s;
  }

  public Path expPath() { return Path.of(expDir); }

  public Path runDir() { return expPath().resolve("runs").resolve(runId); }
}
