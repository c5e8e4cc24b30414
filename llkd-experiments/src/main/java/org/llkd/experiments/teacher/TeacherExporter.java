package org.llkd.experiments.teacher;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.llkd.experiments.log.Progress;
import org.llkd.experiments.report.Provenance;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputWriter;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * Exports a stand-in teacher's probabilities for splits of a dataset as canonical JSONL, atomically
 * ({@link TeacherOutputWriter}, read back and checked with {@link TeacherOutputReader}),
 * with {@code <file>.provenance.json} beside it (model artifact and ONNX sha256, tokenizer, pooling,
 * descriptions or shots, seed, temperature, dataset sha256s, git, JVM, wall time) and the teacher's
 * quality on each exported split measured against gold after the file is written and read back, plus
 * coverage (fraction of dataset rows with a teacher row).
 */
public final class TeacherExporter {
  /** Default shots per class for few-shot teachers (TEACHERS.md: k >= 16 needed on sentence-role data). */
  public static final int DEFAULT_K = 16;
  public static final long DEFAULT_SEED = 13;
  /** Probabilities are written with this many significant digits. */
  public static final int SIGNIFICANT_DIGITS = 7;
  private static final MathContext ROUND = new MathContext(SIGNIFICANT_DIGITS);

  /**
   * One export, in four groups: {@link Source what is labelled}, {@link TeacherSpec which teacher and how it is fit},
   * {@link Output where it goes} and {@link Run how it runs}.
   *
   * @param source  dataset and splits
   * @param teacher teacher name, shots, temperature and label descriptions
   * @param output  the JSONL file and --force
   * @param run     threads and progress bar
   */
  public record Config(Source source, TeacherSpec teacher, Output output, Run run) {
    public Config {
      if (source == null || teacher == null || output == null || run == null) {
        throw new IllegalArgumentException("dataRoot, dataset, teacher, out and temperature are required");
      }
    }

    /**
     * What is labelled.
     *
     * @param dataRoot folder holding {@code <dataset>/{train,dev,test}.tsv} and {@code labels.txt}
     * @param dataset  dataset name under {@code dataRoot}
     * @param splits   splits to export, e.g. {@code [train, dev]}
     */
    public record Source(Path dataRoot, String dataset, List<String> splits) {
      public Source {
        if (dataRoot == null || dataset == null) {
          throw new IllegalArgumentException("dataRoot, dataset, teacher, out and temperature are required");
        }
        splits = List.copyOf(splits);
        if (splits.isEmpty()) throw new IllegalArgumentException("at least one split is required");
        if (new HashSet<>(splits).size() != splits.size()) throw new IllegalArgumentException("splits repeat: " + splits);
        for (String s : splits) {
          if (!List.of("train", "dev", "test").contains(s)) throw new IllegalArgumentException("split '" + s + "': expected train, dev or test");
        }
      }
    }

    /**
     * Which teacher, and how its shots and temperature are chosen.
     *
     * @param name         {@code zeroshot-bge}, {@code fewshot-minilm} (also {@code zeroshot-minilm}, {@code fewshot-bge})
     * @param k            shots per class drawn from train (few-shot; zero-shot with temperature {@code fit})
     * @param seed         seed of the shot draw
     * @param temperature  how T is chosen
     * @param descriptions label-description file overriding the bundled resource, or null
     */
    public record TeacherSpec(String name, int k, long seed, TemperatureSpec temperature, Path descriptions) {
      public TeacherSpec {
        if (name == null || temperature == null) {
          throw new IllegalArgumentException("dataRoot, dataset, teacher, out and temperature are required");
        }
        if (k < 2) throw new IllegalArgumentException("k must be >= 2 (the temperature fit leaves one shot out), got " + k);
        parseTeacher(name);
      }

      /** {@code name} with k = {@link #DEFAULT_K}, seed {@link #DEFAULT_SEED}, temperature auto, bundled descriptions. */
      public static TeacherSpec defaults(String name) {
        return new TeacherSpec(name, DEFAULT_K, DEFAULT_SEED, TemperatureSpec.AUTO, null);
      }
    }

