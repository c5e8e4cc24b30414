package org.llkd.experiments.sweep;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llkd.experiments.engine.GridFlags;
import org.llkd.experiments.engine.EngineOptions;
import org.llkd.experiments.engine.RunEngine;
import org.llkd.experiments.engine.RunEngines;
import org.llkd.experiments.train.Trainer;
import org.llkd.experiments.report.CleanTree;
import org.llkd.experiments.report.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep file from the IDE ({@code SweepMain.main("sweeps/fig5_emotion_quick.json", "--resume")}) with the
 * same flags as {@code llkd sweep} (whose command class extends {@link Args}).
 */
public final class SweepMain {
  private static final Logger LOG = LoggerFactory.getLogger(SweepMain.class);

  private SweepMain() {}

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    CommandLine cl = new CommandLine(new Args());
    cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
      cmd.getErr().println("sweep: " + (ex instanceof IllegalArgumentException ? ex.getMessage() : ex));
      if (!(ex instanceof IllegalArgumentException)) ex.printStackTrace(cmd.getErr());
      return ex instanceof IllegalArgumentException ? 2 : 1;
    });
    System.exit(cl.execute(args));
  }

  /** The flags of {@code llkd sweep}. Exit code: 0 all selected trials finished, 1 some failed, 2 bad input. */
  @Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Run a hyper-parameter sweep file (JSON/YAML; see docs/sweeps.md) through Arbiter: one run"
          + " directory per trial under <out>/trials/, then raw.csv, table.md, best_config.json, provenance.json.")
  public static class Args implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "sweep file, e.g. sweeps/fig5_emotion_quick.json")
    Path file;
    @Option(names = "--out", description = "sweep directory (default <repo>/results/sweeps/<name>)")
    Path out;
    @CommandLine.ArgGroup(exclusive = true)
    Mode mode;

    static final class Mode {
      @Option(names = "--force", description = "retrain every trial (deletes their directories first)")
      boolean force;
      @Option(names = "--resume", description = "continue in an existing directory: reuse finished trials, resume"
          + " interrupted ones")
      boolean resume;
      @Option(names = "--report-only", description = "train nothing; rebuild raw.csv, table.md, best_config.json")
      boolean reportOnly;
    }

    @Option(names = "--workers", description = "parallel trials (default: the file's workers; with --engine spark the"
        + " task slots); locally run the JVM with OMP_NUM_THREADS = cores / workers (ND4J's threads are per process)")
    Integer workers;
    @Option(names = "--shard", defaultValue = "0/1", description = "I/N: run the trials whose index %% N = I"
        + " (machines sharing --out; default ${DEFAULT-VALUE})")
    String shard;
    @Option(names = "--limit", description = "run only the first N trials (of this shard); the rest stay pending")
    Integer limit;
    /** --data-root, --teachers-root, --allow-dirty, --engine, --master, --keep-models (as {@code llkd run <Name>}). */
    @CommandLine.Mixin
    GridFlags grid = new GridFlags();

    @Override public Integer call() {
      Path root = Provenance.repoRoot();
      Path f = file.isAbsolute() ? file : root.resolve(file).normalize();
      if (!java.nio.file.Files.isRegularFile(f) && java.nio.file.Files.isRegularFile(file)) f = file.toAbsolutePath();
      SweepSpec spec = SweepSpec.read(f);
      String[] sh = shard.split("/", -1);
      int si;
      int sn;
      try {
        if (sh.length != 2) throw new NumberFormatException();
        si = Integer.parseInt(sh[0]);
        sn = Integer.parseInt(sh[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad --shard '" + shard + "': expected I/N, e.g. 0/2");
      }
      boolean force = mode != null && mode.force;
      boolean resume = mode != null && mode.resume;
      Path sweepDir = out != null ? out : root.resolve("results").resolve("sweeps").resolve(spec.study().name());
      SweepRunner.Options o = new SweepRunner.Options(new SweepRunner.Options.Output(sweepDir, force, resume),
          grid.dataRoot(root), grid.teachersRoot(root), new SweepRunner.Options.Slice(si, sn, limit), workers,
          Trainer.Launcher.LOCAL);
      CleanTree.requireClean(o.output().out(), root, grid.allowDirty()); // before any trial or report is written
      EngineOptions engineOptions = grid.engineOptions();
      if (mode != null && mode.reportOnly) {
        SweepRunner.reportOnly(spec, o);
        LOG.info("sweep {}: reports rebuilt in {}", spec.study().name(), o.output().out());
        return 0;
      }
      SweepRunner.Summary s;
      try (RunEngine engine = RunEngines.open(engineOptions, "sweep " + spec.study().name())) {
        s = SweepRunner.run(spec, o.withTrainer(engine.launcher()));
      }
      LOG.info("sweep {}: trained {}, resumed {}, reused {}, failed {}; results in {}", spec.study().name(),
          s.count("trained"), s.count("resumed"), s.count("reused"), s.count("failed"), s.out());
      return s.count("failed") > 0 ? 1 : 0;
    }
  }
}
