package org.llkd.experiments.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llkd.experiments.product.UserTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd train}: one run on the user's own files; see {@link UserTraining}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {"Distil a teacher into a small classifier on your own files (no catalog entry needed).",
        "Writes OUT/model (best on dev macro-F1, or the last model without --dev), OUT/model-last (only with --dev), "
        + "OUT/metrics.json (the kept model's dev and test metrics), OUT/train_log.csv, OUT/curves.png, "
        + "OUT/provenance.json; atomically (a failed run leaves nothing under OUT; a killed one leaves .OUT.partial "
        + "beside it, continued by the same command with --resume).",
        "Train rows need no gold label: the teacher is the only supervision there. Teacher rows are matched to train "
        + "rows by id: the --id-column values when given, else those of a column named exactly 'id' when --train has "
        + "one (--no-id-column: not), else train-<row> (0-based data row of --train); an NPY/NPZ teacher without ids is "
        + "matched by row order. Label names come from --labels, else the teacher file."})
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--train", required = true, description = "Train file (.csv, .tsv, .jsonl, .txt); labels optional.")
  String train;

  @Option(names = "--teacher", required = true, description = "Teacher file (JSONL, NPY+sidecars, NPZ, CSV, TSV; docs/teacher-formats.md).")
  Path teacher;

  @Option(names = "--dev", description = "Labelled dev file: evaluated every epoch (and every --eval-every steps); the best model on dev macro-F1 is kept.")
  String dev;

  @Option(names = "--test", description = "Labelled test file: metrics of the kept model.")
  String test;

  @Mixin LabelNamesOption labels = new LabelNamesOption();

  @Option(names = "--method", defaultValue = "llkd", description = "Selection method (default: ${DEFAULT-VALUE}; llkd, all, random, soft, ...).")
  String method;

  @Option(names = "--tier", defaultValue = "standard", description = "standard (default: the converged tier of the "
      + "committed tables, word embeddings trained, at least its 375 steps), quick (a fast look, at least 189 steps), "
      + "full (6 layers, 128 tokens), tiny (tests). The step floor raises a small file's epochs to at most 50.")
  String tier;

  @Option(names = "--seed", defaultValue = "1", description = "Root seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epochs", description = "Epochs (default: the tier's, raised so that small files get the tier's minimum steps, up to 50 epochs).")
  Integer epochs;

  @Option(names = "--max-steps", description = "Train exactly N steps (as many epochs as that takes; the learning-rate "
      + "schedule ends there); excludes --epochs.")
  Integer maxSteps;

  @Option(names = "--max-train-rows", description = "Train on a random sample of N train rows (seeded by --seed; the "
      + "teacher file still covers every row).")
  Integer maxTrainRows;

  @Option(names = "--checkpoint-minutes", defaultValue = "10", description = "Write a resume checkpoint at the first "
      + "epoch end at least this many minutes after the last one (default: ${DEFAULT-VALUE}; 0 = every epoch end; none "
      + "after the last epoch).")
  double checkpointMinutes;

  @Option(names = "--resume", description = "Continue the run of this --out that was killed (its .OUT.partial "
      + "directory), from its last checkpoint (one killed before its first checkpoint starts again from step 0, and "
      + "says so); needs the same command and files.")
  boolean resume;

  @Option(names = "--lr", description = "Learning rate (default: the tier's).")
  Double lr;

  @Option(names = "--batch-size", description = "Train batch size (default: the tier's).")
  Integer batchSize;

  @Option(names = "--max-length", description = "Tokens per text, [CLS]/[SEP] included (default: the tier's).")
  Integer maxLength;

  @Option(names = "--eval-every", defaultValue = "0", description = "Also evaluate dev every N steps (default: epoch ends only).")
  int evalEvery;

  @Option(names = "--patience", defaultValue = "0", description = "Stop after N dev evaluations without a better macro-F1 (default: 0 = never).")
  int patience;

  @Option(names = "--out", required = true, description = "Output directory (refused if it exists, unless --force).")
  Path out;

  @Option(names = "--force", description = "Replace an existing --out (only after the new run succeeds).")
  boolean force;

  @Mixin InputColumnOptions columns = new InputColumnOptions();

  @Override
  public Integer call() {
    UserTraining.Request request = new UserTraining.Request(
        new UserTraining.Request.Inputs(train, teacher, dev, test, labels.file, columns.format(), columns.columns(false)),
        new UserTraining.Request.Recipe(method, tier, seed),
        new UserTraining.Request.Overrides(epochs, lr, batchSize, maxLength, maxSteps, maxTrainRows),
        new UserTraining.Request.Keeping(evalEvery, patience, checkpointMinutes),
        new UserTraining.Request.Output(out, force, resume));
    UserTraining.Outcome o = UserTraining.run(request);
    spec.commandLine().getOut().println(o.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
