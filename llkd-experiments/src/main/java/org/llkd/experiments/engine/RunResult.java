package org.llkd.experiments.engine;

import java.io.Serializable;
import java.util.LinkedHashMap;

/**
 * What a Spark task returns to the driver for its run (Java-serialisable).
 *
 * @param index the run's position in the driver's spec list
 * @param runId its run id
 * @param metrics its metrics row (column → value; tags first), empty when it failed
 * @param error {@code null} when it finished, else the error of its last attempt
 * @param badInput the error is a bad config or input ({@link IllegalArgumentException}): the experiment stops
 * @param attempt which attempt (1-based) produced this result
 * @param executor executor id and host that ran it
 */
public record RunResult(int index, String runId, LinkedHashMap<String, String> metrics, String error,
    boolean badInput, int attempt, String executor) implements Serializable {
  private static final long serialVersionUID = 1L;

  public boolean ok() { return error == null; }
}
