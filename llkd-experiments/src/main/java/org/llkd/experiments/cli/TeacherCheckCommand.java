package org.llkd.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llkd.experiments.product.TeacherCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code llkd teacher check}: validates a teacher file against a train file without training. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {"Check a teacher file (JSONL, NPY+sidecars, NPZ, CSV, TSV; docs/teacher-formats.md) against your "
        + "train file without training.",
        "Teacher rows are matched to train rows by id: the --id-column values when given, else those of a column named "
        + "exactly 'id' when the train file has one (--no-id-column: not), else train-<row> (0-based data row of the "
        + "train file); an NPY/NPZ without ids by row order. Exit 0 with a summary (the rule applied, "
        + "rows, classes, confidence histogram, agreement with gold where train rows have labels), or exit 2 naming "
        + "the file, row, what was expected and what was found."})
public final class TeacherCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TEACHER", description = "The teacher file.")
  Path teacher;

  @Option(names = "--train", required = true, description = "The train file (.csv, .tsv, .jsonl, .txt).")
  String train;

  @Mixin LabelNamesOption labels = new LabelNamesOption();

  @Mixin InputColumnOptions columns = new InputColumnOptions();

  @Override
  public Integer call() {
    TeacherCheck.Summary s = TeacherCheck.run(teacher, train, columns.format(), columns.columns(false), labels.file);
    spec.commandLine().getOut().print(s.format());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
