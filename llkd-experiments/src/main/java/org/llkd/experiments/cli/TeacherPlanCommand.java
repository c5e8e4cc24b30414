package org.llkd.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.product.TeacherCheck;
import org.llkd.experiments.teacher.plan.BudgetPlanner;
import org.llkd.experiments.teacher.llm.PlanJob;
import org.llkd.experiments.train.Tier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd teacher plan}: which rows of an unlabelled pool to send to the teacher at all (docs/llm-teacher.md). */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {"Choose which --budget rows of an unlabelled pool to send to the teacher: a random seed set, then "
        + "rounds of training the student on what is labelled and picking the rows it is most uncertain about that "
        + "are far apart in its embedding space (k-center). Writes the ids in the order they were sent (--out) and "
        + "their texts (<out>.rows.csv).",
        "The teacher is your LLM endpoint (the llkd teacher label options; every answer is cached, so a rerun costs "
        + "nothing) or, to simulate, an existing teacher file (--teacher-file)."})
public final class TeacherPlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, description = "The unlabelled pool (.csv, .tsv, .jsonl, .txt).")
  String input;

  @Option(names = "--text-column", defaultValue = "text", description = "Column holding the text (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Option(names = "--labels", required = true, description = "Label names, one per line.")
  Path labels;

  @Option(names = "--budget", required = true, description = "Rows to send to the teacher in all.")
  int budget;

  @Option(names = "--rounds", defaultValue = "2", description = "Student rounds after the seed set (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--seed-fraction", defaultValue = "0.25", description = "Share of the budget in the random seed set (default: ${DEFAULT-VALUE}).")
  double seedFraction;

  @Option(names = "--filter-factor", defaultValue = "4", description = "k-center picks among the factor x batch most uncertain rows (default: ${DEFAULT-VALUE}).")
  int filterFactor;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the seed set and the students (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--student-tier", defaultValue = "quick", description = "quick (default) or tiny (trials): the student trained each round.")
  String studentTier;

  @Option(names = "--out", required = true, description = "The plan: one id (train-<pool row>) per line, in the order sent.")
  Path out;

  @Option(names = "--force", description = "Replace an existing --out.")
  boolean force;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Teacher teacher;

  static final class Teacher {
    @Option(names = "--teacher-file", description = "Simulate: an existing teacher file aligned to the pool (ids train-<row>); a row's output is used only once planned.")
    Path file;

    /** The endpoint and how to ask it, declared once with {@code llkd teacher label} (its options and defaults). */
    @ArgGroup(exclusive = false)
    EndpointOptions endpoint;
  }

  @Override
  public Integer call() {
    if (Files.exists(out) && !force) {
      throw new IllegalArgumentException(out + ": expected a new plan file, found one already (pass --force)");
    }
    Tier tier = Tier.parse(studentTier);
    if (tier != Tier.QUICK && tier != Tier.TINY) {
      throw new IllegalArgumentException("--student-tier: expected quick or tiny, found " + studentTier);
    }
    List<String> names = TeacherCheck.readLabels(labels);
    TextDataset pool = PlanJob.readPool(input, null, textColumn, names);
    BudgetPlanner planner = new BudgetPlanner(budget, rounds, seedFraction, filterFactor, seed);
    Path work = out.resolveSibling(out.getFileName() + ".work");
    Function<List<Integer>, double[][]> t;
    Path source;
    if (teacher.file != null) {
      t = PlanJob.fileTeacher(teacher.file, pool);
      source = teacher.file;
    } else {
      TeacherLabelCommand label = new TeacherLabelCommand();
      label.input = input;
      label.labels = labels;
      label.endpoint = teacher.endpoint;
      if (label.endpoint.cache == null) label.endpoint.cache = out.resolveSibling(out.getFileName() + ".cache.jsonl");
      label.columns.textColumn = textColumn;
      label.split = "train";
      label.out = work.resolve("unused.jsonl");
      source = label.endpoint.cache;
      t = PlanJob.endpointTeacher(label.job(), pool, work);
    }
    List<Integer> plan = PlanJob.run(planner, pool, t, source, tier, out, work);
    spec.commandLine().getOut().printf("planned %d of %d pool rows -> %s (texts: %s.rows.csv)%n", plan.size(), pool.size(),
        out, out.getFileName());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
