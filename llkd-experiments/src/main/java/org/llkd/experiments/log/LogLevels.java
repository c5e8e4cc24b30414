package org.llkd.experiments.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The console threshold: what {@code --verbose} (DEBUG) and {@code --quiet} (WARN) change. The shipped
 * {@code logback.xml} gives the {@code CONSOLE} appender a {@link ThresholdFilter} at INFO; this class moves that
 * filter's level. Per-run files ({@link RunLog}) keep DEBUG whatever the console shows.
 */
public final class LogLevels {
  /** Name of the console appender in {@code logback.xml}. */
  public static final String CONSOLE_APPENDER = "CONSOLE";

  private static volatile Level console = Level.INFO;

  private LogLevels() {}

  /** The console threshold in force (INFO unless a flag changed it). */
  public static Level console() {
    return console;
  }

  /** True when the console shows INFO lines (not {@code --quiet}); progress display follows it. */
  public static boolean showsInfo() {
    return console.toInt() <= Level.INFO.toInt();
  }

  /**
   * Sets the console threshold. Without logback as the SLF4J binding (a user's own
   * {@code -Dlogback.configurationFile} without a {@code CONSOLE} appender, or Spark's log4j on a cluster) only the
   * progress display follows, and a line at WARN says so.
   */
  public static void setConsole(Level level) {
    console = level;
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      LoggerFactory.getLogger(LogLevels.class).warn("console level {} not applied: the SLF4J binding is {}, not logback",
          level, LoggerFactory.getILoggerFactory().getClass().getName());
      return;
    }
    Appender<?> appender = ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(CONSOLE_APPENDER);
    boolean applied = false;
    if (appender != null) {
      for (Filter<?> f : appender.getCopyOfAttachedFiltersList()) {
        if (f instanceof ThresholdFilter t) {
          t.setLevel(level.toString());
          applied = true;
        }
      }
    }
    if (!applied) {
      LoggerFactory.getLogger(LogLevels.class).warn("console level {} not applied: the logback configuration has no "
          + "appender '{}' with a ThresholdFilter (see docs/logging.md)", level, CONSOLE_APPENDER);
    }
  }

  /** For tests: the appender list of the root logger (to check the shipped configuration). */
  static Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> rootAppenders() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    return ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
  }
}
