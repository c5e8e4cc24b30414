package org.llkd.experiments.product;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.llkd.experiments.metrics.ClassificationMetrics;
import org.llkd.models.io.AtomicFiles;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's metrics on a labelled file: accuracy, macro-F1, per-class F1 and ECE from {@link ClassificationMetrics}
 * (ND4J {@code Evaluation}), per-class precision and recall and the confusion matrix from the same counts
 * (a class never predicted has precision 0, one absent from the gold labels recall 0: the zero_division=0
 * convention of the F1).
 *
 * @param confusion counts [gold][predicted]
 */
public record ModelEvaluation(List<String> labels, ClassificationMetrics metrics, long[][] confusion) {

  /** @param gold class ids [N]; @param probs [N][C] */
  public static ModelEvaluation of(List<String> labels, int[] gold, double[][] probs) {
    if (gold.length == 0) throw new IllegalArgumentException("no rows to evaluate");
    ClassificationMetrics m = ClassificationMetrics.of(gold, Nd4j.createFromArray(probs), labels); // [N, C]
    int c = labels.size();
    long[][] conf = new long[c][c];
    for (int i = 0; i < gold.length; i++) {
      int best = 0;
      for (int k = 1; k < c; k++) if (probs[i][k] > probs[i][best]) best = k;
      conf[gold[i]][best]++;
    }
    return new ModelEvaluation(List.copyOf(labels), m, conf);
  }

  public double precision(int k) {
    long tp = confusion[k][k], predicted = 0;
    for (long[] row : confusion) predicted += row[k];
    return predicted == 0 ? 0.0 : (double) tp / predicted;
  }

  public double recall(int k) {
    long tp = confusion[k][k], actual = 0;
    for (long v : confusion[k]) actual += v;
    return actual == 0 ? 0.0 : (double) tp / actual;
  }

  /** metrics.json content: n, accuracy, macroF1, ece, perClass {label: {precision, recall, f1, support}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", metrics.n());
    m.put("accuracy", metrics.accuracy());
    m.put("macroF1", metrics.macroF1());
    m.put("ece", metrics.ece());
    m.put("eceBins", ClassificationMetrics.ECE_BINS);
    Map<String, Object> per = new LinkedHashMap<>();
    for (int k = 0; k < labels.size(); k++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("precision", precision(k));
      c.put("recall", recall(k));
      c.put("f1", metrics.perClassF1().get(labels.get(k)));
      long support = 0;
      for (long v : confusion[k]) support += v;
      c.put("support", support);
      per.put(labels.get(k), c);
    }
    m.put("perClass", per);
    return m;
  }

  /** Writes metrics.json (with {@code extra} fields first), confusion.csv and confusion.png into {@code dir}. */
  public void write(Path dir, Map<String, Object> extra) {
    Map<String, Object> json = new LinkedHashMap<>(extra);
    json.putAll(toJson());
    try {
      byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
      AtomicFiles.write(dir.resolve("metrics.json"), o -> o.write(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFiles.write(dir.resolve("confusion.csv"), o -> {
      OutputStreamWriter w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
      CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get());
      List<String> header = new ArrayList<>(List.of("gold\\predicted"));
      header.addAll(labels);
      p.printRecord(header);
      for (int k = 0; k < labels.size(); k++) {
        List<Object> row = new ArrayList<>(List.of(labels.get(k)));
        for (long v : confusion[k]) row.add(v);
        p.printRecord(row);
      }
      p.flush();
    });
    ConfusionChart.write(dir.resolve("confusion.png"), labels, confusion);
  }
}
