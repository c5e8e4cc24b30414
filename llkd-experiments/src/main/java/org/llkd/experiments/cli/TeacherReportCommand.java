package org.llkd.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
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

  @Option(names = "--root", defaultValue = "teachers", description = "Folder of <dataset>/<teacher>.jsonl exports (default: ${DEFAULT-VALUE}).")
  Path root;

  @Option(names = "--out", description = "Markdown file to write (default: <root>/README.md).")
  Path out;

  @Option(names = "--data-root", defaultValue = "data",
      description = "Dataset folder used to re-read and align every JSONL with TeacherOutputReader (default: ${DEFAULT-VALUE}).")
  Path dataRoot;

  @Option(names = "--no-verify", negatable = false, description = "Skip re-reading the JSONL files.")
  boolean noVerify;

  @Override
  public Integer call() {
    Path target = out != null ? out : root.resolve("README.md");
    int n = TeacherReport.write(root, target, noVerify ? null : dataRoot);
    spec.commandLine().getOut().printf("wrote %s from %d provenance files%n", target, n);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
