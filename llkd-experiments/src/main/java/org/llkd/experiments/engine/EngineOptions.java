package org.llkd.experiments.engine;

import java.util.Locale;

/**
 * How an experiment executes its runs: {@code --engine local|spark} and {@code --master}.
 *
 * @param kind LOCAL (sequential, this JVM) or SPARK (one Spark task per run)
 * @param master Spark master URL ({@code local[*]}, {@code local[2,3]}, {@code spark://host:7077}, {@code yarn},
 *     {@code k8s://...}); {@code null} = the {@code spark.master} that {@code spark-submit} set, else {@code local[*]}.
 *     Only with SPARK.
 * @param keepModels leave each finished run's model directory ({@code <run>/model}, docs/model-format.md) instead of
 *     deleting everything but the metrics ({@code --keep-models}); local engine only
 */
public record EngineOptions(Kind kind, String master, boolean keepModels) {
  /** The engines. */
  public enum Kind { LOCAL, SPARK }

  /** The master used when neither {@code --master} nor {@code spark-submit} names one. */
  public static final String DEFAULT_MASTER = "local[*]";

  public EngineOptions {
    if (kind == null) throw new IllegalArgumentException("engine must be local or spark");
    if (master != null && master.isBlank()) {
      throw new IllegalArgumentException("bad --master '" + master + "': expected e.g. local[*], local[2,3], "
          + "spark://host:7077, yarn or k8s://https://host:443");
    }
    if (keepModels && kind != Kind.LOCAL) {
      throw new IllegalArgumentException("--keep-models works with --engine local only (Spark tasks delete their "
          + "checkpoints on the executors); run without --engine spark or without --keep-models");
    }
    if (kind == Kind.LOCAL && master != null) {
      throw new IllegalArgumentException("--master " + master + " needs --engine spark (the local engine runs "
          + "every run in this JVM, one after another)");
    }
  }

  /** Without {@code --keep-models}. */
  public EngineOptions(Kind kind, String master) {
    this(kind, master, false);
  }

  /** Today's sequential engine. */
  public static EngineOptions local() { return new EngineOptions(Kind.LOCAL, null); }

  /** These options with {@code --keep-models} on or off. */
  public EngineOptions withKeepModels(boolean keep) { return new EngineOptions(kind, master, keep); }

  /** Parses the {@code --engine} value ({@code local} or {@code spark}). */
  public static Kind kind(String name) {
    try {
      return Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown --engine '" + name + "': expected local or spark", e);
    }
  }
}