    /**
     * Where the export goes.
     *
     * @param out   JSONL file to write
     * @param force overwrite an existing output
     */
    public record Output(Path out, boolean force) {
      public Output {
        if (out == null) throw new IllegalArgumentException("dataRoot, dataset, teacher, out and temperature are required");
      }
    }

    /**
     * How the export runs.
     *
     * @param threads  ORT intra-op threads
     * @param progress show a progress bar on stderr
     */
    public record Run(int threads, boolean progress) {
      public Run {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
    }

    /** Default config: k=16, seed 13, 2 threads, temperature auto, progress bar on. */
    public static Config of(Path dataRoot, String dataset, String teacher, List<String> splits, Path out) {
      return new Config(new Source(dataRoot, dataset, splits), TeacherSpec.defaults(teacher), new Output(out, false),
          new Run(2, true));
    }
  }

  /** What an export produced. */
  public record Result(Path out, Path provenance, int rows, double coverage, Map<String, TeacherQuality> quality,
      double temperature, double wallSeconds) {}

  private TeacherExporter() {}

  /** A teacher name taken apart: {@code fewshot} or {@code zeroshot}, and the encoder. */
  record TeacherKind(boolean fewShot, EncoderModel model) {}

  /** Parses {@code zeroshot-bge}, {@code fewshot-minilm}, ... */
  static TeacherKind parseTeacher(String name) {
    String[] parts = name.split("-", 2);
    if (parts.length == 2 && (parts[0].equals("zeroshot") || parts[0].equals("fewshot"))) {
      for (EncoderModel m : EncoderModel.values()) {
        if (m.shortName.equals(parts[1])) return new TeacherKind(parts[0].equals("fewshot"), m);
      }
    }
    throw new IllegalArgumentException("teacher '" + name + "': expected zeroshot-bge, fewshot-minilm, zeroshot-minilm or fewshot-bge");
  }

  /** The provenance file written beside {@code out}. */
  public static Path provenancePath(Path out) {
    return out.resolveSibling(out.getFileName() + ".provenance.json");
  }

  /** Exports with the teacher's own encoder in this JVM. */
  public static Result run(Config c) {
    return run(c, null);
  }

