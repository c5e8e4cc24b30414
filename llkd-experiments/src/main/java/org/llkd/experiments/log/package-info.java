/**
 * Logging set-up shared by every command (docs/logging.md): {@link org.llkd.experiments.log.LoggingFlags} (the
 * {@code --verbose}/{@code --quiet} mixin on every {@code llkd} command), {@link org.llkd.experiments.log.LogLevels}
 * (the console threshold of the shipped {@code logback.xml}), {@link org.llkd.experiments.log.RunLog} (DEBUG into
 * {@code <run dir>/run.log} for one training run) and {@link org.llkd.experiments.log.Progress} (one live progress bar
 * in a terminal, a plain line every 10% otherwise).
 *
 * <p>Imports: SLF4J, logback, picocli, progressbar and the JDK only; no other {@code org.llkd} package.
 */
package org.llkd.experiments.log;
