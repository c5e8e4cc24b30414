package org.llkd.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llkd.experiments.report.HtmlReport;
import org.llkd.experiments.report.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd report}: one self-contained HTML page of every result; see {@link HtmlReport}. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Build one self-contained HTML page (tables, figures, significance lines, provenance of every "
        + "experiment; no network needed) from <results>/<Experiment>/{table.md,*.png,provenance.json}.")
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--results", description = "Results folder (default: the repository's results/).")
  Path results;

  @Option(names = "--out", description = "HTML file to write (default: <results>/report.html).")
  Path out;

  @Override
  public Integer call() {
    Path from = results != null ? results : Provenance.repoRoot().resolve("results"); // not the caller's directory
    Path target = out != null ? out : from.resolve("report.html");
    int n = HtmlReport.write(from, target);
    spec.commandLine().getOut().printf("wrote %s (%d experiments)%n", target, n);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
