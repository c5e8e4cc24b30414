package org.llkd.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.teacher.TeacherReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd teacher report}: regenerates the teacher table from the provenance files; see {@link TeacherReport}. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Rebuild <root>/README.md (dataset x teacher: accuracy, macro-F1, ECE, coverage, T, k) from <root>/*/*.provenance.json.")
public final class TeacherReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--root", description = "Folder of <dataset>/<teacher>.jsonl exports (default: the repository's teachers/).")
  Path root;

  @Option(names = "--out", description = "Markdown file to write (default: <root>/README.md).")
  Path out;

  @Option(names = "--data-root",
      description = "Dataset folder used to re-read and align every JSONL with TeacherOutputReader (default: the repository's data/).")
  Path dataRoot;

  @Option(names = "--no-verify", negatable = false, description = "Skip re-reading the JSONL files.")
  boolean noVerify;

  @Override
  public Integer call() {
    Path repo = Provenance.repoRoot(); // the defaults are the repository's folders, not the caller's directory
    Path from = root != null ? root : repo.resolve("teachers");
    Path target = out != null ? out : from.resolve("README.md");
    int n = TeacherReport.write(from, target, noVerify ? null : dataRoot != null ? dataRoot : repo.resolve("data"));
    spec.commandLine().getOut().printf("wrote %s from %d provenance files%n", target, n);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
