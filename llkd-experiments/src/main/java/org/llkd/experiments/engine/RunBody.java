package org.llkd.experiments.engine;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a Spark task does with its run: {@link RunGrid#run} (the default). Serialisable, because it travels
 * to the executors inside the task; tests wrap it to inject faults.
 */
@FunctionalInterface
public interface RunBody extends Serializable {
  RunGrid.Outcome run(Path expDir, RunGrid.Spec spec, boolean resume);

  /** {@link RunGrid#run}. */
  static RunBody grid() { return RunGrid::run; }
}
