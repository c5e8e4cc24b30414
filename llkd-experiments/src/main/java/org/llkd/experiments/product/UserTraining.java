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

/**
 * {@code llkd train} on a user's own files: reads the sources (train, optional dev/test, teacher), trains with the
 * experiments' {@link Trainer}, keeps the best model on dev macro-F1 (and the last), and writes the output directory
 * atomically (a temporary sibling renamed into place; a failed run leaves no half model):
 * <pre>
 *   OUT/model/          the kept model (best on dev macro-F1; the last one without --dev), docs/model-format.md
 *   OUT/model-last/     the last model (only with --dev)
 *   OUT/metrics.json    dev and test metrics of the kept model (accuracy, macro-F1, per-class P/R/F1, ECE)
 *   OUT/train_log.csv   one row per step (loss, selected ratio, lr) and per dev evaluation (dev metrics)
 *   OUT/curves.png      loss, dev macro-F1 and selection ratio against step
 *   OUT/provenance.json input SHA-256s, config, commit, machine
 *   OUT/run/            the trainer's own logs (steps.csv, epochs.csv, metrics.csv)
 * </pre>
 */
public final class UserTraining {
  /** What to train on and how. */
  public record Request(String train, Path teacher, String dev, String test, Path labels, TextFileReader.Format format,
      TextFileReader.Columns columns, String method, String tier, long seed, Integer epochs, Double lr, Integer batchSize,
      Integer maxLength, int evalEvery, int patience, Path out, boolean force) {}

  /** The run's outcome, for the summary line. */
  public record Outcome(Path out, int trainRows, int bestEpoch, int bestStep, ModelEvaluation dev, ModelEvaluation test,
      double dataUsed, double seconds) {
    public String summary() {
      StringBuilder sb = new StringBuilder("llkd train: ");
      if (dev != null) {
        sb.append(String.format(Locale.ROOT, "best epoch %d (step %d), dev macro-F1 %.4f", bestEpoch + 1, bestStep + 1,
            dev.metrics().macroF1()));
      } else {
        sb.append("no --dev: last model");
      }
      if (test != null) sb.append(String.format(Locale.ROOT, ", test macro-F1 %.4f", test.metrics().macroF1()));
      sb.append(String.format(Locale.ROOT, "; %d train rows, data used %.1f%%; %.0f s; model in %s", trainRows,
          100 * dataUsed, seconds, out.resolve("model")));
      return sb.toString();
    }
  }

  private UserTraining() {}

  public static Outcome run(Request r) {
    long t0 = System.nanoTime();
    Path out = r.out().toAbsolutePath().normalize();
    if (Files.exists(out) && !r.force()) {
      throw new IllegalArgumentException("output directory " + out + " already exists; pass --force to replace it "
          + "(after the new run succeeds) or choose another --out");
    }
    TrainingSources sources = sources(r);
    TextDataset train = sources.train();
    if (r.method().equals("gold") && !train.fullyLabelled()) {
      throw new IllegalArgumentException(r.train() + ": method gold needs a gold label on every train row; use the "
          + "teacher (method llkd, the default) for rows without gold");
    }
    TrainConfig cfg = config(r, train.size());
    Path parent = out.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".tmp-");
      Keeper keeper = new Keeper(r.evalEvery(), r.patience());
      Trainer.Result res = Trainer.run(cfg, () -> sources, tmp.resolve("run"), false, Trainer.StopHook.NEVER, keeper);
      Files.deleteIfExists(tmp.resolve("run").resolve(RunCheckpoint.FILE)); // the model directories hold the weights

