package org.llkd.experiments.product;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.llkd.experiments.data.LabelSet;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;
import org.llkd.experiments.exp.Charts;
import org.llkd.experiments.metrics.ClassificationMetrics;
import org.llkd.experiments.report.Provenance;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.experiments.train.RunCheckpoint;
import org.llkd.experiments.train.StudentFactory;
import org.llkd.experiments.train.TrainConfig;
import org.llkd.experiments.train.Trainer;
import org.llkd.experiments.train.TrainingSources;
import org.llkd.models.classifier.ModelBundle;
import org.llkd.models.classifier.ModelDirectory;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.encoder.StudentConfig;
import org.llkd.models.encoder.StudentTransformer;
import org.llkd.models.io.AtomicFiles;
import org.llkd.models.io.Sha256;
import org.llkd.models.params.NamedParams;
import org.llkd.selection.teacher.TeacherOutputs;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code llkd train} on a user's own files: reads the sources (train, optional dev/test, teacher), trains with the
 * experiments' {@link Trainer}, keeps the best model on dev macro-F1 (and the last), and writes the output directory
 * atomically: the run fills the hidden sibling {@code .OUT.partial/}, which is renamed to {@code OUT} once complete
 * (a failed run leaves nothing under OUT; a killed one leaves {@code .OUT.partial/}, which {@code --resume} continues).
 * <pre>
 *   OUT/model/          the kept model (best on dev macro-F1; the last one without --dev), docs/model-format.md
 *   OUT/model-last/     the last model (only with --dev; without it OUT/model is the last model)
 *   OUT/metrics.json    dev and test metrics of the kept model (accuracy, macro-F1, per-class P/R/F1, ECE): the
 *                       run's only dev/test figures
 *   OUT/train_log.csv   one row per step (loss, selected ratio, lr) and per dev evaluation (dev metrics)
 *   OUT/curves.png      loss, dev macro-F1 and selection ratio against step
 *   OUT/provenance.json input SHA-256s, config, alignment rule, commit, machine, the run's selection statistics
 *   OUT/run/            the trainer's step and epoch logs (steps.csv, epochs.csv, run.log); the trainer gets no
 *                       test split (its last model is never scored on test: metrics.json's is the one test figure),
 *                       and its own final-model files (metrics.csv, ...) are not kept
 * </pre>
 */
public final class UserTraining {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UserTraining.class);
  /** Files of OUT/run/ that score the trainer's last model rather than the kept one: removed (metrics.json rules). */
  static final List<String> LAST_MODEL_FILES = List.of("metrics.csv", Trainer.TEST_REPORT_FILE, Trainer.TEST_PROBS_FILE,
      "dev_predictions.csv", "provenance.json");

  /**
   * What to train on and how, in five groups named after the command's option groups.
   *
   * @param inputs the user's files and how to read them
   * @param recipe method, tier and seed
   * @param overrides the tier's settings the user replaced (null = the tier's), and the step and row caps
   * @param keeping when to evaluate dev, stop early and checkpoint
   * @param output where the run goes, and what to do with an existing or interrupted one
   */
  public record Request(Inputs inputs, Recipe recipe, Overrides overrides, Keeping keeping, Output output) {
    public Request {
      if (inputs == null || recipe == null || overrides == null || keeping == null || output == null) {
        throw new IllegalArgumentException("a request needs inputs, recipe, overrides, keeping and output; found " + inputs
            + ", " + recipe + ", " + overrides + ", " + keeping + ", " + output);
      }
    }

    /**
     * The user's files.
     *
     * @param train train file (text, optional gold label, optional id)
     * @param teacher teacher outputs for the train rows
     * @param dev dev file, or null
     * @param test test file, or null
     * @param labels label-names file, or null (the teacher's names)
     * @param format file format, or null (from the extension)
     * @param columns text, id and label columns
     */
    public record Inputs(String train, Path teacher, String dev, String test, Path labels, TextFileReader.Format format,
        TextFileReader.Columns columns) {
      /** Train and teacher only: no dev, test or labels file, format from the extension. */
      public static Inputs of(String train, Path teacher, TextFileReader.Columns columns) {
        return new Inputs(train, teacher, null, null, null, null, columns);
      }
    }

    /**
     * Which run.
     *
     * @param method selector name ({@code llkd}, {@code gold}, ...)
     * @param tier {@code tiny}, {@code quick}, {@code standard} or {@code full}
     * @param seed root seed
     */
    public record Recipe(String method, String tier, long seed) {}

    /**
     * The tier's settings the user replaced (null = the tier's), and the caps.
     *
     * @param epochs --epochs
     * @param lr --lr
     * @param batchSize --batch-size
     * @param maxLength --max-length
     * @param maxSteps --max-steps (excludes --epochs)
     * @param maxTrainRows --max-train-rows
     */
    public record Overrides(Integer epochs, Double lr, Integer batchSize, Integer maxLength, Integer maxSteps,
        Integer maxTrainRows) {
      /** The tier as it is: no override, no cap. */
      public static final Overrides NONE = new Overrides(null, null, null, null, null, null);

      public Overrides {
        if (maxSteps != null && maxSteps < 1) throw new IllegalArgumentException("--max-steps: expected >= 1, found " + maxSteps);
        if (maxSteps != null && epochs != null) {
          throw new IllegalArgumentException("--max-steps and --epochs exclude each other: --max-steps N trains exactly N "
              + "steps (as many epochs as that takes)");
        }
        if (maxTrainRows != null && maxTrainRows < 1) {
          throw new IllegalArgumentException("--max-train-rows: expected >= 1, found " + maxTrainRows);
        }
      }

      public Overrides withEpochs(Integer n) {
        return new Overrides(n, lr, batchSize, maxLength, maxSteps, maxTrainRows);
      }

      public Overrides withMaxSteps(Integer n) {
        return new Overrides(epochs, lr, batchSize, maxLength, n, maxTrainRows);
      }

      public Overrides withMaxTrainRows(Integer n) {
        return new Overrides(epochs, lr, batchSize, maxLength, maxSteps, n);
      }
    }

    /**
     * Dev evaluation, early stopping and resume checkpoints.
     *
     * @param evalEvery --eval-every (0 = epoch ends only)
     * @param patience --patience (0 = no early stopping)
     * @param checkpointMinutes --checkpoint-minutes (0 = every epoch end)
     */
    public record Keeping(int evalEvery, int patience, double checkpointMinutes) {
      /** Epoch-end evaluation, no early stopping, a checkpoint every {@link #DEFAULT_CHECKPOINT_MINUTES} minutes. */
      public static final Keeping DEFAULT = new Keeping(0, 0, DEFAULT_CHECKPOINT_MINUTES);

      public Keeping {
        if (!(checkpointMinutes >= 0) || Double.isInfinite(checkpointMinutes)) {
          throw new IllegalArgumentException("--checkpoint-minutes: expected >= 0 (0 = every epoch), found " + checkpointMinutes);
        }
      }
    }

    /**
     * The output directory.
     *
     * @param out --out
     * @param force --force: replace an existing OUT (after the new run succeeds), discard an interrupted run
     * @param resume --resume: continue the interrupted run of OUT
     */
    public record Output(Path out, boolean force, boolean resume) {
      public Output {
        if (force && resume) {
          throw new IllegalArgumentException("--force and --resume exclude each other: --force starts over, --resume continues");
        }
      }

      /** A new run into {@code out}, refused if it exists. */
      public static Output fresh(Path out) {
        return new Output(out, false, false);
      }
    }
  }

  /** Default of {@code --checkpoint-minutes}. */
  public static final double DEFAULT_CHECKPOINT_MINUTES = 10;

  /**
   * The run's outcome, for the summary line.
   *
   * @param out the output directory
   * @param kept the kept model: where dev put it and how it scores
   * @param run what the run did
   */
  public record Outcome(Path out, Kept kept, Run run) {
    /**
     * The kept model.
     *
     * @param bestEpoch 0-based epoch of the best dev macro-F1 (-1 without --dev)
     * @param bestStep 0-based step of the best dev macro-F1 (-1 without --dev)
     * @param dev its dev evaluation, or null without --dev
     * @param test its test evaluation, or null without --test
     */
    public record Kept(int bestEpoch, int bestStep, ModelEvaluation dev, ModelEvaluation test) {}

    /**
     * What the run did.
     *
     * @param trainRows rows trained on
     * @param steps optimiser steps
     * @param dataUsed fraction of the offered rows the selector kept
     * @param seconds wall time
     * @param resumed whether it continued an interrupted run
     */
    public record Run(int trainRows, int steps, double dataUsed, double seconds, boolean resumed) {}

    public String summary() {
      StringBuilder sb = new StringBuilder("llkd train: ");
      if (kept.dev() != null) {
        sb.append(String.format(Locale.ROOT, "best epoch %d (step %d), dev macro-F1 %.4f", kept.bestEpoch() + 1,
            kept.bestStep() + 1, kept.dev().metrics().macroF1()));
      } else {
        sb.append("no --dev: last model");
      }
      if (kept.test() != null) {
        sb.append(String.format(Locale.ROOT, ", test macro-F1 %.4f", kept.test().metrics().macroF1()));
      }
      sb.append(String.format(Locale.ROOT, "; %d train rows, %d steps%s, data used %.1f%%; %.0f s; model in %s",
          run.trainRows(), run.steps(), run.resumed() ? " (resumed)" : "", 100 * run.dataUsed(), run.seconds(),
          out.resolve("model")));
      return sb.toString();
    }
  }

  private UserTraining() {}

  /** The hidden sibling directory a run of {@code out} fills before it is renamed to {@code out}. */
  public static Path partialDir(Path out) {
    Path abs = out.toAbsolutePath().normalize();
    return abs.resolveSibling("." + abs.getFileName() + ".partial");
  }

  public static Outcome run(Request r) {
    long t0 = System.nanoTime();
    Path out = r.output().out().toAbsolutePath().normalize();
    if (Files.exists(out) && r.output().resume()) {
      throw new IllegalArgumentException("output directory " + out + " already exists: that run finished, there is "
          + "nothing to resume; pass --force to replace it or choose another --out");
    }
    if (Files.exists(out) && !r.output().force()) {
      throw new IllegalArgumentException("output directory " + out + " already exists; pass --force to replace it "
          + "(after the new run succeeds) or choose another --out");
    }
    Read read = read(r);
    TrainingSources sources = read.sources();
    TextDataset train = sources.train();
    if (r.recipe().method().equals("gold") && !train.fullyLabelled()) {
      throw new IllegalArgumentException(r.inputs().train() + ": method gold needs a gold label on every train row; use the "
          + "teacher (method llkd, the default) for rows without gold");
    }
    TrainConfig cfg = config(r, train.size());
    Path parent = out.getParent();
    Path tmp = partialDir(out);
    Map<String, String> identity = identity(r, cfg);
    boolean resuming = false;
    if (Files.exists(tmp)) {
      if (r.output().force()) {
        deleteTree(tmp);
      } else if (!r.output().resume()) {
        throw new IllegalArgumentException("an interrupted run of " + out + " is in " + tmp + "; pass --resume to "
            + "continue it (same command), or --force to discard it and start over");
      } else {
        checkSameRun(tmp, identity);
        resuming = true;
      }
    } else if (r.output().resume()) {
      throw new IllegalArgumentException("--resume: no interrupted run of " + out + " (expected the directory " + tmp
          + ", left by a run that was killed); run without --resume to start one");
    }
    boolean ok = false;
    try {
      Files.createDirectories(parent);
      Files.createDirectories(tmp);
      if (!resuming) AtomicFiles.writeString(tmp.resolve(RUN_IDENTITY), JSON.writeValueAsString(identity) + "\n");
      Keeper keeper = new Keeper(r.keeping().evalEvery(), r.keeping().patience());
      keeper.capSteps(r.overrides().maxSteps());
      keeper.plan(cfg, train.size(), sources, r.keeping().checkpointMinutes(), tmp);
      Path runDir = tmp.resolve("run");
      boolean fromCheckpoint = resuming && Files.isRegularFile(runDir.resolve(RunCheckpoint.FILE));
      if (fromCheckpoint) {
        keeper.restore(runDir.resolve(RunCheckpoint.FILE));
      } else if (resuming) { // killed before its first checkpoint: nothing to continue from
        LOG.info("--resume: no checkpoint yet in {} ({}); starting again from step 0", runDir,
            checkpointCadence(r.keeping().checkpointMinutes()));
      }
      // The trainer gets no test split: it would score its last model, a second test figure beside the kept model's
      // (metrics.json, scored below), in its log and on the console.
      TrainingSources trainerSources = new TrainingSources(train, sources.dev(), null, sources.teacher());
      Trainer.Result res = new Trainer(cfg, runDir).resuming(fromCheckpoint).withMonitor(keeper)
          .train(() -> trainerSources);
      Files.deleteIfExists(runDir.resolve(RunCheckpoint.FILE)); // the model directories hold the weights
      for (String f : LAST_MODEL_FILES) Files.deleteIfExists(runDir.resolve(f)); // metrics.json is the one test figure
      keeper.deleteState();

      List<String> labels = train.labels().names();
      StudentConfig sc = StudentFactory.studentConfig(cfg, labels.size());
      Provenance prov = provenance(r, cfg, res, read.alignment(), fromCheckpoint);
      prov.write(tmp.resolve("provenance.json"));
      Map<String, Object> provMap = JSON.readValue(tmp.resolve("provenance.json").toFile(),
          new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
      byte[] tok = StudentFactory.tokenizer(cfg.student().maxLength()).json();
      INDArray keptFlat = sources.dev() != null && keeper.best != null ? keeper.best : keeper.last;
      ModelBundle kept = new ModelBundle(sc, NamedParams.wrap(sc.paramSpecs(), keptFlat), tok, labels, cfg.student().maxLength(), provMap);
      replaceDir(tmp.resolve("model"));
      ModelDirectory.write(tmp.resolve("model"), kept);
      if (sources.dev() != null) {
        replaceDir(tmp.resolve("model-last"));
        ModelDirectory.write(tmp.resolve("model-last"),
            new ModelBundle(sc, NamedParams.wrap(sc.paramSpecs(), keeper.last), tok, labels, cfg.student().maxLength(), provMap));
      }
      ModelEvaluation devEval = null, testEval = null;
      try (TextClassifier clf = TextClassifier.of(kept)) {
        if (sources.dev() != null) devEval = evaluate(clf, sources.dev());
        if (sources.test() != null) testEval = evaluate(clf, sources.test());
      }
      writeMetrics(tmp.resolve("metrics.json"), devEval, testEval, keeper, res, cfg);
      keeper.writeLog(tmp.resolve("train_log.csv"));
      keeper.writeCurves(tmp.resolve("curves.png"));
      Files.deleteIfExists(tmp.resolve(RUN_IDENTITY));
      if (Files.exists(out)) deleteTree(out); // --force: replaced only now that the new run is complete
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + parent + " cannot rename atomically; choose --out on a local disk", e);
      }
      ok = true;
      return new Outcome(out, new Outcome.Kept(keeper.bestEpoch, keeper.bestStep, devEval, testEval),
          new Outcome.Run(res.metrics().run().trainRows(), res.metrics().run().steps(),
              res.metrics().selection().dataUsed(), (System.nanoTime() - t0) / 1e9, fromCheckpoint));
    } catch (IOException e) {
      throw new UncheckedIOException("llkd train: could not write " + out + ": " + e.getMessage(), e);
    } finally {
      if (!ok && Files.exists(tmp)) deleteTree(tmp); // a failed run leaves nothing (a killed one leaves tmp to resume)
    }
  }

  /** "checkpoints every N min" (at epoch ends), for the log line of a resume that finds none. */
  static String checkpointCadence(double minutes) {
    if (minutes == 0) return "a checkpoint at every epoch end but the last, --checkpoint-minutes 0";
    String n = minutes == Math.rint(minutes) ? Long.toString((long) minutes) : Double.toString(minutes);
    return "checkpoints every " + n + " min, at the first epoch end after that (--checkpoint-minutes)";
  }

  /** Names the run in {@code .OUT.partial/}: --resume continues it only with the same config and the same inputs. */
  static final String RUN_IDENTITY = "run-identity.json";
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  static Map<String, String> identity(Request r, TrainConfig cfg) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("config", JSON.convertValue(cfg, Map.class).toString());
    m.put("train sha256", Sha256.of(Path.of(r.inputs().train())));
    m.put("teacher sha256", Sha256.of(r.inputs().teacher()));
    m.put("dev sha256", r.inputs().dev() == null ? "-" : Sha256.of(Path.of(r.inputs().dev())));
    m.put("test sha256", r.inputs().test() == null ? "-" : Sha256.of(Path.of(r.inputs().test())));
    m.put("labels sha256", r.inputs().labels() == null ? "-" : Sha256.of(r.inputs().labels()));
    m.put("columns", r.inputs().columns().toString());
    m.put("--eval-every", Integer.toString(r.keeping().evalEvery()));
    m.put("--patience", Integer.toString(r.keeping().patience()));
    return m;
  }

  private static void checkSameRun(Path tmp, Map<String, String> identity) {
    Path f = tmp.resolve(RUN_IDENTITY);
    Map<String, String> before;
    try {
      before = JSON.readValue(f.toFile(), new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, String>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException(f + ": expected the record of the interrupted run, found " + e.getMessage()
          + "; pass --force to discard " + tmp + " and start over");
    }
    List<String> differ = new ArrayList<>();
    for (String k : identity.keySet()) if (!identity.get(k).equals(before.get(k))) differ.add(k);
    if (!differ.isEmpty()) {
      throw new IllegalArgumentException("--resume: the interrupted run in " + tmp + " was started with another "
          + String.join(", ", differ) + "; expected the same command and files to continue it, or --force to start over");
    }
  }

  private static void replaceDir(Path dir) {
    if (Files.exists(dir)) deleteTree(dir); // a run killed while writing its outputs, resumed
  }

  /** Reads and aligns the user's files; every refusal names the file, row, expected and found. */
  /** What {@link #read} returns: the sources, and how the teacher was aligned to the train rows. */
  record Read(TrainingSources sources, TeacherCheck.Alignment alignment) {}

  /** The sources only. */
  static TrainingSources sources(Request r) {
    return read(r).sources();
  }

  static Read read(Request r) {
    TextFileReader.Table table = TextFileReader.readTable(r.inputs().train(), r.inputs().format(),
        r.inputs().columns().withRequireLabel(false));
    List<TextRow> rows = table.rows();
    if (rows.isEmpty()) throw TextFileException.inFile(r.inputs().train(), "at least one train row", "no rows");
    List<String> labels = r.inputs().labels() == null ? null : TeacherCheck.readLabels(r.inputs().labels());
    TeacherCheck.Aligned aligned = TeacherCheck.align(r.inputs().teacher(), table, labels, r.inputs().train());
    TeacherOutputs teacher = aligned.teacher();
    LabelSet ls = new LabelSet(teacher.labelNames());
    TextDataset train = dataset(r.inputs().train(), Split.TRAIN, rows, ls, false);
    // dev and test rows are matched to nothing: --id-column is the train file's (they need not have that column)
    TextFileReader.Columns eval = new TextFileReader.Columns(r.inputs().columns().textColumn(), null, r.inputs().columns().labelColumn(), true);
    TextDataset dev = r.inputs().dev() == null ? null : dataset(r.inputs().dev(), Split.DEV, TextFileReader.readAll(r.inputs().dev(), r.inputs().format(), eval),
        ls, true);
    TextDataset test = r.inputs().test() == null ? null : dataset(r.inputs().test(), Split.TEST,
        TextFileReader.readAll(r.inputs().test(), r.inputs().format(), eval), ls, true);
    return new Read(new TrainingSources(train, dev, test, teacher), aligned.alignment());
  }

  private static TextDataset dataset(String file, Split split, List<TextRow> rows, LabelSet labels, boolean needGold) {
    if (rows.isEmpty()) throw TextFileException.inFile(file, "at least one row", "no rows");
    List<Sample> samples = new ArrayList<>(rows.size());
    LabelIndex index = new LabelIndex(labels.names(), "a label in", needGold ? "" : " (or an empty cell)");
    for (TextRow row : rows) {
      if (row.text().isBlank()) { // predict and evaluate classify empty texts; training on one teaches nothing
        throw TextFileException.atRow(file, row.row(), row.line(), "a non-empty text in "
            + "every row of a train, dev or test file (remove the row, and its teacher row)", "an empty text");
      }
      int label = Sample.NO_LABEL;
      if (row.label() != null) label = index.of(file, row);
      samples.add(new Sample(split.sampleId((int) row.row()), row.text(), label));
    }
    Path p = Path.of(file);
    return new TextDataset(nameOf(file), split, samples, labels, p, Sha256.of(p));
  }

  private static String nameOf(String file) {
    String n = Path.of(file).getFileName().toString();
    int dot = n.lastIndexOf('.');
    String base = (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "_");
    return base.isEmpty() ? "user" : base;
  }

  /** Most epochs the small-file step floor raises a run to. */
  public static final int MAX_FLOOR_EPOCHS = 50;

  /**
   * The tier's config for the user's files: all rows (or a seeded sample of --max-train-rows), all dev/test rows, then
   * --epochs/--lr/--batch-size/--max-length. Without --epochs and --max-steps the epochs are raised so that the run has
   * at least the steps the tier takes on its own row count (small files still get enough updates), but to at most
   * {@link #MAX_FLOOR_EPOCHS} epochs: a file so small that 50 epochs give fewer steps gets 50 epochs. With --max-steps
   * N: ceil(N / steps per epoch) epochs, the run (and its learning-rate schedule) ending after step N.
   */
  static TrainConfig config(Request r, int trainRows) {
    String name = nameOf(r.inputs().train());
    Path root = Path.of(r.inputs().train()).toAbsolutePath().getParent();
    TrainConfig base = switch (r.recipe().tier()) {
      case "tiny" -> TrainConfig.tiny(name, root, r.inputs().teacher(), r.recipe().method(), r.recipe().seed());
      case "quick" -> TrainConfig.quick(name, root, r.inputs().teacher(), r.recipe().method(), r.recipe().seed());
      case "standard" -> TrainConfig.standard(name, root, r.inputs().teacher(), r.recipe().method(), r.recipe().seed());
      case "full" -> TrainConfig.full(name, root, r.inputs().teacher(), r.recipe().method(), r.recipe().seed());
      default -> throw new IllegalArgumentException("--tier: expected quick, standard, full or tiny, found '" + r.recipe().tier() + "'");
    };
    // quick and standard: as many steps as the tier takes on its own row count (e.g. standard: 4,000 rows x 3 epochs =
    // 375 steps), so a small file still gets enough updates; tiny and full: the tier's epochs as they are
    int minSteps = r.recipe().tier().equals("quick") || r.recipe().tier().equals("standard")
        ? base.schedule().epochs() * ((base.data().trainRows() + base.schedule().batchSize() - 1)
            / base.schedule().batchSize()) : 0;
    int rows = r.overrides().maxTrainRows() == null ? trainRows : Math.min(trainRows, r.overrides().maxTrainRows());
    TrainConfig c = base.withData(base.data().withTrainRows(rows == trainRows ? 0 : rows).withEvalRows(0));
    int batch = r.overrides().batchSize() != null ? r.overrides().batchSize() : c.schedule().batchSize();
    double lr = r.overrides().lr() != null ? r.overrides().lr() : c.schedule().learningRate();
    int epochs = c.schedule().epochs();
    int perEpoch = (rows + batch - 1) / batch;
    if (r.overrides().epochs() != null) {
      epochs = r.overrides().epochs();
    } else if (r.overrides().maxSteps() != null) {
      epochs = (r.overrides().maxSteps() + perEpoch - 1) / perEpoch;
    } else {
      epochs = Math.min(MAX_FLOOR_EPOCHS, Math.max(epochs, (minSteps + perEpoch - 1) / perEpoch));
    }
    c = c.withSchedule(c.schedule().withEpochs(epochs).withBatchSize(batch).withLearningRate(lr));
    if (r.overrides().maxLength() != null) c = c.withStudent(c.student().withMaxLength(r.overrides().maxLength()));
    return c;
  }

  private static ModelEvaluation evaluate(TextClassifier clf, TextDataset ds) {
    List<String> texts = new ArrayList<>(ds.size());
    for (Sample s : ds.samples()) texts.add(s.text());
    return ModelEvaluation.of(clf.labels(), ds.goldLabels(), clf.probabilities(texts));
  }

  private static void writeMetrics(Path file, ModelEvaluation dev, ModelEvaluation test, Keeper k, Trainer.Result res,
      TrainConfig cfg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", dev != null ? "best on dev macro-F1" : "last");
    m.put("bestEpoch", dev != null ? k.bestEpoch + 1 : null);
    m.put("bestStep", dev != null ? k.bestStep + 1 : null);
    m.put("trainRows", res.metrics().run().trainRows());
    m.put("steps", res.metrics().run().steps());
    m.put("epochs", cfg.schedule().epochs());
    m.put("dataUsed", res.metrics().selection().dataUsed());
    m.put("meanSelectionRatio", res.metrics().selection().meanRatio());
    m.put("dev", dev == null ? null : dev.toJson());
    m.put("test", test == null ? null : test.toJson());
    try {
      byte[] b = new com.fasterxml.jackson.databind.ObjectMapper().enable(
          com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(m);
      AtomicFiles.write(file, o -> o.write(b));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Provenance provenance(Request r, TrainConfig cfg, Trainer.Result res, TeacherCheck.Alignment a,
      boolean resumed) {
    Provenance p = new Provenance("llkd train", cfg, List.of(r.recipe().seed()))
        .input("train", Path.of(r.inputs().train())).input("teacher", r.inputs().teacher());
    if (r.inputs().dev() != null) p.input("dev", Path.of(r.inputs().dev()));
    if (r.inputs().test() != null) p.input("test", Path.of(r.inputs().test()));
    if (r.inputs().labels() != null) p.input("labels", r.inputs().labels());
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("tier", r.recipe().tier());
    opts.put("evalEvery", r.keeping().evalEvery());
    opts.put("patience", r.keeping().patience());
    opts.put("textColumn", r.inputs().columns().textColumn());
    opts.put("idColumn", r.inputs().columns().idColumn());
    opts.put("idColumnByName", r.inputs().columns().autoId()); // false: --no-id-column
    opts.put("labelColumn", r.inputs().columns().labelColumn());
    opts.put("maxSteps", r.overrides().maxSteps());
    opts.put("maxTrainRows", r.overrides().maxTrainRows());
    opts.put("checkpointMinutes", r.keeping().checkpointMinutes());
    opts.put("resumed", resumed);
    Map<String, Object> align = new LinkedHashMap<>();
    align.put("rule", a.rule().name());
    align.put("idColumn", a.idColumn());
    align.put("idColumnFoundByName", a.idColumnFound()); // a column named 'id', used without --id-column
    align.put("description", a.describe());
    // the trainer's final numbers without its dev/test/train-accuracy figures of the last model: metrics.json holds the
    // kept model's, and a second, different test figure would only mislead
    Map<String, Object> runMetrics = new LinkedHashMap<>();
    res.metrics().toMap().forEach((k, v) -> {
      if (!k.startsWith("test_") && !k.startsWith("dev_") && !k.startsWith("student_")) runMetrics.put(k, v);
    });
    return p.put("trainOptions", opts).put("teacherAlignment", align).put("runMetrics", runMetrics);
  }

  static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Keeps the best (dev macro-F1) and last parameters and the log rows, decides early stopping, caps the steps
   * (--max-steps), shows an ETA that includes evaluation, and decides when a resume checkpoint is worth writing: at an
   * epoch end at least {@code checkpointMinutes} after the last one (never after the last epoch: the model directories
   * hold the result). Before each checkpoint it saves its own state ({@code keeper-<epochs>.json}, the best parameters
   * in {@code keeper-best-<step>.bin}) into the run's directory, so that a resumed run keeps the same best model.
   */
  static final class Keeper implements Trainer.Monitor {
    private final int evalEvery, patience;
    private final java.util.function.LongSupplier clock; // nanoseconds: System.nanoTime, or a test's
    INDArray best, last; // [1, N] copies
    double bestF1 = Double.NEGATIVE_INFINITY;
    int bestEpoch = -1, bestStep = -1, sinceBest;
    final List<Object[]> log = new ArrayList<>(); // step, epoch, kind, loss, ratio, lr, dev_acc, dev_f1, dev_ece
    private String status = "";
    // plan (set by plan(); defaults: no cap, checkpoint every epoch, no state directory)
    private int maxSteps = Integer.MAX_VALUE, totalSteps, stepsPerEpoch = 1, epochs = Integer.MAX_VALUE, batch = 1;
    private int devRows, finalRows;
    private double checkpointSeconds;
    private Path stateDir;
    private String bestFile; // keeper-best-<step>.bin of the current best, once saved
    // timing, for the ETA
    private long lastMark, lastCheckpoint;
    private double stepSeconds = Double.NaN, devSecondsPerRow = Double.NaN;
    private int stepsSeen, currentStep = -1;

    Keeper(int evalEvery, int patience) {
      this(evalEvery, patience, System::nanoTime);
    }

    /** A keeper reading the time (nanoseconds) from {@code clock}: tests of the checkpoint cadence. */
    Keeper(int evalEvery, int patience, java.util.function.LongSupplier clock) {
      this.clock = clock;
      this.lastMark = clock.getAsLong();
      this.lastCheckpoint = lastMark;
      if (evalEvery < 0) throw new IllegalArgumentException("--eval-every: expected >= 0 (0 = epoch ends only), found " + evalEvery);
      if (patience < 0) throw new IllegalArgumentException("--patience: expected >= 0 (0 = no early stopping), found " + patience);
      this.evalEvery = evalEvery;
      this.patience = patience;
    }

    /** The run's shape (for the step cap, the ETA and checkpoints) and where to keep state for --resume. */
    void plan(TrainConfig cfg, int fileRows, TrainingSources sources, double checkpointMinutes, Path stateDir) {
      int rows = cfg.data().trainRows() == 0 ? fileRows : Math.min(cfg.data().trainRows(), fileRows);
      int devRows = sources.dev() == null ? 0 : sources.dev().size();
      int testRows = sources.test() == null ? 0 : sources.test().size();
      // after the last step: the trainer scores all train rows when every one has gold, then the kept model is
      // scored on dev and test (the trainer itself gets no test split)
      plan(rows, cfg.schedule().batchSize(), cfg.schedule().epochs(), devRows,
          testRows + devRows + (sources.train().fullyLabelled() ? rows : 0), checkpointMinutes, stateDir);
    }

    /** As {@link #plan(TrainConfig, int, TrainingSources, double, Path)} from the numbers themselves. */
    void plan(int rows, int batchSize, int epochs, int devRows, int finalRows, double checkpointMinutes, Path stateDir) {
      this.batch = batchSize;
      this.stepsPerEpoch = (rows + batch - 1) / batch;
      this.epochs = epochs;
      this.totalSteps = (int) Math.min((long) stepsPerEpoch * epochs, maxSteps);
      this.devRows = devRows;
      this.finalRows = finalRows;
      this.checkpointSeconds = checkpointMinutes * 60;
      this.stateDir = stateDir;
    }

    /** Sets the measured rates and the last step done (tests of {@link #etaSeconds}). */
    void measured(double secondsPerStep, double devSecondsPerRow, int lastStepDone) {
      this.stepSeconds = secondsPerStep;
      this.devSecondsPerRow = devSecondsPerRow;
      this.currentStep = lastStepDone;
    }

    /** --max-steps (call before {@link #plan}). */
    void capSteps(Integer steps) {
      this.maxSteps = steps == null ? Integer.MAX_VALUE : steps;
    }

    @Override public int maxSteps() { return maxSteps; }

    @Override public void onStep(int epoch, int globalStep, double loss, double ratio, double lr) {
      long now = clock.getAsLong();
      double dt = (now - lastMark) / 1e9;
      if (stepsSeen++ > 0) stepSeconds = Double.isNaN(stepSeconds) ? dt : 0.9 * stepSeconds + 0.1 * dt; // not the first (warm-up)
      lastMark = now;
      currentStep = globalStep;
      log.add(new Object[] {globalStep + 1, epoch + 1, "step", loss, ratio, lr, "", "", ""});
    }

    @Override public boolean evalAfterStep(int globalStep) {
      return evalEvery > 0 && (globalStep + 1) % evalEvery == 0;
    }

    @Override public boolean onDevEval(int epoch, int globalStep, ClassificationMetrics dev, StudentTransformer model) {
      long now = clock.getAsLong();
      if (devRows > 0) devSecondsPerRow = (now - lastMark) / 1e9 / devRows;
      lastMark = now;
      log.add(new Object[] {globalStep + 1, epoch + 1, "dev", "", "", "", dev.accuracy(), dev.macroF1(), dev.ece()});
      status = String.format(Locale.ROOT, " dev F1 %.3f", dev.macroF1());
      if (dev.macroF1() > bestF1) {
        bestF1 = dev.macroF1();
        bestEpoch = epoch;
        bestStep = globalStep;
        best = model.params().flat().dup();
        bestFile = null;
        sinceBest = 0;
        return false;
      }
      sinceBest++;
      return patience > 0 && sinceBest >= patience;
    }

    @Override public void onFinish(StudentTransformer model) {
      last = model.params().flat().dup();
    }

    @Override public String status() {
      double eta = etaSeconds();
      return Double.isNaN(eta) ? status : status + " ETA " + clock(eta) + " incl. evaluation";
    }

    /** Seconds left: the remaining steps, dev evaluations and final evaluations, at the rates measured so far. */
    double etaSeconds() {
      if (Double.isNaN(stepSeconds)) return Double.NaN;
      int done = currentStep + 1;
      long steps = Math.max(0, totalSteps - done);
      long evals = 0;
      if (devRows > 0) {
        evals += (long) Math.ceil(totalSteps / (double) stepsPerEpoch) - done / stepsPerEpoch; // epoch ends (and the last step)
        if (evalEvery > 0) evals += totalSteps / evalEvery - done / evalEvery;
      }
      double perRow = Double.isNaN(devSecondsPerRow) ? stepSeconds / batch / 2 : devSecondsPerRow; // a forward ~ half a step
      return steps * stepSeconds + (evals * devRows + finalRows) * perRow;
    }

    static String clock(double seconds) {
      long s = Math.round(seconds);
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    @Override public boolean checkpointAfterEpoch(int epochsDone) {
      if (epochsDone >= epochs || (long) epochsDone * stepsPerEpoch >= totalSteps) return false; // the end: no resume needed
      if ((clock.getAsLong() - lastCheckpoint) / 1e9 < checkpointSeconds) return false;
      saveState(epochsDone);
      return true;
    }

    @Override public boolean observesCheckpoints() {
      return true; // onCheckpoint deletes keeper states the previous checkpoint pointed at
    }

    @Override public void onCheckpoint(int epochsDone) {
      lastCheckpoint = clock.getAsLong();
      if (stateDir == null) return;
      String keep = stateFile(epochsDone);
      try (Stream<Path> s = Files.list(stateDir)) { // older states: the checkpoint no longer points at them
        for (Path f : s.toList()) {
          String n = f.getFileName().toString();
          if ((n.startsWith("keeper-") && n.endsWith(".json") && !n.equals(keep))
              || (n.startsWith("keeper-best-") && !n.equals(bestFile))) {
            Files.deleteIfExists(f);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not tidy " + stateDir + ": " + e.getMessage(), e);
      }
    }

    private static String stateFile(int epochsDone) {
      return "keeper-" + epochsDone + ".json";
    }

    private void saveState(int epochsDone) {
      if (stateDir == null) return;
      try {
        if (best != null && bestFile == null) {
          bestFile = "keeper-best-" + (bestStep + 1) + ".bin";
          Path tmpBin = stateDir.resolve(bestFile + ".tmp");
          Nd4j.saveBinary(best, tmpBin.toFile());
          Files.move(tmpBin, stateDir.resolve(bestFile), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("epochsDone", epochsDone);
        st.put("bestF1", best == null ? null : bestF1);
        st.put("bestEpoch", bestEpoch);
        st.put("bestStep", bestStep);
        st.put("sinceBest", sinceBest);
        st.put("bestFile", bestFile);
        st.put("log", log);
        byte[] b = JSON.writeValueAsBytes(st);
        AtomicFiles.write(stateDir.resolve(stateFile(epochsDone)), o -> o.write(b));
      } catch (IOException e) {
        throw new UncheckedIOException("could not save the run state in " + stateDir + ": " + e.getMessage(), e);
      }
    }

    /** Restores the state saved with the checkpoint {@code ckpt} (same epochs done). */
    @SuppressWarnings("unchecked")
    void restore(Path ckpt) {
      int epochsDone = ((Number) org.llkd.models.checkpoint.CheckpointIO.readMetadata(ckpt).get("epochsDone")).intValue();
      Path f = stateDir.resolve(stateFile(epochsDone));
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("--resume: " + ckpt + " is after epoch " + epochsDone + " but " + f + " is "
            + "missing (the run state saved with it); pass --force to start over");
      }
      try {
        Map<String, Object> st = JSON.readValue(f.toFile(), Map.class);
        bestEpoch = ((Number) st.get("bestEpoch")).intValue();
        bestStep = ((Number) st.get("bestStep")).intValue();
        sinceBest = ((Number) st.get("sinceBest")).intValue();
        bestFile = (String) st.get("bestFile");
        if (st.get("bestF1") != null) bestF1 = ((Number) st.get("bestF1")).doubleValue();
        if (bestFile != null) best = Nd4j.readBinary(stateDir.resolve(bestFile).toFile());
        log.clear();
        for (Object row : (List<Object>) st.get("log")) log.add(((List<Object>) row).toArray());
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + f + ": " + e.getMessage(), e);
      }
      lastCheckpoint = clock.getAsLong();
    }

    /** Removes the saved state (the run finished). */
    void deleteState() {
      if (stateDir == null) return;
      try (Stream<Path> s = Files.list(stateDir)) {
        for (Path f : s.toList()) if (f.getFileName().toString().startsWith("keeper-")) Files.deleteIfExists(f);
      } catch (IOException e) {
        throw new UncheckedIOException("could not tidy " + stateDir + ": " + e.getMessage(), e);
      }
    }

    void writeLog(Path file) {
      StringBuilder sb = new StringBuilder("step,epoch,kind,loss,selected_ratio,lr,dev_accuracy,dev_macro_f1,dev_ece\n");
      for (Object[] row : log) {
        for (int i = 0; i < row.length; i++) {
          if (i > 0) sb.append(',');
          sb.append(row[i] instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(row[i]));
        }
        sb.append('\n');
      }
      AtomicFiles.writeString(file, sb.toString());
    }

    void writeCurves(Path png) {
      List<double[]> xs = new ArrayList<>(), ys = new ArrayList<>();
      List<String> names = new ArrayList<>();
      double[][] loss = series(3), ratio = series(4), f1 = series(7);
      for (Object[] s : new Object[][] {{"train loss", loss}, {"selected ratio", ratio}, {"dev macro-F1", f1}}) {
        double[][] v = (double[][]) s[1];
        if (v[0].length == 0) continue;
        names.add((String) s[0]);
        xs.add(v[0]);
        ys.add(v[1]);
      }
      Charts.lines(png, "llkd train", "step", "value", names, xs, ys, false);
    }

    private double[][] series(int col) {
      List<double[]> pts = new ArrayList<>();
      for (Object[] row : log) {
        if (row[col] instanceof Double d && Double.isFinite(d)) pts.add(new double[] {((Integer) row[0]).doubleValue(), d});
      }
      double[][] out = new double[2][pts.size()];
      for (int i = 0; i < pts.size(); i++) {
        out[0][i] = pts.get(i)[0];
        out[1][i] = pts.get(i)[1];
      }
      return out;
    }
  }
}
