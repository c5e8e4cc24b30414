package org.llkd.experiments.log;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long loop (training steps, texts exported). In a terminal: one live progress bar on stderr (the
 * progressbar library). When stderr is not a terminal ({@code System.console() == null}, or the environment has
 * {@code CI=true}): a plain INFO log line each time another 10% is done, instead of a redraw every update, so a
 * redirected log stays readable. With {@code --quiet}: nothing. Thread-safe.
 */
public interface Progress extends AutoCloseable {
  /** How progress is shown. */
  enum Mode { LIVE, LINES, NONE }

  void stepBy(long n);

  default void step() {
    stepBy(1);
  }

  /** Text shown after the counts (e.g. the running loss); in LINES mode it is part of the next line. */
  void setExtraMessage(String extra);

  @Override
  void close();

  /** The mode for this process: NONE under {@code --quiet}, LIVE in a terminal, LINES otherwise. */
  static Mode mode() {
    if (!LogLevels.showsInfo()) return Mode.NONE;
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    return System.console() != null && !ci ? Mode.LIVE : Mode.LINES;
  }

  /**
   * Starts showing progress of {@code task} from {@code start} to {@code max} (units, e.g. " steps", or "" ) in the
   * process's {@link #mode()}.
   */
  static Progress start(String task, long max, long start, String unit) {
    return start(mode(), task, max, start, unit, LoggerFactory.getLogger(Progress.class)::info);
  }

  /** As {@link #start(String, long, long, String)} with the mode and the line sink given (tests). */
  static Progress start(Mode mode, String task, long max, long start, String unit, Consumer<String> lines) {
    return switch (mode) {
      case NONE -> new Progress() {
        @Override public void stepBy(long n) { }
        @Override public void setExtraMessage(String extra) { }
        @Override public void close() { }
      };
      case LINES -> new Lines(task, max, start, unit, lines);
      case LIVE -> new Live(new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
          .setStyle(ProgressBarStyle.ASCII).setUnit(unit, 1).setUpdateIntervalMillis(1000)
          .startsFrom(start, Duration.ZERO).setConsumer(new InteractiveConsoleProgressBarConsumer(System.err)).build());
    };
  }

  /** The live bar: the progressbar library, redrawn in place. */
  final class Live implements Progress {
    private final ProgressBar bar;

    Live(ProgressBar bar) {
      this.bar = bar;
    }

    @Override public void stepBy(long n) { bar.stepBy(n); }
    @Override public void setExtraMessage(String extra) { bar.setExtraMessage(extra); }
    @Override public void close() { bar.close(); }
  }

  /**
   * One line per 10% done: {@code "<task> 30% (300/1000 steps) 0:01:12<extra>"}; a line at start, and the final one
   * at 100% (or at close, where the loop stopped early).
   */
  final class Lines implements Progress {
    private static final Logger LOG = LoggerFactory.getLogger(Lines.class);
    private final String task;
    private final long max;
    private final String unit;
    private final Consumer<String> out;
    private final long t0 = System.nanoTime();
    private long current;
    private long lastDecile;
    private String extra = "";
    private boolean closed;

    Lines(String task, long max, long start, String unit, Consumer<String> out) {
      this.task = task;
      this.max = max;
      this.unit = unit;
      this.out = out;
      this.current = start;
      this.lastDecile = decile(start);
      emit();
    }

    private long decile(long at) {
      return max <= 0 ? 0 : Math.min(10, at * 10 / max);
    }

    @Override
    public synchronized void stepBy(long n) {
      current += n;
      long d = decile(current);
      if (d > lastDecile) {
        lastDecile = d;
        emit();
      }
    }

    @Override
    public synchronized void setExtraMessage(String extra) {
      this.extra = extra == null ? "" : extra;
    }

    @Override
    public synchronized void close() {
      if (closed) return;
      closed = true;
      if (current < max) emit(); // stopped early: say where
      LOG.debug("{}: progress closed at {}/{}", task, current, max);
    }

    private void emit() {
      long s = (System.nanoTime() - t0) / 1_000_000_000L;
      long pct = max <= 0 ? 100 : current * 100 / max;
      out.accept(String.format(Locale.ROOT, "%s %3d%% (%d/%d%s) %d:%02d:%02d%s", task, pct, current, max, unit,
          s / 3600, s / 60 % 60, s % 60, extra));
    }
  }
}
