package org.llkd.experiments.engine;

/** Opens the engine that {@link EngineOptions} names. */
public final class RunEngines {
  private RunEngines() {}

  /**
   * The engine for {@code options}; {@code appName} names the Spark application. Fails (before any run)
   * when Spark is asked for but is not on the classpath or the JVM lacks the flags Spark needs on Java 17.
   */
  public static RunEngine open(EngineOptions options, String appName) {
    if (options.kind() == EngineOptions.Kind.LOCAL) return new LocalEngine(options.keepModels());
    try {
      Class.forName("org.apache.spark.SparkContext", false, RunEngines.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("--engine spark: Spark is not on the classpath (it is a provided "
          + "dependency); run through spark-submit with llkd-experiments-*-spark.jar (mvn -Pspark-jar package, "
          + "see docs/spark.md) or use --engine local", e);
    }
    return SparkEngine.open(options.master(), "llkd " + appName);
  }
}
