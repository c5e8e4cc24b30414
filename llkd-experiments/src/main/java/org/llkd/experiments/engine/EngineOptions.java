package org.llkd.experiments.engine;

import java.util.Locale;

/**
 * How an experiment executes its runs: {@code --engine local|spark} and {@code --master}.
 *
 * @param kind LOCAL (sequential, this JVM) or SPARK (one Spark task per run)
 * @param master Spark master URL ({@code local[*]}, {@code local[2,3]}, {@code spark://host:7077}, {@code yarn},
 *     {@code k8s://...}); {@code null} = the {@code spark.master} that {@code spark-submit} set, else {@code local[*]}.
 *     Only with SPARK.
 */
public record EngineOptions(Kind kind, String master) {
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
    if (kind == Kind.LOCAL && master != null) {
      throw new IllegalArgumentException("--master " + master + " needs --engine spark (the local engine runs "
          + "every run in this JVM, one after another)");
    }
  }

  /** Today's sequential engine. */
  public static EngineOptions local() { return new EngineOptions(Kind.LOCAL, null); }

  /** Parses the {@code --engine} value ({@code local} or {@code spark}). */
  public static Kind kind(String name) {
    try {
      return Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown --engine '" + name + "': expected local or spark", e);
    }
  }
}
