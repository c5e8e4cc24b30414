package org.llkd.experiments.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.llkd.experiments.data.DatasetCatalog;
import org.llkd.experiments.data.Sample;
import org.llkd.experiments.data.Split;
import org.llkd.experiments.data.TextDataset;
import org.llkd.models.io.AtomicFiles;
import org.llkd.selection.teacher.TeacherOutputReader;
import org.llkd.selection.teacher.TeacherOutputs;

/**
 * Builds {@code teachers/README.md} from the {@code <dataset>/<teacher>.jsonl.provenance.json} files the
 * exporter wrote: one row per dataset x teacher with accuracy, macro-F1 and ECE on each exported split,
 * coverage, temperature (and how it was chosen), k, and a verdict that marks weak teachers. Never edit the
 * README by hand; rerun {@code llkd teacher report}.
 */
public final class TeacherReport {
  /** A teacher is weak below this dev accuracy ... */
  public static final double WEAK_ACCURACY = 0.50;
  /** ... or when its dev accuracy is within this margin of (or below) the dev majority-class rate. */
  public static final double MAJORITY_MARGIN = 0.05;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One export, as read from its provenance. */
  record Row(String dataset, String teacher, JsonNode prov, Path provFile) {
    JsonNode split(String s) {
      return prov.path("quality").path("bySplit").path(s);
    }

    /** The split's quality without the shot rows (the same as {@link #split} for a zero-shot teacher). */
    JsonNode splitExcludingShots(String s) {
      JsonNode q = prov.path("quality").path("bySplitExcludingShots").path(s);
      return q.isMissingNode() ? split(s) : q;
    }
  }

  private TeacherReport() {}

  /**
   * Writes the report for every provenance file under {@code root} to {@code target}; returns how many were
   * read. With a {@code dataRoot}, each JSONL is also read with {@link TeacherOutputReader} and aligned to
   * the dataset's ids of every exported split (fails on a missing or extra row), and its sha256 is compared
   * with the one in its provenance where recorded.
   */
  public static int write(Path root, Path target, Path dataRoot) {
    List<Row> rows = read(root);
    if (rows.isEmpty()) throw new IllegalArgumentException("no <dataset>/*.jsonl.provenance.json files under " + root.toAbsolutePath());
    List<String> checks = new ArrayList<>();
    for (Row r : rows) checks.add(dataRoot == null ? "not checked" : verify(r, dataRoot));
    AtomicFiles.writeString(target, render(rows, checks));
    return rows.size();
  }

  /** Reads {@code r}'s JSONL with the project reader and aligns it to the dataset; returns a short verdict. */
  static String verify(Row r, Path dataRoot) {
    Path jsonl = r.provFile().resolveSibling(r.provFile().getFileName().toString().replace(".provenance.json", ""));
    TeacherOutputs t = TeacherOutputReader.read(jsonl);
    String recorded = r.prov().path("output").path("sha256").asText("");
    if (!recorded.isEmpty() && !recorded.equals(t.sourceSha256())) {
      throw new IllegalArgumentException(jsonl + ": sha256 " + t.sourceSha256() + " differs from " + recorded
          + " in its provenance; the file changed after export: re-export it");
    }
    List<String> labels = DatasetCatalog.labels(dataRoot, r.dataset()).names();
    int rowsChecked = 0;
    for (JsonNode s : r.prov().path("config").path("splits")) {
      TextDataset ds = DatasetCatalog.load(dataRoot, r.dataset(), Split.valueOf(s.asText().toUpperCase(Locale.ROOT)));
      List<String> ids = ds.samples().stream().map(Sample::id).toList();
      rowsChecked += t.forSplit(s.asText()).alignTo(ids, labels).numRows();
    }
    if (rowsChecked != t.numRows()) {
      throw new IllegalArgumentException(jsonl + ": " + t.numRows() + " rows but the exported splits have " + rowsChecked);
    }
    return "yes, " + rowsChecked + " rows";
  }