      List<String> labels = train.labels().names();
      StudentConfig sc = StudentFactory.studentConfig(cfg, labels.size());
      Provenance prov = provenance(r, cfg, res);
      prov.write(tmp.resolve("provenance.json"));
      Map<String, Object> provMap = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
          tmp.resolve("provenance.json").toFile(), new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
      byte[] tok = StudentFactory.tokenizer(cfg.maxLength()).json();
      INDArray keptFlat = sources.dev() != null && keeper.best != null ? keeper.best : keeper.last;
      ModelBundle kept = new ModelBundle(sc, NamedParams.wrap(sc.paramSpecs(), keptFlat), tok, labels, cfg.maxLength(), provMap);
      ModelDirectory.write(tmp.resolve("model"), kept);
      if (sources.dev() != null) {
        ModelDirectory.write(tmp.resolve("model-last"),
            new ModelBundle(sc, NamedParams.wrap(sc.paramSpecs(), keeper.last), tok, labels, cfg.maxLength(), provMap));
      }
      ModelEvaluation devEval = null, testEval = null;
      try (TextClassifier clf = TextClassifier.of(kept)) {
        if (sources.dev() != null) devEval = evaluate(clf, sources.dev());
        if (sources.test() != null) testEval = evaluate(clf, sources.test());
      }
      writeMetrics(tmp.resolve("metrics.json"), devEval, testEval, keeper, res, train.size());
      keeper.writeLog(tmp.resolve("train_log.csv"));
      keeper.writeCurves(tmp.resolve("curves.png"));
      if (Files.exists(out)) deleteTree(out); // --force: replaced only now that the new run is complete
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + parent + " cannot rename atomically; choose --out on a local disk", e);
      }
      tmp = null;
      return new Outcome(out, train.size(), keeper.bestEpoch, keeper.bestStep, devEval, testEval,
          ((Number) res.metrics().get("data_used")).doubleValue(), (System.nanoTime() - t0) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException("llkd train: could not write " + out + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) deleteTree(tmp);
    }
  }

  /** Reads and aligns the user's files; every refusal names the file, row, expected and found. */
  static TrainingSources sources(Request r) {
    List<TextRow> rows = TextFileReader.readAll(r.train(), r.format(), r.columns().withRequireLabel(false));
    if (rows.isEmpty()) throw new UserFileException(r.train(), "", "at least one train row", "no rows");
    List<String> labels = r.labels() == null ? null : TeacherCheck.readLabels(r.labels());
    TeacherOutputs teacher = TeacherCheck.align(r.teacher(), rows.size(), labels, r.train());
    LabelSet ls = new LabelSet(teacher.labelNames());
    TextDataset train = dataset(r.train(), Split.TRAIN, rows, ls, false);
    TextDataset dev = r.dev() == null ? null : dataset(r.dev(), Split.DEV,
        TextFileReader.readAll(r.dev(), r.format(), r.columns().withRequireLabel(true)), ls, true);
    TextDataset test = r.test() == null ? null : dataset(r.test(), Split.TEST,
        TextFileReader.readAll(r.test(), r.format(), r.columns().withRequireLabel(true)), ls, true);
    return new TrainingSources(train, dev, test, teacher);
  }

  private static TextDataset dataset(String file, Split split, List<TextRow> rows, LabelSet labels, boolean needGold) {
    if (rows.isEmpty()) throw new UserFileException(file, "", "at least one row", "no rows");
    List<Sample> samples = new ArrayList<>(rows.size());
    for (TextRow row : rows) {
      int label = Sample.NO_LABEL;
      if (row.label() != null) {
        label = labels.names().indexOf(row.label());
        if (label < 0) {
          throw new UserFileException(file, "row " + row.row() + " (line " + row.line() + ")", "a label in " + labels.names()
              + (needGold ? "" : " (or an empty cell)"), "'" + row.label() + "' (labels are matched exactly)");
        }
      }
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

  /**
   * The tier's config for the user's files: all rows, all dev/test rows, then --epochs/--lr/--batch-size/--max-length;
   * without --epochs the epochs are raised so that the run has at least the steps the tier takes on its own row count
   * (small files still get enough updates), at most 50 epochs.
   */
  static TrainConfig config(Request r, int trainRows) {
    String name = nameOf(r.train());
    Path root = Path.of(r.train()).toAbsolutePath().getParent();
    TrainConfig base = switch (r.tier()) {
      case "tiny" -> TrainConfig.tiny(name, root, r.teacher(), r.method(), r.seed());
      case "quick" -> TrainConfig.quick(name, root, r.teacher(), r.method(), r.seed());
      case "standard" -> TrainConfig.standard(name, root, r.teacher(), r.method(), r.seed());
      case "full" -> TrainConfig.full(name, root, r.teacher(), r.method(), r.seed());
      default -> throw new IllegalArgumentException("--tier: expected quick, standard, full or tiny, found '" + r.tier() + "'");
    };
    // quick and standard: as many steps as the tier takes on its own row count (e.g. standard: 4,000 rows x 3 epochs =
    // 375 steps), so a small file still gets enough updates; tiny and full: the tier's epochs as they are
    int minSteps = r.tier().equals("quick") || r.tier().equals("standard")
        ? base.epochs() * ((base.trainRows() + base.batchSize() - 1) / base.batchSize()) : 0;
    TrainConfig c = base.withStudent(base.keepLayers(), 0).withEvalRows(0);
    int batch = r.batchSize() != null ? r.batchSize() : c.batchSize();
    double lr = r.lr() != null ? r.lr() : c.learningRate();
    int epochs = c.epochs();
    if (r.epochs() != null) {
      epochs = r.epochs();
    } else {
      int perEpoch = (trainRows + batch - 1) / batch;
      epochs = Math.min(50, Math.max(epochs, (minSteps + perEpoch - 1) / perEpoch));
    }
    c = c.withSchedule(epochs, batch, lr);
    if (r.maxLength() != null) c = c.withMaxLength(r.maxLength());
    return c;
  }

  private static ModelEvaluation evaluate(TextClassifier clf, TextDataset ds) {
    List<String> texts = new ArrayList<>(ds.size());
    for (Sample s : ds.samples()) texts.add(s.text());
    return ModelEvaluation.of(clf.labels(), ds.goldLabels(), clf.probabilities(texts));
  }

  private static void writeMetrics(Path file, ModelEvaluation dev, ModelEvaluation test, Keeper k, Trainer.Result res,
      int trainRows) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", dev != null ? "best on dev macro-F1" : "last");
    m.put("bestEpoch", dev != null ? k.bestEpoch + 1 : null);
    m.put("bestStep", dev != null ? k.bestStep + 1 : null);
    m.put("trainRows", trainRows);
    m.put("dataUsed", res.metrics().get("data_used"));
    m.put("meanSelectionRatio", res.metrics().get("mean_ratio"));
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

  private static Provenance provenance(Request r, TrainConfig cfg, Trainer.Result res) {
    Provenance p = new Provenance("llkd train", cfg, List.of(r.seed()))
        .input("train", Path.of(r.train())).input("teacher", r.teacher());
    if (r.dev() != null) p.input("dev", Path.of(r.dev()));
    if (r.test() != null) p.input("test", Path.of(r.test()));
    if (r.labels() != null) p.input("labels", r.labels());
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("tier", r.tier());
    opts.put("evalEvery", r.evalEvery());
    opts.put("patience", r.patience());
    opts.put("textColumn", r.columns().textColumn());
    opts.put("idColumn", r.columns().idColumn());
    opts.put("labelColumn", r.columns().labelColumn());
    return p.put("trainOptions", opts).put("runMetrics", res.metrics());
  }

  static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root + ": " + e.getMessage(), e);
    }
  }

  /** Keeps the best (dev macro-F1) and last parameters, the log rows, and decides early stopping. */
  static final class Keeper implements Trainer.Monitor {
    private final int evalEvery, patience;
    INDArray best, last; // [1, N] copies
    double bestF1 = Double.NEGATIVE_INFINITY;
    int bestEpoch = -1, bestStep = -1, sinceBest;
    final List<Object[]> log = new ArrayList<>(); // step, epoch, kind, loss, ratio, lr, dev_acc, dev_f1, dev_ece
    private String status = "";

    Keeper(int evalEvery, int patience) {
      if (evalEvery < 0) throw new IllegalArgumentException("--eval-every: expected >= 0 (0 = epoch ends only), found " + evalEvery);
      if (patience < 0) throw new IllegalArgumentException("--patience: expected >= 0 (0 = no early stopping), found " + patience);
      this.evalEvery = evalEvery;
      this.patience = patience;
    }

    @Override public void onStep(int epoch, int globalStep, double loss, double ratio, double lr) {
      log.add(new Object[] {globalStep + 1, epoch + 1, "step", loss, ratio, lr, "", "", ""});
    }

    @Override public boolean evalAfterStep(int globalStep) {
      return evalEvery > 0 && (globalStep + 1) % evalEvery == 0;
    }

    @Override public boolean onDevEval(int epoch, int globalStep, ClassificationMetrics dev, StudentTransformer model) {
      log.add(new Object[] {globalStep + 1, epoch + 1, "dev", "", "", "", dev.accuracy(), dev.macroF1(), dev.ece()});
      status = String.format(Locale.ROOT, " dev F1 %.3f", dev.macroF1());
      if (dev.macroF1() > bestF1) {
        bestF1 = dev.macroF1();
        bestEpoch = epoch;
        bestStep = globalStep;
        best = model.params().flat().dup();
        sinceBest = 0;
        return false;
      }
      sinceBest++;
      return patience > 0 && sinceBest >= patience;
    }

    @Override public void onFinish(StudentTransformer model) {
      last = model.params().flat().dup();
    }

    @Override public String status() { return status; }

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
