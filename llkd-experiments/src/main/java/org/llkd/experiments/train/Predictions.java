package org.llkd.experiments.train;

import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import org.llkd.experiments.csv.Csv;
import org.llkd.experiments.data.TextDataset;
import org.llkd.models.label.PseudoLabel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-row student predictions (for calibration and the uncertainty figure) and accuracy on all rows vs
 * on the rows the selector ever chose.
 */
public final class Predictions {
  private Predictions() {}

  /** Columns of dev_predictions.csv. */
  public static final List<String> COLUMNS = List.of("id", "gold", "pred", "confidence", "uncertainty");

  /** Writes {@code id,gold,pred,confidence,uncertainty} per row; uncertainty = entropy / log C. */
  public static void write(java.nio.file.Path file, TextDataset ds, int[] rows, INDArray probs) {
    double[][] p = probs.toDoubleMatrix();
    int c = p.length == 0 ? 1 : p[0].length;
    List<List<Object>> out = new java.util.ArrayList<>(rows.length);
    for (int i = 0; i < rows.length; i++) {
      int pred = PseudoLabel.argmax(p[i]);
      out.add(List.of(ds.get(rows[i]).id(), ds.get(rows[i]).label(), pred,
          String.format(Locale.ROOT, "%.6f", p[i][pred]), String.format(Locale.ROOT, "%.6f", normalisedEntropy(p[i], c))));
    }
    Csv.write(file, COLUMNS, out); // ids holding commas or quotes are quoted (Commons CSV)
  }

  /**
   * Writes every row's probabilities as gzip-compressed CSV {@code id,gold,<label 0>,<label 1>,...} (9 significant
   * digits), atomically: the file appears whole or not at all.
   */
  public static void writeProbabilities(java.nio.file.Path file, TextDataset ds, int[] rows, INDArray probs) {
    double[][] p = probs.toDoubleMatrix(); // [N, C]
    List<String> header = new java.util.ArrayList<>(List.of("id", "gold"));
    header.addAll(ds.labels().names());
    List<List<Object>> out = new java.util.ArrayList<>(rows.length);
    for (int i = 0; i < rows.length; i++) {
      List<Object> row = new java.util.ArrayList<>(2 + p[i].length);
      row.add(ds.get(rows[i]).id());
      row.add(ds.get(rows[i]).label());
      for (double v : p[i]) row.add(String.format(Locale.ROOT, "%.9g", v));
      out.add(row);
    }
    String text = Csv.text(header, out); // label names or ids holding commas or quotes are quoted (Commons CSV)
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot compress " + file, e);
    }
    org.llkd.models.io.AtomicFiles.write(file, stream -> stream.write(bytes.toByteArray()));
  }

  /** H(p) / log C ∈ [0, 1]. */
  public static double normalisedEntropy(double[] p, int c) {
    double h = 0;
    for (double v : p) if (v > 0) h -= v * Math.log(v);
    return h / Math.log(c);
  }

  /** {accuracy on all rows, accuracy on rows where {@code selected} holds (NaN if none)}. */
  public static double[] accuracyAllVsSelected(INDArray probs, int[] gold, IntPredicate selected) {
    double[][] p = probs.toDoubleMatrix();
    int okAll = 0, okSel = 0, nSel = 0;
    for (int i = 0; i < gold.length; i++) {
      boolean ok = PseudoLabel.argmax(p[i]) == gold[i];
      if (ok) okAll++;
      if (selected.test(i)) {
        nSel++;
        if (ok) okSel++;
      }
    }
    return new double[] {okAll / (double) gold.length, nSel == 0 ? Double.NaN : okSel / (double) nSel};
  }
}
