package org.llkd.experiments.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * DEBUG log of one training run in {@code <run dir>/run.log}, open while the run trains: a logback
 * {@link FileAppender} on the root logger that takes only the events logged with this run's MDC value
 * ({@value #MDC_KEY}), set on the opening thread. So runs trained side by side in one JVM (local engine with several
 * workers) each get their own lines; a resumed run appends to its file.
 *
 * <p>Without logback as the binding (Spark's log4j on a cluster) there is no {@code run.log}; one INFO line says so.
 */
public final class RunLog implements AutoCloseable {
  /** File name inside the run directory. */
  public static final String FILE = "run.log";
  /** MDC key whose value tags one run's log events. */
  public static final String MDC_KEY = "llkd.run";
  /** Line layout of run.log. */
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}: %msg%n";

  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);
  private static final AtomicLong OPENED = new AtomicLong();

  private final FileAppender<ILoggingEvent> appender; // null without logback
  private final String previousMdc;
  private final LoggerContext ctx;

  private RunLog(LoggerContext ctx, FileAppender<ILoggingEvent> appender, String previousMdc) {
    this.ctx = ctx;
    this.appender = appender;
    this.previousMdc = previousMdc;
  }

  /** Starts logging this thread's events at DEBUG into {@code runDir/run.log} (appending) until {@link #close()}. */
  public static RunLog open(Path runDir, String runId) {
    Objects.requireNonNull(runDir, "runDir");
    String previous = MDC.get(MDC_KEY);
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      LOG.info("{}: no {} (the SLF4J binding is {}, not logback)", runId, FILE,
          LoggerFactory.getILoggerFactory().getClass().getName());
      return new RunLog(null, null, previous);
    }
    String tag = runId + "#" + OPENED.incrementAndGet();
    MDC.put(MDC_KEY, tag);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(PATTERN);
    encoder.start();
    FileAppender<ILoggingEvent> a = new FileAppender<>();
    a.setContext(ctx);
    a.setName("run-" + tag);
    a.setFile(runDir.resolve(FILE).toString());
    a.setAppend(true);
    a.setEncoder(encoder);
    a.addFilter(new Filter<>() {
      @Override
      public FilterReply decide(ILoggingEvent e) {
        return tag.equals(e.getMDCPropertyMap().get(MDC_KEY)) ? FilterReply.NEUTRAL : FilterReply.DENY;
      }
    });
    a.start();
    if (!a.isStarted()) {
      MDC.remove(MDC_KEY);
      throw new IllegalArgumentException("cannot open " + runDir.resolve(FILE)
          + " for the run log: is the run directory writable?");
    }
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(a);
    return new RunLog(ctx, a, previous);
  }

  @Override
  public void close() {
    if (appender != null) {
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
      appender.stop();
    }
    if (previousMdc == null) MDC.remove(MDC_KEY);
    else MDC.put(MDC_KEY, previousMdc);
  }
}
