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
        "Writes OUT/model (best on dev macro-F1, or the last model without --dev), OUT/model-last (with --dev), "
        + "OUT/metrics.json, OUT/train_log.csv, OUT/curves.png, OUT/provenance.json; atomically (a failed run leaves "
        + "nothing under OUT).",
        "Train rows need no gold label: the teacher is the only supervision there. Teacher ids are train-<row> "
        + "(0-based data row of --train); label names come from --labels, else the teacher file."})
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

  @Option(names = "--labels", description = "Label names, one per line, in the teacher's column order (default: the teacher file's label names).")
  Path labels;

  @Option(names = "--method", defaultValue = "llkd", description = "Selection method (default: ${DEFAULT-VALUE}; llkd, all, random, soft, ...).")
  String method;

  @Option(names = "--tier", defaultValue = "standard", description = "standard (default: the converged tier of the "
      + "committed tables, word embeddings trained, at least its 375 steps), quick (a fast look, at least 189 steps), "
      + "full (6 layers, 128 tokens), tiny (tests).")
  String tier;

  @Option(names = "--seed", defaultValue = "1", description = "Root seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epochs", description = "Epochs (default: the tier's, raised so that small files get the tier's minimum steps).")
  Integer epochs;

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
    UserTraining.Outcome o = UserTraining.run(new UserTraining.Request(train, teacher, dev, test, labels, columns.format(),
        columns.columns(false), method, tier, seed, epochs, lr, batchSize, maxLength, evalEvery, patience, out, force));
    spec.commandLine().getOut().println(o.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
