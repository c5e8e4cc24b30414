package org.llkd.experiments.engine;

import picocli.CommandLine.Option;

/**
 * The {@code --engine} and {@code --master} flags, shared (as a picocli mixin) by {@code llkd run <Name>} and
 * {@code llkd sweep} (through {@link GridFlags}) and {@code llkd teacher export}.
 */
public final class EngineFlags {
  @Option(names = "--engine", defaultValue = "local", description = "local: everything in this JVM (default); spark: "
      + "one Spark task per run or sweep trial, Spark partitions for a teacher export (docs/spark.md)")
  String engine;

  @Option(names = "--master", description = "Spark master with --engine spark, e.g. local[2], local[2,3] (3 attempts), "
      + "spark://host:7077, yarn (default: spark-submit's --master, else " + EngineOptions.DEFAULT_MASTER + ")")
  String master;

  /** The validated options ({@code --master} without {@code --engine spark} is refused). */
  public EngineOptions options() {
    return new EngineOptions(EngineOptions.kind(engine), master);
  }
}
