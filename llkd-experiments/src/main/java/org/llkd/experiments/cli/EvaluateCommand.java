package org.llkd.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llkd.experiments.product.LabelIndex;
import org.llkd.experiments.product.ModelEvaluation;
import org.llkd.experiments.product.TextFileReader;
import org.llkd.experiments.product.TextRow;
import org.llkd.experiments.textfile.TextFileException;
import org.llkd.models.classifier.TextClassifier;
import org.llkd.models.io.Sha256;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llkd evaluate}: metrics of a model directory on a labelled file. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {"Evaluate a model directory on a labelled file: writes OUT/metrics.json (accuracy, macro-F1, "
        + "per-class precision/recall/F1, ECE), OUT/confusion.csv and OUT/confusion.png.",
        "Every row needs a label from the model's label set."})
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelDirectoryOption model = new ModelDirectoryOption();

  @Option(names = "--test", required = true, description = "Labelled file (.csv, .tsv, .jsonl).")
  String test;

  @Option(names = "--out", required = true, description = "Directory for metrics.json, confusion.csv, confusion.png.")
  Path out;

  @Option(names = "--force", description = "Overwrite an existing metrics.json in --out.")
  boolean force;

  @Mixin InputColumnOptions columns = new InputColumnOptions();

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  @Override
  public Integer call() {
    if (Files.exists(out.resolve("metrics.json")) && !force) {
      throw new IllegalArgumentException("output directory " + out + " already holds metrics.json; pass --force to "
          + "overwrite or choose another --out");
    }
    try (TextClassifier clf = runtime.open(model.dir, TextClassifier.DEFAULT_BATCH_SIZE)) {
      List<String> labels = clf.labels();
      List<TextRow> rows = TextFileReader.readAll(test, columns.format(), columns.columns(true));
      if (rows.isEmpty()) {
        throw TextFileException.inFile(test, "at least one labelled row", "no rows");
      }
      LabelIndex index = new LabelIndex(labels, "a label of the model", "");
      int[] gold = new int[rows.size()];
      List<String> texts = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        TextRow r = rows.get(i);
        gold[i] = index.of(test, r);
        texts.add(r.text());
      }
      double[][] p = clf.probabilities(texts);
      ModelEvaluation ev = ModelEvaluation.of(labels, gold, p);
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("model", model.dir.toAbsolutePath().normalize().toString());
      extra.put("test", Path.of(test).toAbsolutePath().normalize().toString());
      extra.put("testSha256", Sha256.of(Path.of(test)));
      extra.put("runtime", clf.runtimeName());
      ev.write(out, extra);
      spec.commandLine().getOut().printf("llkd evaluate: %d rows, accuracy %.4f, macro-F1 %.4f, ECE %.4f -> %s%n",
          rows.size(), ev.metrics().accuracy(), ev.metrics().macroF1(), ev.metrics().ece(), out.resolve("metrics.json"));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