  /**
   * Exports; the texts of the splits are embedded by {@code embedder} (e.g. Spark partitions) instead of the
   * teacher's own encoder when it is not null. The teacher itself (class vectors or prototypes, temperature) is
   * built here either way.
   */
  public static Result run(Config c, TextEmbedder embedder) {
    long t0 = System.nanoTime();
    Config.Source src = c.source();
    Config.TeacherSpec spec = c.teacher();
    Path out = c.output().out().toAbsolutePath().normalize();
    Path prov = provenancePath(out);
    if (!c.output().force() && (Files.exists(out) || Files.exists(prov))) {
      throw new IllegalArgumentException("output " + (Files.exists(out) ? out : prov) + " exists; pass --force to overwrite it"
          + " or choose another --out");
    }
    TeacherKind kind = parseTeacher(spec.name());
    EncoderModel model = kind.model();
    Provenance provenance = new Provenance("teacher-export", configView(c), List.of(spec.seed()));

    Path dsDir = src.dataRoot().resolve(src.dataset());
    List<String> labelNames = SplitData.readLabels(src.dataRoot(), src.dataset());
    provenance.input(src.dataset() + "/labels.txt", dsDir.resolve("labels.txt"));
    Map<String, SplitData> data = new LinkedHashMap<>();
    for (String s : src.splits()) data.put(s, SplitData.read(src.dataRoot(), src.dataset(), s));
    boolean needShots = kind.fewShot() || spec.temperature().mode() == TemperatureSpec.Mode.FIT;
    Shots shots = null;
    if (needShots) {
      SplitData train = data.containsKey("train") ? data.get("train") : SplitData.read(src.dataRoot(), src.dataset(), "train");
      shots = Shots.draw(train.ids(), train.texts(), train.labels(), labelNames, spec.k(), spec.seed());
      if (!data.containsKey("train")) provenance.input(src.dataset() + "/train.tsv", train.file());
    }
    for (SplitData d : data.values()) provenance.input(src.dataset() + "/" + d.split() + ".tsv", d.file());

    Map<String, double[][]> probs = new LinkedHashMap<>();
    Map<String, Object> teacherProv;
    double temperature;
    OnnxSentenceEncoder encoder = OnnxSentenceEncoder.open(model, c.run().threads());
    Teacher built;
    try {
      built = kind.fewShot()
          ? FewShotTeacher.create(encoder, labelNames, shots, spec.temperature())
          : ZeroShotTeacher.create(encoder, descriptionsFor(c, labelNames), spec.temperature(), shots);
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
    try (Teacher teacher = built) {
      if (!teacher.name().equals(spec.name())) throw new IllegalStateException("built " + teacher.name() + " for " + spec.name());
      for (SplitData d : data.values()) {
        String task = src.dataset() + "/" + d.split() + " " + teacher.name();
        try (Progress bar = c.run().progress() ? Progress.start(task, d.size(), 0, " texts")
            : Progress.start(Progress.Mode.NONE, task, d.size(), 0, "", line -> { })) {
          IntConsumer step = bar::stepBy;
          probs.put(d.split(), embedder == null ? teacher.predict(d.texts(), step)
              : teacher.predictEmbeddings(embedder.embed(teacher.encoder(), d.texts(), step)));
        }
      }
      teacherProv = teacher.provenance();
      temperature = teacher.temperature();
    }

    List<String> ids = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    for (SplitData d : data.values()) {
      ids.addAll(d.ids());
      for (double[] r : probs.get(d.split())) rows.add(r);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("teacher", spec.name());
    meta.put("dataset", src.dataset());
    meta.put("splits", src.splits());
    meta.put("label_names", labelNames);
    meta.put("rows", ids.size());
    meta.put("model", model.hfModel);
    meta.put("artifact", model.coordinates());
    meta.put("pooling", model.pooling.name());
    meta.put("temperature", temperature);
    if (shots != null) {
      meta.put("k", shots.k());
      meta.put("seed", shots.seed());
    }
    meta.put("note", kind.fewShot()
        ? "stand-in teacher: few-shot prototypes over a pretrained sentence encoder, not an LLM"
        : "stand-in teacher: zero-shot label-description similarity over a pretrained sentence encoder, not an LLM");
    if (model == EncoderModel.ALL_MINILM_L6_V2) meta.put("shares_student_prior", true);
    meta.put("provenance", prov.getFileName().toString());
    meta.put("created", Instant.now().toString());
    double[][] rounded = new double[rows.size()][];
    for (int i = 0; i < rounded.length; i++) rounded[i] = round(rows.get(i));
    // Same validation as an import (ids, finiteness, row sums), then an atomic write (temp file + rename).
    TeacherOutputWriter.writeJsonl(TeacherOutputs.ofProbabilities(ids, labelNames, rounded, meta), out);

    // Measure what was written: read the file back with the project's reader, check coverage and label
    // names, score against gold.
    TeacherOutputs back = TeacherOutputReader.read(out);
    if (!labelNames.equals(back.labelNames())) {
      throw new IllegalStateException(out + ": label_names read back " + back.labelNames() + ", expected " + labelNames);
    }
    double[][] backProbs = back.probs();  // [rows][numClasses]
    Map<String, double[]> byId = new LinkedHashMap<>();
    for (int i = 0; i < back.numRows(); i++) byId.put(back.ids().get(i), backProbs[i]);
    int total = 0;
    int covered = 0;
    Map<String, TeacherQuality> quality = new LinkedHashMap<>();
    Map<String, TeacherQuality> qualityNoShots = new LinkedHashMap<>();
    Set<String> shotIds = shots == null ? Set.of() : new HashSet<>(shots.ids());
    Set<String> expected = new HashSet<>();
    for (SplitData d : data.values()) {
      List<double[]> p = new ArrayList<>();
      List<Integer> gold = new ArrayList<>();
      List<double[]> pNoShots = new ArrayList<>();
      List<Integer> goldNoShots = new ArrayList<>();
      for (int i = 0; i < d.size(); i++) {
        total++;
        expected.add(d.ids().get(i));
        double[] r = byId.get(d.ids().get(i));
        if (r == null) continue;
        covered++;
        p.add(r);
        gold.add(d.labels()[i]);
        if (!shotIds.contains(d.ids().get(i))) {
          pNoShots.add(r);
          goldNoShots.add(d.labels()[i]);
        }
      }
      if (!p.isEmpty()) quality.put(d.split(), TeacherQuality.of(p.toArray(new double[0][]), toInts(gold), labelNames));
      if (!pNoShots.isEmpty()) {
        qualityNoShots.put(d.split(), TeacherQuality.of(pNoShots.toArray(new double[0][]), toInts(goldNoShots), labelNames));
      }
    }
    long extra = byId.keySet().stream().filter(id -> !expected.contains(id)).count();
    double coverage = (double) covered / total;

    double wall = (System.nanoTime() - t0) / 1e9;
    provenance.put("teacher", teacherProv);
    provenance.put("embedding", embedder == null
        ? Map.of("engine", "local", "where", "this JVM, the teacher's own onnxruntime session", "threads", c.run().threads())
        : embedder.describe());
    provenance.put("output", Map.of("file", out.toString(), "rows", back.numRows(),
        "sha256", back.sourceSha256(), "probabilityRounding", SIGNIFICANT_DIGITS + " significant digits"));
    Map<String, Object> datasetInfo = new LinkedHashMap<>();
    datasetInfo.put("name", src.dataset());
    datasetInfo.put("root", src.dataRoot().toAbsolutePath().normalize().toString());
    datasetInfo.put("labelNames", labelNames);
    Map<String, Object> splitInfo = new LinkedHashMap<>();
    for (SplitData d : data.values()) splitInfo.put(d.split(), Map.of("rows", d.size(), "sha256", d.sha256()));
    datasetInfo.put("splits", splitInfo);
    provenance.put("dataset", datasetInfo);
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("coverage", coverage);
    q.put("rowsExpected", total);
    q.put("rowsCovered", covered);
    q.put("rowsNotInDataset", extra);
    q.put("bySplit", quality);
    q.put("bySplitExcludingShots", qualityNoShots);
    q.put("shotRowsExported", shotIds.stream().filter(expected::contains).count());
    q.put("note", "measured against gold after export; gold was not used to make the predictions"
        + (shots != null ? " (beyond the k shots per class)" : ""));
    provenance.put("quality", q);
    provenance.put("exportWallSeconds", wall);
    provenance.write(prov);
    return new Result(out, prov, back.numRows(), coverage, quality, temperature, wall);
  }

  /** {@code p} rounded to {@link #SIGNIFICANT_DIGITS} significant digits (files stay small; row sums move by ~1e-7). */
  static double[] round(double[] p) {
    double[] r = new double[p.length];
    for (int c = 0; c < p.length; c++) r[c] = new BigDecimal(p[c]).round(ROUND).doubleValue();
    return r;
  }

  private static int[] toInts(List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).toArray();
  }

  private static LabelDescriptions descriptionsFor(Config c, List<String> labelNames) {
    return c.teacher().descriptions() == null
        ? LabelDescriptions.forDataset(c.source().dataset(), labelNames)
        : LabelDescriptions.fromFile(c.teacher().descriptions(), c.source().dataset(), labelNames);
  }

  private static Map<String, Object> configView(Config c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataRoot", c.source().dataRoot().toString());
    m.put("dataset", c.source().dataset());
    m.put("teacher", c.teacher().name());
    m.put("splits", c.source().splits());
    m.put("out", c.output().out().toString());
    m.put("k", c.teacher().k());
    m.put("seed", c.teacher().seed());
    m.put("threads", c.run().threads());
    m.put("temperature", c.teacher().temperature().toString());
    Path descriptions = c.teacher().descriptions();
    m.put("descriptions", descriptions == null ? "(bundled " + LabelDescriptions.RESOURCE + ")" : descriptions.toString());
    m.put("force", c.output().force());
    return m;
  }

  static String fmt(double x) {
    return String.format(Locale.ROOT, "%.4f", x);
  }
}