  static List<Row> read(Path root) {
    List<Row> rows = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root, 2)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl.provenance.json")).sorted().toList()) {
        JsonNode n = JSON.readTree(f.toFile());
        String dataset = n.path("dataset").path("name").asText(null);
        String teacher = n.path("teacher").path("teacher").asText(null);
        if (dataset == null || teacher == null) {
          throw new IllegalArgumentException(f + ": expected dataset.name and teacher.teacher; re-export with llkd teacher export");
        }
        rows.add(new Row(dataset, teacher, n, f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read provenance under " + root + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /** The verdict for a row, from its dev split (or the last exported split if there is no dev). */
  static String verdict(double accuracy, double majorityRate) {
    if (accuracy < majorityRate) return "**weak**: below the majority class";
    if (accuracy < majorityRate + MAJORITY_MARGIN) return "**weak**: within " + pct(MAJORITY_MARGIN) + " of the majority class";
    if (accuracy < WEAK_ACCURACY) return "**weak**: accuracy below " + pct(WEAK_ACCURACY);
    return "ok";
  }

  static String render(List<Row> rows, List<String> checks) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Stand-in teachers\n\n");
    sb.append("Generated by `llkd teacher report` (`org.llkd.experiments.teacher.TeacherReport`) from the "
        + "`<dataset>/<teacher>.jsonl.provenance.json` files in this folder; every JSONL is re-read with `TeacherOutputReader` "
        + "and aligned to the dataset's ids. Do not edit by hand: re-export (`./llkd teacher export --dataset D --teacher T "
        + "--split train,dev --out teachers/D/T.jsonl`), then rerun `./llkd teacher report` (from the repository root).\n\n");
    sb.append("No LLM can run here, so the teacher outputs are made by pretrained sentence encoders from Maven Central, "
        + "run through onnxruntime (see `TEACHERS.md` in the shared notes):\n\n"
        + "- `zeroshot-bge`: bge-small-en-v1.5 (CLS pooling, L2-normalised); p = softmax(cos(text, description_c) / T) with one "
        + "natural-language description per class (`llkd-experiments/src/main/resources/teachers/label_descriptions.json`). "
        + "Uses no gold labels; T is the documented default (0.02 topic/emotion, 0.05 sentence-role).\n"
        + "- `fewshot-minilm`: all-MiniLM-L6-v2 (masked mean pooling, L2-normalised); k train examples per class drawn with a "
        + "fixed seed (as an LLM prompt would include), prototype = normalised mean embedding, p = softmax(cos / T), T fitted "
        + "by NLL over a grid on the shots (leave-one-out). **all-MiniLM-L6-v2 is also the student's initialisation, so this "
        + "teacher shares the student's prior.** The shot ids are in the provenance; those few train rows are scored against "
        + "prototypes that include them.\n\n");
    sb.append("Each `<teacher>.jsonl` holds one `{\"id\": \"<split>-<row>\", \"probs\": [...], \"label_names\": [...]}` per row of "
        + "the exported splits, after a `{\"_meta\": {...}}` header. Accuracy, macro-F1 and ECE (15 bins) are measured against "
        + "gold after export; coverage = fraction of dataset rows with a teacher row. A teacher is marked **weak** when its "
        + "dev accuracy is below " + pct(WEAK_ACCURACY) + ", below the dev majority-class rate, or within "
        + pct(MAJORITY_MARGIN) + " of it. Weak teachers are kept on purpose: an honest weak teacher is a valid experimental "
        + "condition (where selection should matter most).\n\n");
    sb.append("| dataset | teacher | train acc* | train macro-F1* | train ECE* | dev acc | dev macro-F1 | dev ECE | dev majority class "
        + "| dev conf. AUROC | coverage | read back by TeacherOutputReader | T (how chosen) | k | verdict |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      JsonNode train = r.splitExcludingShots("train");
      JsonNode dev = r.split("dev");
      JsonNode ref = dev.isMissingNode() ? train : dev;
      JsonNode temp = r.prov().path("teacher").path("temperature");
      String how = temp.path("choice").asText("");
      String howShort = how.startsWith("grid") ? "fit on shots" : how.startsWith("documented") ? "default" : how.startsWith("fixed") ? "fixed" : how;
      JsonNode k = r.prov().path("teacher").path("shots").path("k");
      sb.append("| ").append(r.dataset()).append(" | ").append(r.teacher())
          .append(" | ").append(num(train, "accuracy")).append(" | ").append(num(train, "macroF1")).append(" | ").append(num(train, "ece"))
          .append(" | ").append(num(dev, "accuracy")).append(" | ").append(num(dev, "macroF1")).append(" | ").append(num(dev, "ece"))
          .append(" | ").append(dev.isMissingNode() ? "–" : dev.path("majorityClass").asText() + " " + fmt(dev.path("majorityRate").asDouble()))
          .append(" | ").append(num(dev, "confidenceAuroc"))
          .append(" | ").append(fmt(r.prov().path("quality").path("coverage").asDouble()))
          .append(" | ").append(checks.get(i))
          .append(" | ").append(temp.path("value").asText()).append(" (").append(howShort).append(")")
          .append(" | ").append(k.isMissingNode() ? "–" : k.asText())
          .append(" | ").append(ref.isMissingNode() ? "–" : verdict(ref.path("accuracy").asDouble(), ref.path("majorityRate").asDouble()))
          .append(" |\n");
    }
    sb.append("\n\\* train metrics exclude the k x classes shot rows of few-shot teachers (those rows are scored against "
        + "prototypes that contain them); the provenance has both. Dev never contains shots.\n");
    sb.append("\nExport wall time (s), per file: ");
    List<String> walls = new ArrayList<>();
    double total = 0;
    for (Row r : rows) {
      double w = r.prov().path("exportWallSeconds").asDouble();
      total += w;
      walls.add(r.dataset() + "/" + r.teacher() + " " + String.format(Locale.ROOT, "%.0f", w));
    }
    sb.append(String.join(", ", walls)).append(String.format(Locale.ROOT, "; total %.0f s.%n", total));
    return sb.toString();
  }

  private static String num(JsonNode split, String field) {
    if (split.isMissingNode() || !split.has(field) || !split.get(field).isNumber()) return "–";
    return fmt(split.get(field).asDouble());
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.3f", x);
  }

  private static String pct(double x) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * x);
  }
}
