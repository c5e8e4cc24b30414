package org.llkd.experiments.exp;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.llkd.experiments.engine.GridFlags;
import org.llkd.experiments.report.CleanTree;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.train.Tier;
import org.llkd.models.train.SelectionForward;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line shared by every experiment: the same flags from the IDE ({@code main(args)}, no
 * arguments = quick tier on its default datasets) and from {@code llkd run <Name>}.
 */
public final class ExperimentMain {
  private static final Logger LOG = LoggerFactory.getLogger(ExperimentMain.class);

  private ExperimentMain() {}

  /** All runnable experiments, in README order. */
  public static List<Experiment> all() {
    return List.of(new MainResultsTable(), new Fig3Ablation(), new TeacherRobustnessTable(),
        new Fig2ConfidenceAndUncertainty(), new Fig4SelectionQuality(),
        new GoldFinetuneEvidence(), new Fig5ParameterAnalysis(), new CrossCheck(), new Summary(),
        new TeacherBudget());
  }

  /** Parses {@code args} for {@code e}, runs it, returns the exit code (0 ok, 2 bad input, 1 failure). */
  public static int run(Experiment e, String[] args) {
    System.setProperty("ai.djl.offline", "true");
    CommandLine cl = commandLine(e);
    cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
      if (ex instanceof IllegalArgumentException) {
        cmd.getErr().println(e.name() + ": " + ex.getMessage());
        return 2;
      }
      cmd.getErr().println(e.name() + ": failed: " + ex);
      ex.printStackTrace(cmd.getErr());
      return 1;
    });
    return cl.execute(args);
  }

  /** A picocli command for {@code e} (also added under {@code llkd run}). */
  public static CommandLine commandLine(Experiment e) {
    CommandLine cl = new CommandLine(new Args(e));
    cl.getCommandSpec().name(e.name());
    cl.getCommandSpec().usageMessage().description(e.description());
    return cl;
  }

  /** The shared flags. */
  @Command(mixinStandardHelpOptions = true, sortOptions = false)
  static final class Args implements Callable<Integer> {
    @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;
    private final Experiment experiment;

    Args(Experiment experiment) { this.experiment = experiment; }

    @CommandLine.ArgGroup(exclusive = true)
    TierFlags tierFlags;

    static final class TierFlags {
      @Option(names = "--quick", description = "quick tier (default): 2-layer student, 2,000 rows, 3 epochs, full "
          + "dev/test (the README's first command)")
      boolean quick;
      @Option(names = "--standard", description = "standard tier (every committed table): converged 2-layer student, "
          + "4,000 rows, 3 epochs, full dev/test (docs/tiers.md)")
      boolean standard;
      @Option(names = "--full", description = "paper-scale tier: 6-layer student, whole train split (hours)")
      boolean full;
      @Option(names = "--tiny", description = "smoke-test tier (seconds)")
      boolean tiny;
    }

    @Option(names = "--seeds", defaultValue = "3", description = "number of seeds (default ${DEFAULT-VALUE})")
    int seeds;
    @Option(names = "--dataset", split = ",", description = "dataset(s) under --data-root (default: the experiment's)")
    List<String> datasets;
    @Option(names = "--teacher", defaultValue = "zeroshot-bge",
        description = "teacher file name under teachers/<dataset>/ without .jsonl (default ${DEFAULT-VALUE})")
    String teacher;
    @Option(names = "--out", description = "output directory (default <repo>/results/<Name>)")
    Path out;
    @Option(names = "--force", description = "overwrite existing results in --out")
    boolean force;
    @Option(names = "--resume", description = "continue an interrupted experiment: skip finished runs, resume others")
    boolean resume;
    @Option(names = "--build-only", description = "only rebuild table.md and figures from --out/raw.csv")
    boolean buildOnly;
    @Option(names = "--collect", description = "rebuild --out/raw.csv from the finished runs under --out/runs, "
        + "then build (for a grid stopped part-way)")
    boolean collect;
    /** --data-root, --teachers-root, --allow-dirty, --engine, --master, --keep-models (as {@code llkd sweep}). */
    @CommandLine.Mixin
    GridFlags grid = new GridFlags();
    @Option(names = "--lr", paramLabel = "LR", description = "learning rate for every run, in (0, 1) (default: the tier's)")
    Double learningRate;
    @Option(names = "--momentum", paramLabel = "LAMBDA", description = "EMA momentum of the adaptive selectors, in "
        + "[0, 1) (default: the tier's, 1 - 5/steps)")
    Double momentum;
    @Option(names = "--batch-size", paramLabel = "N", description = "train batch size, >= 1 (default: the tier's)")
    Integer batchSize;
    @Option(names = "--max-length", paramLabel = "TOKENS", description = "tokenizer truncation, 8..512 (default: the "
        + "tier's); batch size x max length <= 32768")
    Integer maxLength;
    @Option(names = "--epochs", paramLabel = "N", description = "epochs, >= 1 (default: the tier's)")
    Integer epochs;
    @Option(names = "--methods", split = ",", paramLabel = "METHOD", description = "run only these methods of the"
        + " experiment's list, in its order, starting with its first (e.g. llkd,soft); default: all")
    List<String> methods;
    @Option(names = "--selection-forward", paramLabel = "MODE", converter = SelectionForwardConverter.class,
        description = "separate: the selector reads a no-dropout forward of all rows, then the selected rows get their"
            + " own forward and backward; shared: one forward of all rows (with the tier's dropout) feeds the selector"
            + " and the backward of the selected rows (faster; docs/performance.md). Default: the tier's (shared for"
            + " quick and standard, whose dropout is 0; separate for tiny and full)")
    SelectionForward selectionForward;

    @Override public Integer call() {
      Path root = Provenance.repoRoot();
      Path o = out != null ? out : root.resolve("results").resolve(experiment.name());
      CleanTree.requireClean(o, root, grid.allowDirty()); // before anything is written, --build-only included
      if (collect) {
        // the checkout's state is read before raw.csv is rewritten: a rewritten raw.csv is output, not a dirty tree
        Provenance p = ExperimentSupport.folderProvenanceRecord(experiment, o, "collect");
        LOG.info("{}: collected {} finished run(s)", experiment.name(), RawCollector.collect(o));
        ExperimentSupport.folderProvenance(p, o, "collect", true);
        experiment.build(o);
        return 0;
      }
      if (buildOnly) {
        ExperimentSupport.folderProvenance(ExperimentSupport.folderProvenanceRecord(experiment, o, "build-only"), o,
            "build-only", false);
        experiment.build(o);
        return 0;
      }
      Tier tier = tierFlags == null || tierFlags.quick ? Tier.QUICK : tierFlags.standard ? Tier.STANDARD
          : tierFlags.full ? Tier.FULL : Tier.TINY;
      ExperimentOptions.Inputs inputs = new ExperimentOptions.Inputs(datasets == null ? experiment.defaultDatasets()
          : datasets, grid.dataRoot(root), grid.teachersRoot(root), teacher);
      ConfigOverrides overrides = new ConfigOverrides(learningRate, momentum, batchSize, maxLength, epochs,
          selectionForward);
      ExperimentOptions opts = new ExperimentOptions(tier, seeds, inputs, new ExperimentOptions.Output(o, force, resume),
          grid.engineOptions(), overrides);
      try {
        (methods == null ? experiment : experiment.withMethods(methods)).run(opts);
      } catch (RunsFailedException failed) {
        for (Path d : failed.failedRunDirs()) LOG.error("{}: run {} failed: {}", experiment.name(), d.getFileName(),
            RunsFailedException.reason(d));
        LOG.info("{}: results of the finished runs in {}", experiment.name(), o);
        spec.commandLine().getErr().println(failed.summaryLine());
        return 1;
      }
      LOG.info("{}: results in {}", experiment.name(), o);
      return 0;
    }
  }

  /** {@code separate} / {@code shared} (any case) to {@link SelectionForward}; anything else named in the error. */
  static final class SelectionForwardConverter implements CommandLine.ITypeConverter<SelectionForward> {
    @Override public SelectionForward convert(String value) {
      for (SelectionForward f : SelectionForward.values()) if (f.name().equalsIgnoreCase(value)) return f;
      throw new CommandLine.TypeConversionException("expected separate or shared, found '" + value + "'");
    }
  }
}
